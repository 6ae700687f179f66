import type { Repos } from '../../store/repos.js';
import type { TipScope } from '../../store/tip.repo.js';
import { hourOf, type TipActionResult } from './tip-rules.js';
import { refreshUrgentAlert } from './urgent-alert.js';

/** A handler has seen an urgent tip: it stops counting in the open urgent alert (resolved when none are left). */
export async function acknowledgeTip(repos: Repos, scope: TipScope, id: string, now: Date): Promise<TipActionResult> {
  const tip = await repos.tips.byId(id, scope);
  if (!tip) return { ok: false, reason: 'not_found' };
  await repos.tips.acknowledge(id, hourOf(now));
  await refreshUrgentAlert(repos);
  return { ok: true };
}
