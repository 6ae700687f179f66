import type { Repos } from '../../store/repos.js';
import { newSessionToken, sessionTokenHash, type SessionPolicy } from './session-token.js';

/** A new session: the token goes into the cookie (and nowhere else), it ends by `expiresAt` at the latest. */
export interface StartedSession {
  token: string;
  expiresAt: Date;
}

/**
 * Opens a session for an account that has just proved its password. A new token every time, so a token planted
 * before sign-in is worth nothing after it. Sessions that have ended (any account's) are swept here: sign-ins are
 * rare enough for that to cost nothing and frequent enough to keep the table small.
 */
export async function startSession(repos: Pick<Repos, 'staffSessions'>, req: { staffId: string; now: Date; policy: SessionPolicy }): Promise<StartedSession> {
  const { now, policy } = req;
  await repos.staffSessions.deleteExpired(now, new Date(now.getTime() - policy.idleMs));
  const token = newSessionToken();
  const expiresAt = new Date(now.getTime() + policy.maxMs);
  await repos.staffSessions.create({ tokenHash: sessionTokenHash(token), staffId: req.staffId, createdAt: now, expiresAt });
  return { token, expiresAt };
}
