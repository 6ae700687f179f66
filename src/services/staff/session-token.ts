import { createHash, randomBytes } from 'node:crypto';

/** How long a console session lasts: idle timeout and absolute lifetime (from config, ADMIN_SESSION_*). */
export interface SessionPolicy {
  idleMs: number;
  maxMs: number;
}

/** A fresh session token for the cookie: 32 random bytes, base64url (43 characters). */
export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What the database stores instead of the token: its SHA-256 (the token has 256 bits, so no key is needed). */
export function sessionTokenHash(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** Whether a cookie value is shaped like one of our tokens (anything else is not looked up). */
export function looksLikeSessionToken(value: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(value);
}
