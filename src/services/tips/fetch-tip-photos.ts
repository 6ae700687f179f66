import { randomUUID } from 'node:crypto';
import type { FetchImage } from './download-image.js';
import { stripImageMetadata } from './photo-strip.js';
import { openPhotoRequest, type PreparedTipPhoto } from './photo-request.js';
import type { TipKeys } from './tip-keys.js';
import { MAX_TIP_PHOTOS } from './tip-rules.js';

/**
 * Downloads the photos of a sealed request, strips EXIF/GPS and other metadata, and seals each for its tip. Runs
 * outside any transaction (a download may take seconds; on the embedded database an open transaction would stall
 * every webhook meanwhile). The platform address is not kept. A photo that cannot be had is left out; never throws.
 */
export async function fetchTipPhotos(keys: TipKeys, request: string, fetchImage: FetchImage): Promise<PreparedTipPhoto[]> {
  const opened = openPhotoRequest(keys, request);
  if (!opened) return [];
  const photos = await Promise.all(
    opened.urls.slice(0, MAX_TIP_PHOTOS).map(async (url): Promise<PreparedTipPhoto | null> => {
      const raw = await fetchImage(url).catch(() => null);
      const clean = raw ? stripImageMetadata(raw) : null;
      if (!clean) return null;
      const id = randomUUID();
      return { id, mime: clean.mime, dataCipher: keys.text.seal(clean.data, `${opened.tipId}:attachment:${id}`) };
    }),
  );
  return photos.filter((p) => p !== null);
}
