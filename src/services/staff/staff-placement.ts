import type { Repos } from '../../store/repos.js';
import type { StaffPlacement } from '../../store/staff.repo.js';
import { isStaffRole, seesSchool, type StaffRole, type StaffScope } from './staff-scope.js';

/** A role and where it applies, as a person names it: offices, schools and classes by id or by code. */
export interface PlacementRequest {
  role: string;
  office?: string | null;
  school?: string | null;
  class?: string | null;
}

/** Why a placement cannot be used. */
export type PlacementProblem =
  | 'bad_role'
  | 'admin_takes_office_only'
  | 'needs_school'
  | 'needs_class'
  | 'needs_school_or_office'
  | 'school_or_office_not_both'
  | 'unknown_office'
  | 'unknown_school'
  | 'unknown_class'
  | 'class_not_in_school';

/** The checked placement with ids, or the problem. */
export type PlacementResult = { ok: true; placement: StaffPlacement; schoolOfficeId: string | null } | { ok: false; reason: PlacementProblem };

/**
 * Checks that a role has the places it needs and nothing it cannot use: an admin an office or none (every school);
 * a school admin a school; a teacher a class (its school follows); a tip handler a school or an office.
 */
export async function resolvePlacement(repos: Pick<Repos, 'staff'>, req: PlacementRequest): Promise<PlacementResult> {
  const { role } = req;
  if (!isStaffRole(role)) return { ok: false, reason: 'bad_role' };
  const [office, school, klass] = await Promise.all([
    req.office ? repos.staff.office(req.office) : null,
    req.school ? repos.staff.school(req.school) : null,
    req.class ? repos.staff.class(req.class) : null,
  ]);
  if (req.office && !office) return { ok: false, reason: 'unknown_office' };
  if (req.school && !school) return { ok: false, reason: 'unknown_school' };
  if (req.class && !klass) return { ok: false, reason: 'unknown_class' };
  const none = { officeId: null, schoolId: null, classId: null };
  switch (role) {
    case 'admin':
      if (school || klass) return { ok: false, reason: 'admin_takes_office_only' };
      return { ok: true, placement: { ...none, role, officeId: office?.id ?? null }, schoolOfficeId: null };
    case 'school_admin':
      if (!school) return { ok: false, reason: 'needs_school' };
      if (office) return { ok: false, reason: 'school_or_office_not_both' };
      return { ok: true, placement: { ...none, role, schoolId: school.id }, schoolOfficeId: school.officeId };
    case 'teacher': {
      if (!klass) return { ok: false, reason: 'needs_class' };
      if (office) return { ok: false, reason: 'school_or_office_not_both' };
      if (school && school.id !== klass.schoolId) return { ok: false, reason: 'class_not_in_school' };
      const own = school ?? (await repos.staff.school(klass.schoolId));
      return { ok: true, placement: { ...none, role, schoolId: klass.schoolId, classId: klass.id }, schoolOfficeId: own?.officeId ?? null };
    }
    case 'tip_handler':
      if (school && office) return { ok: false, reason: 'school_or_office_not_both' };
      if (school) return { ok: true, placement: { ...none, role, schoolId: school.id }, schoolOfficeId: school.officeId };
      if (office) return { ok: true, placement: { ...none, role, officeId: office.id }, schoolOfficeId: null };
      return { ok: false, reason: 'needs_school_or_office' };
  }
}

/**
 * The roles a school admin may give, all within their own school: none above their own, and not tip handling. Tips may
 * be about the school's own staff; who reads them is decided by an office admin, so a school admin can neither grant
 * a tip handler's access (to a second account of their own, say) nor change or lock out a handler of their school.
 */
export const SCHOOL_ADMIN_GRANTS: readonly StaffRole[] = ['school_admin', 'teacher'];

/**
 * Whether an account may give an account this placement: a system admin (no office) any; an office admin only places
 * of their office, and never a system-wide admin; a school admin only their school's roles up to their own,
 * tip handling excepted (`SCHOOL_ADMIN_GRANTS`), in their own school. Anyone else none.
 */
export function mayAssign(actor: StaffScope, placement: StaffPlacement, schoolOfficeId: string | null): boolean {
  if (actor.role === 'school_admin') {
    return (SCHOOL_ADMIN_GRANTS as readonly string[]).includes(placement.role) && placement.officeId === null && placement.schoolId !== null && seesSchool(actor, placement.schoolId);
  }
  if (actor.role !== 'admin') return false;
  if (actor.schoolIds === 'all') return true;
  if (placement.schoolId) return seesSchool(actor, placement.schoolId) && schoolOfficeId === actor.officeId;
  return placement.officeId !== null && placement.officeId === actor.officeId;
}

/** Whether an account may change an account as it is now (an office admin: only accounts of their office; a school admin: their school's, up to their own role). */
export function mayManage(actor: StaffScope, target: StaffPlacement, targetSchoolOfficeId: string | null): boolean {
  return mayAssign(actor, target, targetSchoolOfficeId);
}
