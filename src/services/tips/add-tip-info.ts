import type { Repos } from '../../store/repos.js';
import { grantedTipId } from './tip-grant.js';
import type { TipKeys } from './tip-keys.js';
import { hourOf } from './tip-rules.js';

/** Added, or why not: the grant expired (or was never valid), or the tip is closed. */
export type AddTipInfoResult = { ok: true } | { ok: false; reason: 'expired' | 'closed' };

/** Adds the tipster's message (encrypted, dated to the hour) to the tip a grant from `lookUpTip` names. */
export async function addTipInfo(repos: Repos, keys: TipKeys, grant: string, text: string, now: Date): Promise<AddTipInfoResult> {
  const tipId = grantedTipId(keys, grant, now);
  const tip = tipId ? await repos.tips.byId(tipId) : null;
  if (!tip) return { ok: false, reason: 'expired' };
  if (tip.status === 'closed') return { ok: false, reason: 'closed' };
  await repos.tips.addMessage(tip.id, 'tipster', keys.text.seal(text, `${tip.id}:message`), hourOf(now));
  return { ok: true };
}
