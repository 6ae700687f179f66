import { formatVnDateTime } from '../../../content/vn-time.js';
import type { StaffAccountItem } from '../../../services/staff/list-staff-accounts.js';
import { isStaffRole } from '../../../services/staff/staff-scope.js';
import { ROLE_LABELS } from '../../views/role-labels.js';

/** A stored role's label (an unknown one as stored). */
export function roleLabel(role: string): string {
  return isStaffRole(role) ? ROLE_LABELS[role] : role;
}

/** Where an account works, in words: "Lớp 6A1, Trường THCS …", a school, an office, or every school. */
export function placeText(a: Pick<StaffAccountItem, 'role' | 'school' | 'office' | 'klass'>): string {
  if (a.klass && a.school) return `Lớp ${a.klass.name}, ${a.school.name}`;
  if (a.school) return a.school.name;
  if (a.office) return a.office.name;
  return a.role === 'admin' ? 'Toàn hệ thống' : 'Chưa được giao đơn vị';
}

/** The last console sign-in, or that none is recorded. */
export function lastSignInText(at: Date | null): string {
  return at ? formatVnDateTime(at) : 'Chưa ghi nhận';
}
