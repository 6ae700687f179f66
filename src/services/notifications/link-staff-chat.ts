import { normalizeStaffLinkCode } from '../../content/staff-code.js';
import type { Repos } from '../../store/repos.js';
import { hashStaffLinkCode, linkAttemptKey } from './staff-link-keys.js';

/** Wrong codes a contact may send per window before every try is refused until the window ends (as teacher codes). */
export const LINK_TRIES = { limit: 5, windowMs: 3600_000 } as const;

/** The outcome of a typed link code: the chat now reaches that staff account, or why not. */
export type LinkStaffChatOutcome =
  | { ok: true; staffId: string; name: string; role: string }
  | { ok: false; reason: 'malformed' | 'unknown' | 'used' | 'expired' }
  | { ok: false; reason: 'rate_limited'; retryAt: Date };

/**
 * Links a chat contact to the staff account whose link code it typed: the code is used up and the account's
 * `chatContactId` set (the contact leaves any other account). Every try that is not right takes one of
 * `LINK_TRIES.limit` slots of the hour and a right one gives its slot back; once they are gone every try is refused.
 */
export async function linkStaffChat(repos: Repos, key: Buffer, req: { contactId: string; typed: string; now: Date }): Promise<LinkStaffChatOutcome> {
  const code = normalizeStaffLinkCode(req.typed);
  // Not the shape of a code: it cannot be right, so it costs no try.
  if (!code) return { ok: false, reason: 'malformed' };
  const windowStart = new Date(Math.floor(req.now.getTime() / LINK_TRIES.windowMs) * LINK_TRIES.windowMs);
  const slot = linkAttemptKey(key, req.contactId, windowStart);
  if (!(await repos.throttle.take(slot, windowStart, LINK_TRIES.limit))) {
    return { ok: false, reason: 'rate_limited', retryAt: new Date(windowStart.getTime() + LINK_TRIES.windowMs) };
  }
  const hash = hashStaffLinkCode(key, code);
  const account = await repos.staffNotifications.accountByLinkHash(hash);
  if (!account) return { ok: false, reason: 'unknown' };
  // Sending one's own used code again (a retry) answers as the first time did.
  const own = account.linkCodeExpiresAt === null && account.chatContactId === req.contactId;
  if (!own) {
    if (account.linkCodeExpiresAt === null) return { ok: false, reason: 'used' };
    if (account.linkCodeExpiresAt.getTime() <= req.now.getTime()) return { ok: false, reason: 'expired' };
    if (!(await repos.staffNotifications.useLinkCode(account.id, hash, req.now))) return { ok: false, reason: 'used' };
    await repos.staffNotifications.linkContact(account.id, req.contactId);
  }
  await repos.throttle.refund(slot, windowStart);
  return { ok: true, staffId: account.id, name: account.name, role: account.role };
}
