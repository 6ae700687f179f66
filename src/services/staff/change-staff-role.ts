import type { Repos } from '../../store/repos.js';
import type { StaffMember } from '../../store/staff.repo.js';
import { recordAudit } from '../audit/record-audit.js';
import { mayAssign, mayManage, resolvePlacement, type PlacementProblem, type PlacementRequest } from './staff-placement.js';
import type { StaffScope } from './staff-scope.js';

/** The account after the change, or why not. `not_found` also covers an account outside the admin's office. */
export type ChangeStaffRoleResult = { ok: true; account: StaffMember } | { ok: false; reason: PlacementProblem | 'not_found' | 'forbidden' | 'own_account' };

/**
 * Gives an account a new role and places. Admins and school admins (`mayManage`, `mayAssign`): an office admin for
 * accounts of their office and places in it; a school admin for their school's accounts, up to their own role; a
 * system admin for anyone. Nobody changes their own role (no one locks the last admin out by a slip).
 * Sessions stay open and take the new scope at their next request (scope is resolved per request). Recorded with the
 * old and the new role.
 */
export async function changeStaffRole(
  repos: Pick<Repos, 'staff' | 'audit'>,
  req: PlacementRequest & { staffId: string },
  ctx: { actor: StaffScope; now: Date },
): Promise<ChangeStaffRoleResult> {
  const { actor } = ctx;
  if (actor.role !== 'admin' && actor.role !== 'school_admin') return { ok: false, reason: 'forbidden' };
  const target = await repos.staff.memberById(req.staffId);
  if (!target) return { ok: false, reason: 'not_found' };
  const targetSchoolOffice = target.schoolId ? ((await repos.staff.school(target.schoolId))?.officeId ?? null) : null;
  if (!mayManage(actor, target, targetSchoolOffice)) return { ok: false, reason: 'not_found' };
  if (target.id === actor.staffId) return { ok: false, reason: 'own_account' };
  const placed = await resolvePlacement(repos, req);
  if (!placed.ok) return placed;
  if (!mayAssign(actor, placed.placement, placed.schoolOfficeId)) return { ok: false, reason: 'forbidden' };
  const account = await repos.staff.setPlacement(target.id, placed.placement);
  if (!account) return { ok: false, reason: 'not_found' };
  await recordAudit(repos, {
    staffId: actor.staffId,
    action: 'role_changed',
    targetType: 'staff',
    targetId: target.id,
    schoolId: account.schoolId ?? target.schoolId,
    officeId: account.officeId ?? placed.schoolOfficeId ?? target.officeId ?? targetSchoolOffice,
    detail: { from: target.role, to: account.role, fromSchool: target.schoolId, toSchool: account.schoolId, fromClass: target.classId, toClass: account.classId },
    at: ctx.now,
  });
  return { ok: true, account };
}
