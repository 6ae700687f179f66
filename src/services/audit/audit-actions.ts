/**
 * The actions the audit log records, by name. Pages that view tips, export or broadcast record theirs with
 * `recordAudit` (add the name here, and its Vietnamese label in `AUDIT_ACTION_LABELS`).
 */
export const AUDIT_ACTIONS = [
  'sign_in',
  'sign_in_failed',
  'sign_out',
  'staff_created',
  'role_changed',
  'staff_deactivated',
  'staff_reactivated',
  'staff_password_reset',
  'staff_password_changed',
  'link_code_created',
  'tip_viewed',
  'export_downloaded',
  'broadcast_created',
  'broadcast_approved',
  'broadcast_rejected',
  'broadcast_cancelled',
  'school_created',
  'school_updated',
  'class_created',
  'class_updated',
  'roster_imported',
  'teacher_invite_created',
  'tip_triaged',
  'tip_replied',
  'tip_note_added',
  'tip_closed',
  'tip_acknowledged',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** How the audit page names each action. */
export const AUDIT_ACTION_LABELS: Record<AuditAction, string> = {
  sign_in: 'Đăng nhập',
  sign_in_failed: 'Đăng nhập không thành công',
  sign_out: 'Đăng xuất',
  staff_created: 'Tạo tài khoản cán bộ',
  role_changed: 'Đổi vai trò, phạm vi',
  staff_deactivated: 'Khoá tài khoản cán bộ',
  staff_reactivated: 'Mở khoá tài khoản cán bộ',
  staff_password_reset: 'Đặt lại mật khẩu cán bộ',
  staff_password_changed: 'Đổi mật khẩu của mình',
  link_code_created: 'Tạo mã liên kết chat',
  tip_viewed: 'Xem tin báo',
  export_downloaded: 'Tải dữ liệu xuất',
  broadcast_created: 'Tạo thông báo',
  broadcast_approved: 'Duyệt thông báo',
  broadcast_rejected: 'Từ chối thông báo',
  broadcast_cancelled: 'Huỷ thông báo',
  school_created: 'Thêm trường',
  school_updated: 'Sửa thông tin trường',
  class_created: 'Thêm lớp',
  class_updated: 'Sửa thông tin lớp',
  roster_imported: 'Nhập danh sách lớp',
  teacher_invite_created: 'Tạo mã giáo viên',
  tip_triaged: 'Phân loại tin báo',
  tip_replied: 'Trả lời người báo tin',
  tip_note_added: 'Ghi chú nội bộ tin báo',
  tip_closed: 'Đóng tin báo',
  tip_acknowledged: 'Xác nhận tin báo khẩn',
};

/** Whether a string names a known action. */
export function isAuditAction(value: string): value is AuditAction {
  return (AUDIT_ACTIONS as readonly string[]).includes(value);
}
