import type { Repos } from '../../store/repos.js';
import type { StaffScope } from '../staff/staff-scope.js';
import type { TipActor } from './console-tip-types.js';
import { auditTip } from './open-tip.js';
import type { TipKeys } from './tip-keys.js';
import { tipScopeOf } from './tip-scope-of.js';

// Photos are stored only as stripped JPEG or PNG (photo-strip.ts); anything else is not served.
const SERVED_TYPES = new Set(['image/jpeg', 'image/png']);

/**
 * One photo of a tip of the account's scope, decrypted, its view audited; null outside the scope, for another tip's
 * photo, for a type we do not serve, or when it cannot be decrypted.
 */
export async function openTipPhoto(repos: Repos, keys: TipKeys, scope: StaffScope, tipId: string, photoId: string, actor: TipActor): Promise<{ mime: string; data: Buffer } | null> {
  const tip = await repos.tips.byId(tipId, tipScopeOf(scope));
  if (!tip) return null;
  const a = await repos.tips.attachment(tip.id, photoId);
  if (!a || !SERVED_TYPES.has(a.mime)) return null;
  let data: Buffer;
  try {
    data = keys.text.openBytes(a.dataCipher, `${tip.id}:attachment:${a.id}`);
  } catch {
    return null;
  }
  await auditTip(repos, scope, tip, actor, 'tip_viewed', { photo: a.id });
  return { mime: a.mime, data };
}
