import type { Repos } from '../../store/repos.js';
import { recordAudit } from '../audit/record-audit.js';
import { changeableAccount } from './staff-reach.js';
import type { StaffScope } from './staff-scope.js';

/** The outcome: whether anything changed (deactivating a deactivated account changes nothing), or why not. */
export type SetStaffActiveResult =
  | { ok: true; changed: boolean; sessionsEnded: number }
  | { ok: false; reason: 'not_found' | 'forbidden' | 'own_account' };

/**
 * Deactivates or reactivates an account within the actor's reach that the actor may manage (`mayManage`), never
 * their own. Deactivating ends every session of the account at once and unlinks its chat (no alerts, no approvals
 * from chat); sign-in then refuses it like a wrong password. Reactivating lets it sign in again with its password (a
 * chat is linked anew from its profile). Each change is recorded (`staff_deactivated`, `staff_reactivated`).
 */
export async function setStaffActive(
  repos: Pick<Repos, 'staff' | 'staffSessions' | 'audit'>,
  req: { staffId: string; active: boolean },
  ctx: { actor: StaffScope; now: Date },
): Promise<SetStaffActiveResult> {
  const { actor } = ctx;
  const found = await changeableAccount(repos, actor, req.staffId);
  if (!found.ok) return found;
  const { target } = found;
  if (target.active === req.active) return { ok: true, changed: false, sessionsEnded: 0 };
  const set = await repos.staff.setActive(target.id, req.active);
  if (!set) return { ok: false, reason: 'not_found' };
  const sessionsEnded = req.active ? 0 : await repos.staffSessions.deleteAllOf(target.id);
  await recordAudit(repos, {
    staffId: actor.staffId,
    action: req.active ? 'staff_reactivated' : 'staff_deactivated',
    targetType: 'staff',
    targetId: target.id,
    schoolId: target.schoolId,
    officeId: target.officeId ?? target.school?.officeId ?? null,
    detail: req.active ? { role: target.role } : { role: target.role, sessionsEnded, chatUnlinked: set.chatUnlinked },
    at: ctx.now,
  });
  return { ok: true, changed: true, sessionsEnded };
}
