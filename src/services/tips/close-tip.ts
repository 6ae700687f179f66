import { TIP_OUTCOMES } from '../../content/tip-categories.js';
import type { Repos } from '../../store/repos.js';
import type { StaffScope } from '../staff/staff-scope.js';
import type { TipActor, TipConsoleResult } from './console-tip-types.js';
import { auditTip } from './open-tip.js';
import { setTipStatus } from './set-tip-status.js';
import { tipScopeOf } from './tip-scope-of.js';

/**
 * Closes an open tip of the account's scope with an outcome (resolved, referred, no_action, duplicate, spam: a
 * prank is spam). Closing deletes the sealed reply handle and stops the urgent alert for it (set-tip-status.ts);
 * the tipster still reads the status and the replies with code and PIN until retention deletes the tip. Audited.
 */
export async function closeTip(repos: Repos, scope: StaffScope, id: string, outcome: string, actor: TipActor): Promise<TipConsoleResult> {
  if (!(TIP_OUTCOMES as readonly string[]).includes(outcome)) return { ok: false, reason: 'invalid' };
  const tipScope = tipScopeOf(scope);
  const tip = await repos.tips.byId(id, tipScope);
  if (!tip) return { ok: false, reason: 'not_found' };
  if (tip.status === 'closed') return { ok: false, reason: 'closed' };
  const done = await setTipStatus(repos, tipScope, tip.id, 'closed', outcome, actor.now);
  if (!done.ok) return done;
  await auditTip(repos, scope, tip, actor, 'tip_closed', { outcome });
  return { ok: true };
}
