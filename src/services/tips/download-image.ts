const MAX_PHOTO_BYTES = 5 * 1024 * 1024;
const PHOTO_TIMEOUT_MS = 5000;

/** Fetches a photo from a platform's address; null when it cannot be had. */
export type FetchImage = (url: string) => Promise<Buffer | null>;

/** Downloads a photo from a platform CDN: HTTPS only, at most 5 MB, within 5 seconds; null otherwise. */
export async function downloadImage(url: string): Promise<Buffer | null> {
  if (!url.startsWith('https://')) return null;
  const res = await fetch(url, { signal: AbortSignal.timeout(PHOTO_TIMEOUT_MS), redirect: 'follow' });
  if (!res.ok || !res.body) return null;
  if (Number(res.headers.get('content-length') ?? 0) > MAX_PHOTO_BYTES) return null;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res.body) {
    size += (chunk as Uint8Array).length;
    if (size > MAX_PHOTO_BYTES) return null;
    chunks.push(Buffer.from(chunk as Uint8Array));
  }
  return Buffer.concat(chunks);
}
