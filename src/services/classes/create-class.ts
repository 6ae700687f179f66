import type { Repos } from '../../store/repos.js';
import type { ClassRecord } from '../../store/school-admin.repo.js';
import { fieldErrors, type FieldError } from '../schools/input-text.js';
import { managesSchool, reachesSchool } from '../schools/school-access.js';
import type { StaffScope } from '../staff/staff-scope.js';
import { classCodeCandidates } from './class-code.js';
import { classNameKey, CreateClassSchema, type CreateClassInput } from './class-input.schema.js';
import { schoolYearOf } from './school-year.js';

/** The new class with its code (what parents type, and the `ref` of its links); or why none was created. */
export type CreateClassResult =
  | { ok: true; class: ClassRecord }
  | { ok: false; reason: 'not_found' | 'forbidden' }
  | { ok: false; reason: 'invalid' | 'duplicate'; errors: FieldError[] };

/** The Vietnamese message for a class name already used in the school (that school year). */
export function duplicateClassMessage(name: string): string {
  return `Lớp ${name} đã có ở trường này.`;
}

/** Creates a class in a school (admins and that school's admin; teachers may not), unique by name per school year. */
export async function createClass(repos: Repos, scope: StaffScope, schoolId: string, input: CreateClassInput, now: Date): Promise<CreateClassResult> {
  const school = await repos.schoolAdmin.getSchool(schoolId);
  if (!school || !reachesSchool(scope, school)) return { ok: false, reason: 'not_found' };
  if (!managesSchool(scope, school)) return { ok: false, reason: 'forbidden' };
  const parsed = CreateClassSchema.safeParse(input);
  if (!parsed.success) return { ok: false, reason: 'invalid', errors: fieldErrors(parsed.error) };
  const { name, grade } = parsed.data;
  const schoolYear = parsed.data.schoolYear ?? schoolYearOf(now);
  const duplicate = { ok: false as const, reason: 'duplicate' as const, errors: [{ field: 'name', message: duplicateClassMessage(name) }] };
  const nameTaken = async () => (await repos.schoolAdmin.classNames(school.id, schoolYear)).some((c) => classNameKey(c.name) === classNameKey(name));
  if (await nameTaken()) return duplicate;
  // Two tries: a code taken between the check and the insert (another class created at that moment) draws the next one.
  for (let attempt = 0; attempt < 2; attempt++) {
    const candidates = classCodeCandidates(school.code, name, grade, schoolYear);
    const taken = await repos.schoolAdmin.takenClassCodes(candidates);
    const code = candidates.find((c) => !taken.has(c));
    if (!code) break;
    const row = await repos.schoolAdmin.insertClass({ schoolId: school.id, name, grade, schoolYear, code });
    if (row) return { ok: true, class: { ...row, officeId: school.officeId } };
    if (await nameTaken()) return duplicate;
  }
  return { ok: false, reason: 'duplicate', errors: [{ field: 'name', message: `Không tạo được mã cho lớp ${name}: các mã gợi ý đều đã được dùng. Hãy đặt tên lớp khác.` }] };
}
