import { createRepos, inTransaction } from '../../store/repos.js';
import { recordAudit } from '../audit/record-audit.js';
import { secondsUntil } from '../limits/attempt-limits.js';
import { MIN_PASSWORD_LENGTH } from './account-password.js';
import { hashPassword, verifyPassword } from './hash-password.js';
import type { SignInDeps } from './sign-in.js';

/** Longest password an account may choose for itself (argon2 hashes any length; this keeps the work and the form sane). */
export const MAX_PASSWORD_LENGTH = 200;

/** A signed-in account changing its own password, from the session it is signed in with. */
export interface ChangeOwnPasswordRequest {
  staffId: string;
  /** The account's (lower-cased) e-mail address: the per-account key of the sign-in limits. */
  email: string;
  /** The session that stays open; every other session of the account ends. */
  sessionId: string;
  currentPassword: string;
  newPassword: string;
  /** Only for the keyed sign-in limits: never stored or logged. */
  clientAddress: string;
  now: Date;
}

/** The outcome: how many other sessions ended, or why nothing changed (a block with when to come back). */
export type ChangeOwnPasswordResult =
  | { ok: true; sessionsEnded: number }
  | { ok: false; reason: 'too_short' | 'too_long' | 'same_as_current' | 'wrong_password' | 'changed_meanwhile' | 'not_found' }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number };

/**
 * Changes the signed-in account's password after checking its current one. The check is a sign-in attempt: it takes a
 * slot of the sign-in limits (per source address and per account, shared with `/admin/login`), so a stolen session is
 * no unlimited oracle for the password; a right one gives the slots back, as at sign-in. Input problems are found
 * before any slot or hash work. argon2 (verify and hash) runs outside the transaction, which must not hold the
 * database's only connection (embedded mode); the write then happens only if the hash is still the one checked (an
 * admin's reset in between wins). Every other session of the account ends; recorded as `staff_password_changed`,
 * without password or hash.
 */
export async function changeOwnPassword(deps: SignInDeps, req: ChangeOwnPasswordRequest): Promise<ChangeOwnPasswordResult> {
  if (req.newPassword.length < MIN_PASSWORD_LENGTH) return { ok: false, reason: 'too_short' };
  if (req.newPassword.length > MAX_PASSWORD_LENGTH) return { ok: false, reason: 'too_long' };
  if (req.newPassword === req.currentPassword) return { ok: false, reason: 'same_as_current' };
  const repos = createRepos(deps.prisma);
  const gate = await deps.limits.signIn(repos, req.email, req.clientAddress, req.now);
  if (!gate.ok) return { ok: false, reason: 'throttled', retryAfterSeconds: secondsUntil(gate.retryAt, req.now) };
  const account = await repos.staff.byEmail(req.email);
  if (!account || account.id !== req.staffId || !account.active) return { ok: false, reason: 'not_found' };
  if (!(await verifyPassword(account.passwordHash, req.currentPassword))) return { ok: false, reason: 'wrong_password' };
  await gate.succeeded();
  const hash = await hashPassword(req.newPassword);
  return inTransaction(deps.prisma, async (tx) => {
    if (!(await tx.staff.setPasswordHash(account.id, hash, account.passwordHash))) return { ok: false, reason: 'changed_meanwhile' } as const;
    const sessionsEnded = await tx.staffSessions.deleteAllOfExcept(account.id, req.sessionId);
    await recordAudit(tx, {
      staffId: account.id,
      action: 'staff_password_changed',
      targetType: 'staff',
      targetId: account.id,
      schoolId: account.schoolId,
      officeId: account.officeId,
      detail: { sessionsEnded },
      at: req.now,
    });
    return { ok: true, sessionsEnded } as const;
  });
}
