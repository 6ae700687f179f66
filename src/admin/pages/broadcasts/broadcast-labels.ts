import { translate } from '../../../content/i18n.js';
import type { AudienceRole, BroadcastStatus, UnreachableReason } from '../../../services/broadcasts/broadcast-types.js';

/** A broadcast's status as the chat names it. */
export function statusLabel(status: string): string {
  const known: readonly string[] = ['draft', 'pending_approval', 'scheduled', 'expanding', 'expanded', 'cancelled', 'rejected'];
  return known.includes(status) ? translate('vi', `broadcast.status.${status as BroadcastStatus}`) : status;
}

export const STATUS_FILTERS: readonly BroadcastStatus[] = ['pending_approval', 'scheduled', 'expanding', 'expanded', 'cancelled', 'rejected'];

export const ROLE_LABELS: Record<AudienceRole, string> = {
  parent: 'Phụ huynh',
  student: 'Học sinh',
  teacher: 'Giáo viên đã xác nhận',
  staff: 'Cán bộ đã liên kết chat',
};

/** Why the forecast cannot reach someone one by one, as the chat says it. */
export function unreachableLabel(reason: string): string {
  const known: readonly UnreachableReason[] = ['opted_out', 'messenger_window_closed', 'zalo_window_closed', 'never_wrote'];
  return (known as readonly string[]).includes(reason) ? translate('vi', `broadcast.reason.${reason as UnreachableReason}`) : reason;
}

/** How a delivery ended (its recorded outcome), in words staff can act on. */
const OUTCOME_LABELS: Record<string, string> = {
  window_closed: 'ngoài thời hạn nhắn tin của nền tảng (Messenger 24 giờ, Zalo 7 ngày); sẽ nhận khi họ nhắn lại trong thời gian chiến dịch',
  opted_out: 'đã tắt nhận thông báo',
  group_unhealthy: 'nhóm Zalo không gửi được (nhóm tắt gửi tin hoặc trang không còn trong nhóm)',
  quiet_hours: 'giờ nghỉ của Zalo (22:00–06:00), gửi lại sau',
  rate_limited: 'vượt giới hạn gửi của nền tảng, gửi lại sau',
  user_unavailable: 'người nhận không còn nhận được tin (đã chặn hoặc bỏ quan tâm trang)',
  invalid: 'nền tảng từ chối tin nhắn',
  transient: 'lỗi tạm thời của nền tảng',
  token_expired: 'mã truy cập của trang đã hết hạn',
  cancelled: 'thông báo đã bị huỷ',
  unknown: 'không rõ lý do',
};

export function outcomeLabel(outcome: string): string {
  return OUTCOME_LABELS[outcome] ?? outcome;
}

/** A channel id as people call it. */
export function channelLabel(channel: string): string {
  return channel === 'zalo' ? 'Zalo' : channel === 'messenger' ? 'Messenger' : channel === 'simulator' ? 'Mô phỏng' : channel;
}
