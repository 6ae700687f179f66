import type { TipKeys } from './tip-keys.js';

const GRANT_MS = 30 * 60_000;

/** An opaque proof of the right PIN for `tipId`, valid 30 minutes, so adding information needs no kept PIN. */
export function issueGrant(keys: TipKeys, tipId: string, now: Date): string {
  return keys.text.seal(`${tipId}|${now.getTime() + GRANT_MS}`, 'grant');
}

/** The tip a grant names while it is valid, or null (expired, altered or not a grant). */
export function grantedTipId(keys: TipKeys, grant: string, now: Date): string | null {
  try {
    const [tipId, until] = keys.text.open(grant, 'grant').split('|');
    return tipId && Number(until) > now.getTime() ? tipId : null;
  } catch {
    return null;
  }
}
