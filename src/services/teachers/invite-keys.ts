import { createHmac } from 'node:crypto';

/**
 * The key of teacher invite hashes, derived from APP_SECRET so the server and `npm run invite` agree without another
 * setting. Keyed, not a bare SHA-256: a code has only ~42 bits, so anyone holding a copy of the database could try
 * every code against an unkeyed hash in minutes. Changing APP_SECRET voids the codes not yet used.
 */
export function teacherInviteKey(appSecret: string): Buffer {
  return createHmac('sha256', appSecret).update('teacher-invites:v1').digest();
}

/** The stored form of a canonical code (see `normalizeTeacherCode`). */
export function hashTeacherCode(key: Buffer, code: string): string {
  return createHmac('sha256', key).update(`code:${code}`).digest('base64url');
}

/**
 * The throttle key of one contact's code tries in one window: a keyed hash with a salt that changes each window, so
 * the `AttemptWindow` row names neither the contact nor links two windows of the same contact.
 */
export function codeAttemptKey(key: Buffer, contactId: string, windowStart: Date): string {
  const salt = createHmac('sha256', key).update(`attempts:teacher-code:${windowStart.toISOString()}`).digest();
  return createHmac('sha256', salt).update(contactId).digest('base64url').slice(0, 32);
}
