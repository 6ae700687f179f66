import type { Repos } from '../../store/repos.js';
import { openPhotoRequest, type PreparedTipPhoto } from './photo-request.js';
import type { TipKeys } from './tip-keys.js';
import { hourOf, MAX_TIP_PHOTOS } from './tip-rules.js';

/**
 * Stores photos prepared by `fetchTipPhotos` on the tip their request names, dated to the hour. Returns how many
 * were stored: none when the request cannot be opened or the tip is gone.
 */
export async function attachTipPhotos(repos: Repos, keys: TipKeys, request: string, photos: readonly PreparedTipPhoto[], now: Date): Promise<{ stored: number }> {
  const opened = openPhotoRequest(keys, request);
  if (!opened || !(await repos.tips.byId(opened.tipId))) return { stored: 0 };
  const kept = photos.slice(0, MAX_TIP_PHOTOS);
  for (const photo of kept) await repos.tips.addAttachment(opened.tipId, photo.mime, photo.dataCipher, hourOf(now), photo.id);
  return { stored: kept.length };
}
