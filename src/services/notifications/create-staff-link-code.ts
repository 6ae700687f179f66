import { newStaffLinkCode } from '../../content/staff-code.js';
import type { Repos } from '../../store/repos.js';
import { hashStaffLinkCode } from './staff-link-keys.js';

/** How long a link code works: long enough to reach the chat, short enough not to lie around. */
export const LINK_CODE_TTL_MS = 24 * 3600_000;
// A fresh code colliding with a stored one is a 1-in-10^12 event; drawing again a few times makes it a non-event.
const DRAWS = 5;

/** The code (shown once, never stored) for an account; or why there is none. */
export type CreateLinkCodeOutcome =
  | { ok: true; code: string; expiresAt: Date; account: { id: string; name: string; role: string } }
  | { ok: false; reason: 'unknown_account' | 'no_free_code' };

/**
 * Issues a single-use chat link code for a staff account (valid 24 h; a new code voids the previous one). Only its
 * keyed hash is stored. The account's chat is linked once someone sends "NV <code>" (`linkStaffChat`).
 */
export async function createStaffLinkCode(repos: Repos, key: Buffer, req: { email: string; now: Date }): Promise<CreateLinkCodeOutcome> {
  const account = await repos.staffNotifications.accountByEmail(req.email.trim().toLowerCase());
  if (!account) return { ok: false, reason: 'unknown_account' };
  const expiresAt = new Date(req.now.getTime() + LINK_CODE_TTL_MS);
  for (let i = 0; i < DRAWS; i++) {
    const code = newStaffLinkCode();
    const hash = hashStaffLinkCode(key, code);
    if (await repos.staffNotifications.linkHashTaken(hash)) continue;
    await repos.staffNotifications.setLinkCode(account.id, hash, expiresAt);
    return { ok: true, code, expiresAt, account: { id: account.id, name: account.name, role: account.role } };
  }
  return { ok: false, reason: 'no_free_code' };
}
