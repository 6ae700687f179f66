import type { Repos } from '../../store/repos.js';
import type { SchoolRecord } from '../../store/school-admin.repo.js';
import type { StaffScope } from '../staff/staff-scope.js';
import { fieldErrors, type FieldError } from './input-text.js';
import { managesSchool, reachesSchool } from './school-access.js';
import { UpdateSchoolSchema, type UpdateSchoolInput } from './school-input.schema.js';

/** The school as stored after the change; or why nothing changed. */
export type UpdateSchoolResult =
  | { ok: true; school: SchoolRecord }
  | { ok: false; reason: 'not_found' | 'forbidden' }
  | { ok: false; reason: 'invalid'; errors: FieldError[] };

/** Renames a school or changes whether its school-wide broadcasts need approval (admins and that school's admin). */
export async function updateSchool(repos: Repos, scope: StaffScope, schoolId: string, input: UpdateSchoolInput): Promise<UpdateSchoolResult> {
  const school = await repos.schoolAdmin.getSchool(schoolId);
  if (!school || !reachesSchool(scope, school)) return { ok: false, reason: 'not_found' };
  if (!managesSchool(scope, school)) return { ok: false, reason: 'forbidden' };
  const parsed = UpdateSchoolSchema.safeParse(input);
  if (!parsed.success) return { ok: false, reason: 'invalid', errors: fieldErrors(parsed.error) };
  const updated = await repos.schoolAdmin.updateSchool(school.id, parsed.data);
  return updated ? { ok: true, school: updated } : { ok: false, reason: 'not_found' };
}
