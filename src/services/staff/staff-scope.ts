/**
 * What a console account may see and do, resolved once at sign-in (or per request from its session) and passed to
 * every console service. Services check it on the server for every read and change: a teacher of 6A1 never reads
 * 6A2, a handler of one school never opens another school's tip (issue 10).
 *
 * Roles (StaffUser.role):
 * - `admin`: an office admin, every school of its office (`officeId`); without an office, every school of the system.
 * - `school_admin`: every class of one school.
 * - `teacher`: their own class(es) of one school; pupils' names only for those classes.
 * - `tip_handler`: the tips of their school, or of their office's schools; nothing else of the console.
 */
export type StaffRole = 'admin' | 'school_admin' | 'teacher' | 'tip_handler';

export const STAFF_ROLES: readonly StaffRole[] = ['admin', 'school_admin', 'teacher', 'tip_handler'];

/** The resolved reach of one account. `'all'`: no limit (a system admin). */
export interface StaffScope {
  staffId: string;
  role: StaffRole;
  officeId: string | null;
  schoolIds: readonly string[] | 'all';
  /** Classes whose pupils' names this account may read; `'all'` within `schoolIds` for admins. */
  classIds: readonly string[] | 'all';
}

export function isStaffRole(value: string): value is StaffRole {
  return (STAFF_ROLES as readonly string[]).includes(value);
}

/** Whether the scope reaches a school at all. */
export function seesSchool(scope: StaffScope, schoolId: string | null): boolean {
  if (scope.schoolIds === 'all') return true;
  return schoolId !== null && scope.schoolIds.includes(schoolId);
}

/** Whether the scope may read a class's pupils (roster names, who has not pledged). */
export function seesClassNames(scope: StaffScope, schoolId: string, classId: string): boolean {
  if (scope.role === 'tip_handler' || !seesSchool(scope, schoolId)) return false;
  return scope.classIds === 'all' || scope.classIds.includes(classId);
}
