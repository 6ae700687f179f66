import type { ClassRecord } from '../../store/school-admin.repo.js';
import { managesSchool, reachesSchool } from '../schools/school-access.js';
import type { StaffScope } from '../staff/staff-scope.js';

/**
 * Whether the scope reaches a class (its roster, links and codes): admins and school admins every class of a school
 * they reach, a teacher only their own classes.
 */
export function reachesClass(scope: StaffScope, cls: Pick<ClassRecord, 'id' | 'schoolId' | 'officeId'>): boolean {
  if (!reachesSchool(scope, { id: cls.schoolId, officeId: cls.officeId })) return false;
  if (scope.role === 'admin' || scope.role === 'school_admin') return true;
  return scope.classIds === 'all' || scope.classIds.includes(cls.id);
}

/** Whether the scope may create, rename or invite teachers for a class: an admin or that school's admin. */
export function managesClass(scope: StaffScope, cls: Pick<ClassRecord, 'schoolId' | 'officeId'>): boolean {
  return managesSchool(scope, { id: cls.schoolId, officeId: cls.officeId });
}
