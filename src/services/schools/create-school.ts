import type { Repos } from '../../store/repos.js';
import type { SchoolRecord } from '../../store/school-admin.repo.js';
import type { StaffScope } from '../staff/staff-scope.js';
import { fieldErrors, type FieldError } from './input-text.js';
import { CreateSchoolSchema, type CreateSchoolInput } from './school-input.schema.js';

/** The new school; or why none was created (`errors` in Vietnamese, per field). */
export type CreateSchoolResult =
  | { ok: true; school: SchoolRecord }
  | { ok: false; reason: 'forbidden' }
  | { ok: false; reason: 'invalid' | 'duplicate'; errors: FieldError[] };

/**
 * Creates a school. Only admins may: an office admin in their own office (an `officeId` of another office is
 * refused as if it did not exist), a system admin in the office they name.
 */
export async function createSchool(repos: Repos, scope: StaffScope, input: CreateSchoolInput): Promise<CreateSchoolResult> {
  if (scope.role !== 'admin' || (scope.officeId === null && scope.schoolIds !== 'all')) return { ok: false, reason: 'forbidden' };
  const parsed = CreateSchoolSchema.safeParse(input);
  if (!parsed.success) return { ok: false, reason: 'invalid', errors: fieldErrors(parsed.error) };
  const { officeId: asked, code, name, level, broadcastNeedsApproval } = parsed.data;
  const officeId = scope.officeId ?? asked;
  const noOffice = [{ field: 'officeId', message: 'Không có phòng/sở giáo dục này.' }];
  if (!officeId) return { ok: false, reason: 'invalid', errors: [{ field: 'officeId', message: 'Chọn phòng/sở giáo dục của trường.' }] };
  if ((asked !== undefined && asked !== officeId) || !(await repos.schoolAdmin.officeExists(officeId))) return { ok: false, reason: 'invalid', errors: noOffice };
  const taken = [{ field: 'code', message: `Mã trường ${code} đã được dùng; hãy chọn mã khác.` }];
  if (await repos.schoolAdmin.schoolCodeTaken(code)) return { ok: false, reason: 'duplicate', errors: taken };
  const school = await repos.schoolAdmin.insertSchool({ officeId, code, name, level, broadcastNeedsApproval: broadcastNeedsApproval ?? true });
  return school ? { ok: true, school } : { ok: false, reason: 'duplicate', errors: taken };
}
