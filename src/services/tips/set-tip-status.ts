import { TIP_OUTCOMES, TIP_STATUSES } from '../../content/tip-categories.js';
import type { Repos } from '../../store/repos.js';
import type { TipScope } from '../../store/tip.repo.js';
import { hourOf, type TipActionResult } from './tip-rules.js';
import { refreshUrgentAlert } from './urgent-alert.js';

/** Moves a tip through new → triaged → in_progress → closed (closing needs an outcome and deletes the handle). */
export async function setTipStatus(repos: Repos, scope: TipScope, id: string, status: string, outcome: string | undefined, now: Date): Promise<TipActionResult> {
  if (!(TIP_STATUSES as readonly string[]).includes(status)) return { ok: false, reason: 'invalid' };
  const closing = status === 'closed';
  if (closing && !(TIP_OUTCOMES as readonly string[]).includes(outcome ?? '')) return { ok: false, reason: 'invalid' };
  const tip = await repos.tips.byId(id, scope);
  if (!tip) return { ok: false, reason: 'not_found' };
  await repos.tips.setStatus(id, status, closing ? outcome! : null, hourOf(now));
  // A closed urgent tip no longer needs anyone's attention.
  if (closing && tip.urgent) await refreshUrgentAlert(repos);
  return { ok: true };
}
