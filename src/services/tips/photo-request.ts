import type { TipKeys } from './tip-keys.js';

/** A photo downloaded, stripped of metadata and sealed for its tip, ready to be stored. */
export interface PreparedTipPhoto {
  id: string;
  mime: 'image/jpeg' | 'image/png';
  dataCipher: string;
}

/**
 * Seals which tip the photos at `urls` belong to. The request travels through the inbox next to the tipster's chat
 * identity (as a follow-up event of their lane), so the tip id and the photos' addresses never appear there in clear.
 */
export function sealPhotoRequest(keys: TipKeys, tipId: string, urls: string[]): string {
  return keys.text.seal(JSON.stringify({ tipId, urls }), 'photo-request');
}

/** The tip and addresses of a photo request, or null when it cannot be opened. */
export function openPhotoRequest(keys: TipKeys, request: string): { tipId: string; urls: string[] } | null {
  try {
    const value = JSON.parse(keys.text.open(request, 'photo-request')) as { tipId?: unknown; urls?: unknown };
    if (typeof value.tipId !== 'string' || !Array.isArray(value.urls)) return null;
    return { tipId: value.tipId, urls: value.urls.filter((u): u is string => typeof u === 'string') };
  } catch {
    return null;
  }
}
