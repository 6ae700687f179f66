import type { StaffScope } from '../staff/staff-scope.js';
import { seesSchool } from '../staff/staff-scope.js';

/** The part of a school a scope check needs. */
export interface SchoolPlace {
  id: string;
  officeId: string;
}

/**
 * Whether the scope reaches a school. An office admin reaches every school of their office, also one created after
 * their scope was resolved (at sign-in), so a school they just made is theirs at once.
 */
export function reachesSchool(scope: StaffScope, school: SchoolPlace): boolean {
  if (scope.role === 'tip_handler') return false;
  if (seesSchool(scope, school.id)) return true;
  return scope.role === 'admin' && scope.officeId !== null && scope.officeId === school.officeId;
}

/** Whether the scope may change a school and its classes: an admin or the school's own school admin. */
export function managesSchool(scope: StaffScope, school: SchoolPlace): boolean {
  return (scope.role === 'admin' || scope.role === 'school_admin') && reachesSchool(scope, school);
}
