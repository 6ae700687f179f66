import type { Repos } from '../../store/repos.js';
import type { StaffMember } from '../../store/staff.repo.js';
import { resolveStaffScope } from './resolve-staff-scope.js';
import { looksLikeSessionToken, sessionTokenHash, type SessionPolicy } from './session-token.js';
import type { StaffRole, StaffScope } from './staff-scope.js';

/** The signed-in account of one request: who it is and what it may reach right now. */
export interface SignedInStaff {
  sessionId: string;
  staff: StaffMember & { role: StaffRole };
  scope: StaffScope;
  expiresAt: Date;
}

/** A session that works, or why there is none (every refusal means: sign in again). */
export type ResumeSessionResult = { ok: true; session: SignedInStaff } | { ok: false; reason: 'none' | 'idle' | 'expired' | 'no_role' | 'inactive' };

// `lastSeenAt` is written at most this often (a write per click would be wasted): the idle timeout is kept to within it.
const TOUCH_EVERY_MS = 60_000;

/**
 * Finds the session of a cookie token and checks both limits: idle (since `lastSeenAt`) and absolute
 * (`expiresAt`). An ended session is deleted. The scope is resolved from the account as it is now, so a role change
 * applies at the next request.
 */
export async function resumeSession(repos: Pick<Repos, 'staffSessions' | 'staff'>, req: { token: string; now: Date; policy: SessionPolicy }): Promise<ResumeSessionResult> {
  if (!looksLikeSessionToken(req.token)) return { ok: false, reason: 'none' };
  const stored = await repos.staffSessions.byTokenHash(sessionTokenHash(req.token));
  if (!stored) return { ok: false, reason: 'none' };
  const now = req.now.getTime();
  const ended = now >= stored.expiresAt.getTime() ? 'expired' : now - stored.lastSeenAt.getTime() >= req.policy.idleMs ? 'idle' : null;
  if (ended) {
    await repos.staffSessions.delete(stored.id);
    return { ok: false, reason: ended };
  }
  // Deactivating ends the account's sessions; this also refuses one that a sign-in racing the deactivation opened.
  if (!stored.staff.active) {
    await repos.staffSessions.delete(stored.id);
    return { ok: false, reason: 'inactive' };
  }
  const scope = await resolveStaffScope(repos, stored.staff);
  if (!scope) return { ok: false, reason: 'no_role' };
  if (now - stored.lastSeenAt.getTime() >= Math.min(TOUCH_EVERY_MS, req.policy.idleMs / 10)) await repos.staffSessions.touch(stored.id, req.now);
  return { ok: true, session: { sessionId: stored.id, staff: { ...stored.staff, role: scope.role }, scope, expiresAt: stored.expiresAt } };
}
