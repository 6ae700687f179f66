import type { Repos } from '../../store/repos.js';
import type { ClassListItem, SchoolRecord } from '../../store/school-admin.repo.js';
import { reachesSchool } from '../schools/school-access.js';
import type { StaffScope } from '../staff/staff-scope.js';

/** A school's classes the account reaches (a teacher: their own), with roster counts; or not found. */
export type ListClassesResult = { ok: true; school: SchoolRecord; classes: ClassListItem[] } | { ok: false; reason: 'not_found' };

/** Lists a school's classes, newest school year first, then by grade and name. */
export async function listClasses(repos: Repos, scope: StaffScope, schoolId: string): Promise<ListClassesResult> {
  const school = await repos.schoolAdmin.getSchool(schoolId);
  if (!school || !reachesSchool(scope, school)) return { ok: false, reason: 'not_found' };
  const onlyOwn = scope.role === 'teacher' && scope.classIds !== 'all' ? scope.classIds : undefined;
  return { ok: true, school, classes: await repos.schoolAdmin.listClasses(school.id, onlyOwn) };
}
