import { randomBytes } from 'node:crypto';
import type { ConsoleSettings } from '../admin-deps.js';
import { cookieLine } from './cookies.js';

/**
 * The session cookie's name. `__Host-` makes the browser accept it only with Secure, Path=/ and no Domain, so a
 * sibling subdomain cannot plant or overwrite it; the local http demo cannot use the prefix (no Secure over http).
 */
export function sessionCookieName(settings: Pick<ConsoleSettings, 'cookieSecure'>): string {
  return settings.cookieSecure ? '__Host-ssb_console' : 'ssb_console';
}

/** The pre-sign-in cookie that the sign-in form's CSRF token is bound to. */
export function preSessionCookieName(settings: Pick<ConsoleSettings, 'cookieSecure'>): string {
  return settings.cookieSecure ? '__Host-ssb_console_pre' : 'ssb_console_pre';
}

/** Sets the session cookie until the session's absolute end. */
export function sessionCookie(settings: Pick<ConsoleSettings, 'cookieSecure'>, token: string, expiresAt: Date, now: Date): string {
  return cookieLine(sessionCookieName(settings), token, { secure: settings.cookieSecure, maxAgeSeconds: (expiresAt.getTime() - now.getTime()) / 1000 });
}

/** Deletes the session cookie. */
export function clearSessionCookie(settings: Pick<ConsoleSettings, 'cookieSecure'>): string {
  return cookieLine(sessionCookieName(settings), '', { secure: settings.cookieSecure, maxAgeSeconds: 0 });
}

// Long enough to fill in the sign-in form, short enough not to matter.
const PRE_SESSION_SECONDS = 2 * 3600;

/** A new pre-sign-in cookie: its value and its Set-Cookie line. */
export function newPreSessionCookie(settings: Pick<ConsoleSettings, 'cookieSecure'>): { value: string; line: string } {
  const value = randomBytes(18).toString('base64url');
  return { value, line: cookieLine(preSessionCookieName(settings), value, { secure: settings.cookieSecure, maxAgeSeconds: PRE_SESSION_SECONDS }) };
}
