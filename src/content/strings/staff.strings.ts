import type { Locale } from '../i18n.js';

/** Sentences of staff chat links and staff notifications (urgent-tip alerts). `{name}` marks a parameter. */
export const STAFF_STRINGS = {
  'staff.link.prompt': {
    vi: 'Để nhận thông báo công việc (duyệt thông báo, tin báo khẩn cấp) tại chat này, anh/chị gõ “NV” kèm mã liên kết do quản trị hệ thống cấp, ví dụ: NV 7KQ-M3P-XB9. Mã dùng một lần, có hiệu lực 24 giờ.',
    en: 'To receive work notifications (approvals, urgent tips) in this chat, type “NV” and the link code from your administrator, e.g. NV 7KQ-M3P-XB9. A code works once, for 24 hours.',
  },
  'staff.link.done': {
    vi: 'Đã liên kết chat này với tài khoản cán bộ “{name}”. Từ nay anh/chị nhận tại đây các thông báo cần duyệt và cảnh báo tin báo khẩn cấp.',
    en: 'This chat is now linked to the staff account “{name}”. Approvals and urgent-tip alerts will be sent here.',
  },
  'staff.link.malformed': {
    vi: 'Đây chưa phải mã liên kết. Mã có dạng NV-XXX-XXX-XXX, gồm 9 ký tự chữ và số sau “NV” (không có nguyên âm, không có số 0 và 1). Anh/chị kiểm tra lại giúp mình nhé.',
    en: 'That is not a link code. A code looks like NV-XXX-XXX-XXX: 9 letters and digits after “NV” (no vowels, no 0 or 1). Please check it.',
  },
  'staff.link.unknown': {
    vi: 'Mã liên kết này không đúng. Anh/chị kiểm tra lại từng ký tự, hoặc xin quản trị hệ thống cấp mã mới.',
    en: 'This link code is not valid. Please check each character, or ask your administrator for a new code.',
  },
  'staff.link.used': {
    vi: 'Mã liên kết này đã được dùng. Mỗi mã chỉ dùng được một lần: anh/chị vui lòng xin quản trị hệ thống cấp mã mới.',
    en: 'This link code has already been used. Each code works once: please ask your administrator for a new one.',
  },
  'staff.link.expired': {
    vi: 'Mã liên kết này đã hết hạn (mã có hiệu lực 24 giờ). Anh/chị vui lòng xin quản trị hệ thống cấp mã mới.',
    en: 'This link code has expired (codes last 24 hours). Please ask your administrator for a new one.',
  },
  'staff.link.rateLimited': {
    vi: 'Anh/chị đã nhập sai mã quá nhiều lần. Vui lòng thử lại sau {minutes} phút.',
    en: 'Too many wrong codes. Please try again in {minutes} minutes.',
  },
  'staff.ack.prompt': {
    vi: 'Để xác nhận đã nhận một tin báo khẩn cấp, anh/chị bấm “Đã nhận” dưới cảnh báo, hoặc gõ “ĐÃ NHẬN” kèm mã tin báo, ví dụ: ĐÃ NHẬN TB-K7QM-3XRP.',
    en: 'To acknowledge an urgent tip, tap “Acknowledged” under the alert, or type “ĐÃ NHẬN” and the tip code, e.g. ĐÃ NHẬN TB-K7QM-3XRP.',
  },
  'staff.ack.done': {
    vi: 'Đã ghi nhận: anh/chị đã nhận tin báo khẩn cấp {code}. Hệ thống ngừng nhắc lại. Vui lòng mở trang quản lý tin báo để xem nội dung và xử lý.',
    en: 'Recorded: you acknowledged urgent tip {code}. The reminders stop. Please open the tip console to read and handle it.',
  },
  'staff.ack.already': {
    vi: 'Tin báo {code} đã được cán bộ xác nhận trước đó; hệ thống không nhắc lại nữa. Nội dung tin báo xem trên trang quản lý tin báo.',
    en: 'Tip {code} was already acknowledged; no more reminders. Read it in the tip console.',
  },
  'staff.ack.notFound': {
    vi: 'Không tìm thấy tin báo {code} trong phạm vi tài khoản của anh/chị. Anh/chị kiểm tra lại mã tin báo.',
    en: 'No tip {code} within your account’s scope. Please check the code.',
  },
  'staff.ack.notLinked': {
    vi: 'Chat này chưa liên kết với tài khoản cán bộ tiếp nhận tin báo, nên không xác nhận được tin báo. Anh/chị xin quản trị hệ thống mã liên kết rồi gõ “NV” kèm mã.',
    en: 'This chat is not linked to a tip handler’s account, so it cannot acknowledge tips. Ask your administrator for a link code, then type “NV” and the code.',
  },
  'staff.urgent.alert': {
    vi: '🚨 Tin báo khẩn cấp {code} đang chờ cán bộ xác nhận.\n• Loại: {category}\n• Trường: {school}\nVui lòng mở trang quản lý tin báo để xem nội dung và xử lý ngay. Khi đã nhận, bấm “Đã nhận” hoặc gõ “ĐÃ NHẬN {code}”. Cảnh báo được nhắc lại 15 phút một lần cho đến khi có cán bộ xác nhận.',
    en: '🚨 Urgent tip {code} is waiting for a handler.\n• Type: {category}\n• School: {school}\nPlease open the tip console to read and handle it now. Once you have it, tap “Acknowledged” or type “ĐÃ NHẬN {code}”. This alert repeats every 15 minutes until a handler acknowledges it.',
  },
  'staff.urgent.noSchool': { vi: 'không ghi trường', en: 'no school given' },
  'staff.urgent.ackButton': { vi: 'Đã nhận', en: 'Acknowledged' },
} as const satisfies Record<string, Record<Locale, string>>;
