import type { Repos } from '../../store/repos.js';
import type { StaffScope } from '../staff/staff-scope.js';
import type { TipActor, TipConsoleResult } from './console-tip-types.js';
import { auditTip } from './open-tip.js';
import { replyToTipster } from './reply-to-tipster.js';
import type { TipKeys } from './tip-keys.js';
import { tipScopeOf } from './tip-scope-of.js';

/** The longest reply to a tipster, in characters (it is read in chat, where messages are split at 2 000). */
export const MAX_TIP_REPLY = 2000;

/**
 * A handler answers the tipster from the console, through `replyToTipster`: the reply joins the thread (encrypted,
 * to the hour); if the tipster agreed to replies in chat, a notice without code or text is queued to that chat
 * through the sealed handle, which the console never sees. `notified` says which happened: false means the tipster
 * reads it when they look the tip up with code and PIN. Audited (without the text).
 */
export async function replyFromConsole(repos: Repos, keys: TipKeys, scope: StaffScope, id: string, text: string, actor: TipActor): Promise<TipConsoleResult<{ notified: boolean }>> {
  const body = text.trim();
  if (!body || body.length > MAX_TIP_REPLY) return { ok: false, reason: 'invalid' };
  const tipScope = tipScopeOf(scope);
  const tip = await repos.tips.byId(id, tipScope);
  if (!tip) return { ok: false, reason: 'not_found' };
  const r = await replyToTipster(repos, keys, tipScope, tip.id, body, actor.now);
  if (!r.ok) return r;
  const notified = r.notified === true;
  await auditTip(repos, scope, tip, actor, 'tip_replied', { notified, length: body.length });
  return { ok: true, notified };
}
