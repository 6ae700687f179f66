import type { Repos } from '../../store/repos.js';
import type { TipScope } from '../../store/tip.repo.js';
import type { TipKeys } from './tip-keys.js';

/** One photo of a tip of the handler's scope, decrypted, or null. */
export async function viewTipPhoto(repos: Repos, keys: TipKeys, scope: TipScope, tipId: string, id: string): Promise<{ mime: string; data: Buffer } | null> {
  if (!(await repos.tips.byId(tipId, scope))) return null;
  const a = await repos.tips.attachment(tipId, id);
  return a ? { mime: a.mime, data: keys.text.openBytes(a.dataCipher, `${tipId}:attachment:${a.id}`) } : null;
}
