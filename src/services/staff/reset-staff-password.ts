import type { Repos } from '../../store/repos.js';
import { recordAudit } from '../audit/record-audit.js';
import type { PreparedPassword } from './account-password.js';
import { changeableAccount } from './staff-reach.js';
import type { StaffScope } from './staff-scope.js';

/** The outcome: how many sessions of the account ended, or why nothing changed. */
export type ResetStaffPasswordResult = { ok: true; sessionsEnded: number } | { ok: false; reason: 'not_found' | 'forbidden' | 'own_account' };

/**
 * Gives an account within the actor's reach that the actor may change (the rules of `setStaffActive`, never their
 * own: that is `changeOwnPassword`, which asks for the current password) the caller's new password, and ends every
 * session of the account, so whoever knew the old password is signed out too. Hash the password before opening the
 * transaction this runs in (`newAccountPassword`). Recorded as `staff_password_reset`, without password or hash.
 */
export async function resetStaffPassword(
  repos: Pick<Repos, 'staff' | 'staffSessions' | 'audit'>,
  req: { staffId: string },
  password: PreparedPassword,
  ctx: { actor: StaffScope; now: Date },
): Promise<ResetStaffPasswordResult> {
  const { actor } = ctx;
  const found = await changeableAccount(repos, actor, req.staffId);
  if (!found.ok) return found;
  const { target } = found;
  if (!(await repos.staff.setPasswordHash(target.id, password.hash))) return { ok: false, reason: 'not_found' };
  const sessionsEnded = await repos.staffSessions.deleteAllOf(target.id);
  await recordAudit(repos, {
    staffId: actor.staffId,
    action: 'staff_password_reset',
    targetType: 'staff',
    targetId: target.id,
    schoolId: target.schoolId,
    officeId: target.officeId ?? target.school?.officeId ?? null,
    detail: { role: target.role, sessionsEnded },
    at: ctx.now,
  });
  return { ok: true, sessionsEnded };
}
