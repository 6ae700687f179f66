import type { Repos } from '../../store/repos.js';
import { recordAudit } from '../audit/record-audit.js';
import { looksLikeSessionToken, sessionTokenHash } from './session-token.js';

/**
 * Signs out: deletes the session of this cookie token (the cookie alone is worth nothing afterwards) and records the
 * sign-out for the account. Whether there was a session.
 */
export async function endSession(repos: Pick<Repos, 'staffSessions' | 'audit'>, req: { token: string; staffId: string | null; schoolId?: string | null; officeId?: string | null; now: Date }): Promise<boolean> {
  if (!looksLikeSessionToken(req.token)) return false;
  const ended = await repos.staffSessions.deleteByTokenHash(sessionTokenHash(req.token));
  if (ended && req.staffId) {
    await recordAudit(repos, { staffId: req.staffId, action: 'sign_out', schoolId: req.schoolId ?? null, officeId: req.officeId ?? null, at: req.now });
  }
  return ended;
}
