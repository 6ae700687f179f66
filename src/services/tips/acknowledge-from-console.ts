import type { Repos } from '../../store/repos.js';
import type { StaffScope } from '../staff/staff-scope.js';
import type { TipActor, TipConsoleResult } from './console-tip-types.js';
import { acknowledgeTip } from './acknowledge-tip.js';
import { auditTip } from './open-tip.js';
import { tipScopeOf } from './tip-scope-of.js';

/**
 * A handler acknowledges an urgent tip from the console: it leaves the top of the inbox, stops counting in the
 * urgent alert and its chat alerts stop (acknowledge-tip.ts). `already`: someone had acknowledged it. Audited.
 */
export async function acknowledgeFromConsole(repos: Repos, scope: StaffScope, id: string, actor: TipActor): Promise<TipConsoleResult<{ already: boolean }>> {
  const tipScope = tipScopeOf(scope);
  const tip = await repos.tips.byId(id, tipScope);
  if (!tip) return { ok: false, reason: 'not_found' };
  if (!tip.urgent) return { ok: false, reason: 'not_urgent' };
  if (tip.acknowledgedAt) return { ok: true, already: true };
  const r = await acknowledgeTip(repos, tipScope, tip.id, actor.now);
  if (!r.ok) return r;
  await auditTip(repos, scope, tip, actor, 'tip_acknowledged');
  return { ok: true, already: false };
}
