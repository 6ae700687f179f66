import type { ReachFilter, TipFilter } from '../../store/dashboard.repo.js';
import { seesSchool, type StaffScope } from '../staff/staff-scope.js';

/**
 * The pledge, roster and broadcast figures a scope reaches, as the store's filter: a teacher their class(es), a
 * school admin their school, an admin their office's schools (or all). A tip handler reaches none of them (null).
 * `schoolId` narrows it to one school: `not_visible` when the scope does not reach that school.
 */
export function figureFilter(scope: StaffScope, schoolId?: string): ReachFilter | null | 'not_visible' {
  if (scope.role === 'tip_handler') return null;
  if (schoolId !== undefined && !seesSchool(scope, schoolId)) return 'not_visible';
  const schoolIds = schoolId !== undefined ? [schoolId] : scope.schoolIds === 'all' ? null : [...scope.schoolIds];
  // Only a teacher is limited to classes; for the other roles `classIds` names whose pupils' names they may read.
  const classIds = scope.role === 'teacher' ? (scope.classIds === 'all' ? null : [...scope.classIds]) : null;
  return { schoolIds, classIds };
}

/**
 * How much of the tips a scope may see on the dashboard: a handler or an admin the counts and the codes of urgent
 * tips waiting (they act on them), a school admin the counts only, a teacher nothing (tips belong to no class).
 */
export function tipAccess(scope: StaffScope): 'codes' | 'counts' | 'none' {
  if (scope.role === 'tip_handler' || scope.role === 'admin') return 'codes';
  return scope.role === 'school_admin' ? 'counts' : 'none';
}

/**
 * The tips a scope reaches: every tip (`'all'`), or those of its schools; office-level accounts also those that name
 * no school, as the tips inbox does (src/store/tip.repo.ts, `TipScope` `office`). `schoolId` narrows it to one school.
 */
export function tipFilter(scope: StaffScope, schoolId?: string): TipFilter | 'not_visible' {
  if (schoolId !== undefined) return seesSchool(scope, schoolId) ? { schoolIds: [schoolId], withoutSchool: false } : 'not_visible';
  if (scope.schoolIds === 'all') return { schoolIds: null, withoutSchool: true };
  // An account with both a school and an office resolves to its school (resolve-staff-scope.ts), which a scope of one
  // school cannot be told apart from: a handler reaching a single school never gets the tips of no school here.
  const officeLevel = scope.officeId !== null && (scope.role === 'admin' || (scope.role === 'tip_handler' && scope.schoolIds.length !== 1));
  return { schoolIds: [...scope.schoolIds], withoutSchool: officeLevel };
}
