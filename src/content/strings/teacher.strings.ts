import type { Locale } from '../i18n.js';

/** Sentences of teacher verification by invite code. `{name}` marks a parameter. */
export const TEACHER_STRINGS = {
  'teacher.code.prompt': {
    vi: 'Để dùng các chức năng dành cho giáo viên, thầy/cô cần mã giáo viên do nhà trường cấp (dạng GV-XXX-XXX-XXX).\n• Đã có mã: thầy/cô gõ mã vào đây.\n• Chưa có mã: thầy/cô liên hệ Ban giám hiệu hoặc cán bộ phụ trách của trường để được cấp. Mỗi mã chỉ dùng một lần và có hạn sử dụng.\nTrong lúc chờ, thầy/cô vẫn dùng được trợ lý như phụ huynh hoặc học sinh; khi có mã, gõ “GV” kèm mã ở bất cứ lúc nào.',
    en: 'Teacher features need a teacher code from the school (it looks like GV-XXX-XXX-XXX).\n• Have one: type it here.\n• No code yet: ask the school management or the staff member in charge to issue one. Each code works once and expires.\nMeanwhile you can use the assistant as a parent or a student; once you have a code, type “GV” and the code at any time.',
  },
  'teacher.asParent': { vi: 'Tiếp tục là phụ huynh', en: 'Continue as parent' },
  'teacher.asStudent': { vi: 'Tiếp tục là học sinh', en: 'Continue as student' },
  'teacher.malformed': {
    vi: 'Đây chưa phải mã giáo viên. Mã có dạng GV-XXX-XXX-XXX, gồm 9 ký tự chữ và số sau “GV” (không có nguyên âm, không có số 0 và 1). Thầy/cô kiểm tra lại giúp mình nhé.',
    en: 'That is not a teacher code. A code looks like GV-XXX-XXX-XXX: 9 letters and digits after “GV” (no vowels, no 0 or 1). Please check it.',
  },
  'teacher.unknown': {
    vi: 'Mã giáo viên này không đúng. Thầy/cô kiểm tra lại từng ký tự, hoặc xin nhà trường cấp mã mới.',
    en: 'This teacher code is not valid. Please check each character, or ask the school for a new code.',
  },
  'teacher.used': {
    vi: 'Mã giáo viên này đã được dùng. Mỗi mã chỉ dùng được một lần: thầy/cô vui lòng xin nhà trường cấp mã mới.',
    en: 'This teacher code has already been used. Each code works once: please ask the school for a new one.',
  },
  'teacher.expired': {
    vi: 'Mã giáo viên này đã hết hạn. Thầy/cô vui lòng xin nhà trường cấp mã mới.',
    en: 'This teacher code has expired. Please ask the school for a new one.',
  },
  'teacher.rateLimited': {
    vi: 'Thầy/cô đã nhập sai mã quá nhiều lần. Vui lòng thử lại sau {minutes} phút.',
    en: 'Too many wrong codes. Please try again in {minutes} minutes.',
  },
  'teacher.verified.class': { vi: 'Xác minh thành công! Thầy/cô đã là giáo viên lớp {class} – {school}.', en: 'Verified! You are now a teacher of class {class} – {school}.' },
  'teacher.verified.school': { vi: 'Xác minh thành công! Thầy/cô đã là giáo viên của {school}.', en: 'Verified! You are now a teacher at {school}.' },
  'teacher.features': {
    vi: 'Thầy/cô có thể:\n• gửi thông báo cho phụ huynh, học sinh lớp mình (thông báo cả trường có thể cần Ban giám hiệu duyệt): gõ “gửi thông báo” hoặc chọn trong menu;\n• xem ai trong lớp chưa ký cam kết an toàn giao thông: gõ “chưa cam kết”;\n• xem bảng xếp hạng câu đố của các lớp trong trường: gõ “xếp hạng” hoặc chọn trong menu;\n• gửi mã lớp cho phụ huynh và học sinh để họ liên kết đúng lớp;\n• đọc tin tuyên truyền, làm câu đố và gửi tin báo ẩn danh như mọi người.',
    en: 'You can:\n• send announcements to your class’s parents and students (school-wide ones may need the school management’s approval): type “broadcast” or pick it in the menu;\n• see who in your class has not signed the traffic-safety pledge: type “chưa cam kết”;\n• see the quiz leaderboard of your school’s classes: type “leaderboard” or pick it in the menu;\n• give parents and students the class code so they link to the right class;\n• read campaign news, take quizzes and send anonymous tips like everyone.',
  },
  'teacher.classCode': { vi: 'Mã lớp {class} để phụ huynh, học sinh liên kết: {code}', en: 'Class code of {class} for parents and students: {code}' },
  'teacher.pickClass': { vi: 'Thầy/cô chọn lớp mình chủ nhiệm hoặc giảng dạy nhé.', en: 'Please pick the class you teach.' },
  'leaderboard.unverified': {
    vi: 'Bảng xếp hạng các lớp dành cho giáo viên đã xác minh với trường này. Thầy/cô gõ “GV” kèm mã giáo viên do nhà trường cấp (ví dụ: GV 7KQ-M3P-XB9). Chưa có mã: thầy/cô liên hệ Ban giám hiệu nhà trường.',
    en: 'The class leaderboard is for teachers verified at this school. Type “GV” and the teacher code from the school (e.g. GV 7KQ-M3P-XB9). No code yet: ask the school management.',
  },
} as const satisfies Record<string, Record<Locale, string>>;
