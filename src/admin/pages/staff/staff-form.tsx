import { z } from 'zod';
import type { CreatedAccount } from '../../../services/staff/console-staff.js';
import type { ChangeStaffRoleResult } from '../../../services/staff/change-staff-role.js';
import { SCHOOL_ADMIN_GRANTS, type PlacementProblem, type PlacementRequest } from '../../../services/staff/staff-placement.js';
import { isStaffRole, STAFF_ROLES, type StaffRole } from '../../../services/staff/staff-scope.js';
import type { StaffAccountItem } from '../../../services/staff/list-staff-accounts.js';
import type { StaffContext } from '../../route.js';
import { TextField } from '../../views/components.js';
import { ROLE_LABELS } from '../../views/role-labels.js';
import { formText, SelectField } from '../schools/form-fields.js';

/** Who manages staff accounts: admins (their office, or every one) and school admins (their school's). */
export const STAFF_MANAGERS = ['admin', 'school_admin'] as const;

/** The role, unit and class fields, shared by the new-account form and the role change. */
export const PlacementForm = z.object({ role: formText(40), unit: formText(100), classCode: formText(40) });
export type PlacementValues = Partial<Record<'role' | 'unit' | 'classCode', string>>;

/** A unit a role can be placed in: every school (`all`), an office or a school, as the form's value says it. */
export interface UnitOption {
  value: string;
  label: string;
}

/** The roles this account may give: an admin any, a school admin up to their own. */
export function grantableRoles(ctx: StaffContext): readonly StaffRole[] {
  return ctx.scope.role === 'admin' ? STAFF_ROLES : ctx.scope.role === 'school_admin' ? SCHOOL_ADMIN_GRANTS : [];
}

/** Whether a submitted role is a console role this account may not give (above its own): answered 403. */
export function roleAboveOwn(ctx: StaffContext, role: string | undefined): boolean {
  const r = role?.trim() ?? '';
  return isStaffRole(r) && !grantableRoles(ctx).includes(r);
}

/** The message of a role above the account's own. */
export const ROLE_ABOVE_OWN = { role: 'Bạn không thể giao vai trò này: cao hơn vai trò của bạn, hoặc là vai trò tiếp nhận tin báo (do quản trị phòng giao).' };

/**
 * The units this account may place someone in, which are its whole scope: a system admin "every school", every
 * office and school; an office admin its office and its schools; a school admin its school.
 */
export async function unitOptions(ctx: StaffContext): Promise<UnitOption[]> {
  const [offices, schools] = await Promise.all([ctx.deps.schools.offices(ctx.scope), ctx.deps.schools.list(ctx.scope)]);
  const everywhere = ctx.scope.role === 'admin' && ctx.scope.schoolIds === 'all' ? [{ value: 'all', label: 'Toàn hệ thống (mọi phòng/sở, mọi trường)' }] : [];
  return [
    ...everywhere,
    ...offices.map((o) => ({ value: `office:${o.id}`, label: `${o.name} (cả phòng/sở)` })),
    ...(schools.ok ? schools.schools.map((s) => ({ value: `school:${s.id}`, label: s.name })) : []),
  ];
}

/**
 * How a submitted unit stands against the account's own options: one of them (or none chosen), a unit outside its
 * scope (answered as not found, like every object outside it), or something no option could be.
 */
export function unitStanding(unit: string | undefined, options: readonly UnitOption[]): 'ok' | 'outside' | 'bad' {
  const v = unit?.trim() ?? '';
  if (v === '' || options.some((o) => o.value === v)) return 'ok';
  return /^(all|(school|office):[^\s]+)$/.test(v) ? 'outside' : 'bad';
}

/** The message of a unit that no option could be. */
export const BAD_UNIT = { unit: 'Vui lòng chọn một đơn vị trong danh sách.' };

/**
 * The form's role and places as the staff services take them. A teacher is placed by the class (its school
 * follows; a chosen school must hold it); the other roles by the unit. Null with a field error when nothing was
 * chosen (an empty unit must never mean "every school").
 */
export function placementOf(v: PlacementValues): { ok: true; req: PlacementRequest } | { ok: false; errors: Record<string, string> } {
  const role = v.role?.trim() ?? '';
  const unit = v.unit?.trim() ?? '';
  const classCode = v.classCode?.trim().toUpperCase() ?? '';
  if (role === '') return { ok: false, errors: { role: 'Vui lòng chọn vai trò.' } };
  const [kind, id = ''] = unit === 'all' ? ['all'] : unit.split(/:(.*)/s);
  const school = kind === 'school' ? id : null;
  const office = kind === 'office' ? id : null;
  if (role === 'teacher') {
    if (classCode === '') return { ok: false, errors: { classCode: 'Giáo viên cần mã lớp, ví dụ NTT-6A1.' } };
    return { ok: true, req: { role, class: classCode, school, office: null } };
  }
  if (unit === '') return { ok: false, errors: { unit: 'Vui lòng chọn đơn vị.' } };
  return { ok: true, req: { role, office, school, class: null } };
}

const PLACEMENT_ERRORS: Record<PlacementProblem, [field: string, message: string]> = {
  bad_role: ['role', 'Vui lòng chọn một vai trò trong danh sách.'],
  admin_takes_office_only: ['unit', 'Quản trị viên gắn với một phòng/sở giáo dục (hoặc toàn hệ thống), không với một trường.'],
  needs_school: ['unit', 'Quản trị trường cần chọn một trường.'],
  needs_class: ['classCode', 'Giáo viên cần mã lớp, ví dụ NTT-6A1.'],
  needs_school_or_office: ['unit', 'Cán bộ tiếp nhận tin báo cần chọn một trường hoặc một phòng/sở giáo dục.'],
  school_or_office_not_both: ['unit', 'Chọn một trường hoặc một phòng/sở, không chọn cả hai.'],
  unknown_office: ['unit', 'Không có phòng/sở giáo dục này.'],
  unknown_school: ['unit', 'Không có trường này.'],
  unknown_class: ['classCode', 'Không có lớp nào mang mã này.'],
  class_not_in_school: ['classCode', 'Lớp này không thuộc trường đã chọn.'],
};

/** A refusal of the create or change services, as a field's Vietnamese message. */
export function refusalErrors(reason: Exclude<CreatedAccount, { ok: true }>['reason'] | Exclude<ChangeStaffRoleResult, { ok: true }>['reason'], role: string | undefined): Record<string, string> {
  switch (reason) {
    case 'bad_email':
      return { email: 'E-mail không hợp lệ.' };
    case 'bad_name':
      return { name: 'Họ tên cần từ 1 đến 120 ký tự, không chứa ký tự điều khiển.' };
    case 'email_taken':
      return { email: 'Đã có tài khoản dùng e-mail này.' };
    case 'bad_password':
      return { '': 'Chưa tạo được mật khẩu. Bạn vui lòng thử lại.' };
    case 'own_account':
      return { '': 'Bạn không tự đổi vai trò của chính mình được.' };
    case 'not_found':
      return { '': 'Không tìm thấy tài khoản này.' };
    case 'forbidden':
      // The role was one this account may give (the page checked): so the place lies outside its scope.
      return role === 'teacher' ? { classCode: 'Không có lớp nào mang mã này trong phạm vi của bạn.' } : { unit: 'Đơn vị này nằm ngoài phạm vi của bạn.' };
    default: {
      const [field, message] = PLACEMENT_ERRORS[reason];
      return { [field]: message };
    }
  }
}

/** The form's unit for an account as it is placed now (the role change form starts from it). */
export function unitOf(a: Pick<StaffAccountItem, 'role' | 'schoolId' | 'officeId'>): string {
  if (a.schoolId) return `school:${a.schoolId}`;
  if (a.officeId) return `office:${a.officeId}`;
  return a.role === 'admin' ? 'all' : '';
}

/** The role, unit and class fields (ids `f-role`, `f-unit`, `f-classCode`). */
export function PlacementFields(props: { roles: readonly StaffRole[]; units: readonly UnitOption[]; values: PlacementValues; errors: Record<string, string> }) {
  const { roles, units, values, errors } = props;
  return (
    <>
      <SelectField
        name="role"
        label="Vai trò"
        options={[{ value: '', label: 'Chọn vai trò' }, ...roles.map((r) => ({ value: r, label: ROLE_LABELS[r] }))]}
        value={values.role}
        error={errors.role}
        required
      />
      <SelectField
        name="unit"
        label="Đơn vị"
        options={[{ value: '', label: 'Chọn đơn vị' }, ...units]}
        value={values.unit}
        error={errors.unit}
        hint="Quản trị viên: một phòng/sở. Quản trị trường: một trường. Cán bộ tiếp nhận tin báo: một trường hoặc cả phòng/sở. Giáo viên: có thể để trống, trường theo lớp."
      />
      <TextField name="classCode" label="Mã lớp (chỉ cho giáo viên)" value={values.classCode} error={errors.classCode} hint="Ví dụ: NTT-6A1 (xem trên trang của lớp)." maxLength={40} />
    </>
  );
}
