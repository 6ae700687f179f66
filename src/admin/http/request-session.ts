import type { Request } from 'express';
import type { SignedInStaff } from '../../services/staff/resume-session.js';
import type { AdminDeps } from '../admin-deps.js';
import { readCookies } from './cookies.js';
import { clearSessionCookie, preSessionCookieName, sessionCookieName } from './session-cookie.js';

/** The console state a request carries in its cookies. */
export interface RequestSession {
  /** The signed-in account, or null. */
  session: SignedInStaff | null;
  /** The session cookie's token when it names a live session. */
  token: string | null;
  /** The pre-sign-in cookie's value (the sign-in form's CSRF binding), when well-formed. */
  preSession: string | null;
  /** Set-Cookie lines to send back (a dead session's cookie is deleted). */
  cookies: string[];
}

/** Reads the session cookie and resumes its session (idle and absolute limits checked, scope resolved now). */
export async function requestSession(deps: AdminDeps, req: Request, now: Date): Promise<RequestSession> {
  const cookies = readCookies(req.headers.cookie);
  const token = cookies.get(sessionCookieName(deps.settings)) ?? null;
  const pre = cookies.get(preSessionCookieName(deps.settings)) ?? null;
  const preSession = pre && /^[A-Za-z0-9_-]{24}$/.test(pre) ? pre : null;
  if (!token) return { session: null, token: null, preSession, cookies: [] };
  const resumed = await deps.staff.resume(token, now);
  if (!resumed.ok) return { session: null, token: null, preSession, cookies: [clearSessionCookie(deps.settings)] };
  return { session: resumed.session, token, preSession, cookies: [] };
}
