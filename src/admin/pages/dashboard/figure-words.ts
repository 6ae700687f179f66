// Words and number formats the dashboard and the reports page share (Vietnamese: 205.800; 3,5).

const NUMBER = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 1 });

/** A count the Vietnamese way: 205.800. */
export function num(n: number): string {
  return NUMBER.format(n);
}

/** "60%" of a part against a whole; "–" without a whole. */
export function percent(part: number, whole: number): string {
  return whole > 0 ? `${NUMBER.format(Math.round((1000 * part) / whole) / 10)}%` : '–';
}

/** "2 giờ 5 phút", "3 ngày", "dưới 1 phút": a span of minutes in words (its sign ignored). */
export function minutesInWords(minutes: number): string {
  const m = Math.abs(Math.trunc(minutes));
  if (m < 1) return 'dưới 1 phút';
  const days = Math.floor(m / 1440);
  const hours = Math.floor((m % 1440) / 60);
  const mins = m % 60;
  if (days > 0) return hours > 0 ? `${days} ngày ${hours} giờ` : `${days} ngày`;
  if (hours > 0) return mins > 0 ? `${hours} giờ ${mins} phút` : `${hours} giờ`;
  return `${mins} phút`;
}

/** Tip statuses as the console names them. */
export const TIP_STATUS_LABELS: Record<string, string> = {
  new: 'Mới nhận',
  triaged: 'Đã phân loại',
  in_progress: 'Đang xử lý',
  closed: 'Đã đóng',
};

/** Broadcast statuses as the console names them. */
export const BROADCAST_STATUS_LABELS: Record<string, string> = {
  draft: 'Bản nháp',
  pending_approval: 'Chờ duyệt',
  scheduled: 'Đã hẹn giờ',
  expanding: 'Đang gửi',
  expanded: 'Đã gửi',
  cancelled: 'Đã huỷ',
  rejected: 'Không được duyệt',
};

/** Why a send was skipped, failed or put off, in words (the stored reason when it is not known). */
export const SEND_REASON_LABELS: Record<string, string> = {
  window_closed: 'quá thời hạn được nhắn (Zalo 7 ngày, Messenger 24 giờ)',
  quiet_hours: 'giờ nghỉ của Zalo (22:00–06:00)',
  rate_limited: 'chờ giới hạn tốc độ gửi',
  transient: 'lỗi tạm thời, sẽ thử lại',
  token_expired: 'mã truy cập hết hạn',
  user_unavailable: 'người nhận không còn nhận được tin',
  invalid: 'tin không hợp lệ',
  opted_out: 'người nhận đã dừng nhận tin',
  unhealthy_group: 'nhóm Zalo lớp không nhận được tin',
};

/** Channel names. */
export const CHANNEL_LABELS: Record<string, string> = {
  zalo: 'Zalo',
  messenger: 'Messenger',
  simulator: 'Trình mô phỏng',
  web: 'Biểu mẫu web',
};

/** Zalo group health as the console names it. */
export const GROUP_HEALTH_LABELS: Record<string, string> = {
  disabled: 'Nhóm đã tắt nhắn tin',
  not_member: 'OA không còn trong nhóm',
  ok: 'Bình thường',
};

/** A label of a map, or the value itself when the map does not know it. */
export function labelOf(map: Record<string, string>, value: string): string {
  return Object.hasOwn(map, value) ? map[value]! : value;
}
