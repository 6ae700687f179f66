import { createHmac } from 'node:crypto';

/**
 * The key of staff link code hashes, derived from the teacher invite key (itself derived from APP_SECRET), so the
 * server and `npm run staff:link` agree without another setting. Keyed for the same reason as teacher codes: a code
 * has ~42 bits, an unkeyed hash in a copied database would fall in minutes. Changing APP_SECRET voids pending codes.
 */
export function staffLinkKey(teacherInviteKey: Buffer): Buffer {
  return createHmac('sha256', teacherInviteKey).update('staff-chat-links:v1').digest();
}

/** The stored form of a canonical link code (see `normalizeStaffLinkCode`). */
export function hashStaffLinkCode(key: Buffer, code: string): string {
  return createHmac('sha256', key).update(`code:${code}`).digest('base64url');
}

/**
 * The throttle key of one contact's link code tries in one window: a keyed hash with a salt that changes each window,
 * so the `AttemptWindow` row names neither the contact nor links two windows of the same contact.
 */
export function linkAttemptKey(key: Buffer, contactId: string, windowStart: Date): string {
  const salt = createHmac('sha256', key).update(`attempts:staff-link:${windowStart.toISOString()}`).digest();
  return createHmac('sha256', salt).update(contactId).digest('base64url').slice(0, 32);
}
