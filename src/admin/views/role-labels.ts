import type { StaffRole } from '../../services/staff/staff-scope.js';

/** How each role is called on the console's pages. */
export const ROLE_LABELS: Record<StaffRole, string> = {
  admin: 'Quản trị viên',
  school_admin: 'Quản trị trường',
  teacher: 'Giáo viên',
  tip_handler: 'Cán bộ tiếp nhận tin báo',
};
