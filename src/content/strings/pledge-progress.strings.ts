import type { Locale } from '../i18n.js';

/**
 * Sentences of "who has not pledged", a verified teacher's view of a class's pledges. `{name}` marks a parameter.
 * Button titles stay within 20 characters (Messenger's quick replies).
 */
export const PLEDGE_PROGRESS_STRINGS = {
  'menu.pledgeProgress': { vi: 'Chưa cam kết', en: 'Not pledged yet' },
  'pledgeProgress.teachersOnly': {
    vi: 'Danh sách người chưa ký cam kết chỉ dành cho giáo viên đã được nhà trường xác minh. Nếu bạn muốn ký cam kết an toàn giao thông, bấm “Cam kết ATGT” nhé.',
    en: 'The list of who has not pledged is for teachers verified by their school. To sign the traffic-safety pledge yourself, tap “Traffic pledge”.',
  },
  'pledgeProgress.unverified': {
    vi: 'Danh sách người chưa ký cam kết dành cho giáo viên đã xác minh với trường. Thầy/cô gõ “GV” kèm mã giáo viên do nhà trường cấp (ví dụ: GV 7KQ-M3P-XB9). Chưa có mã: thầy/cô liên hệ Ban giám hiệu nhà trường.',
    en: 'The list of who has not pledged is for teachers verified at their school. Type “GV” and the teacher code from the school (e.g. GV 7KQ-M3P-XB9). No code yet: ask the school management.',
  },
  'pledgeProgress.noClasses': {
    vi: 'Thầy/cô chưa được giao lớp nào để theo dõi cam kết. Thầy/cô liên hệ Ban giám hiệu để được cấp mã giáo viên của lớp mình.',
    en: 'You have no class to follow yet. Ask the school management for a teacher code for your class.',
  },
  'pledgeProgress.pick': { vi: 'Thầy/cô muốn xem tiến độ ký cam kết của lớp nào?', en: 'Which class’s pledges would you like to see?' },
  'pledgeProgress.typeClass': { vi: 'Lớp khác: gõ tên lớp (ví dụ 7A1).', en: 'Another class: type its name (e.g. 7A1).' },
  'pledgeProgress.retry': {
    vi: 'Mình chưa tìm thấy lớp đó trong các lớp thầy/cô được xem. Thầy/cô chọn trong danh sách giúp mình nhé.',
    en: 'That is not one of the classes you can see. Please pick one from the list.',
  },
  'pledgeProgress.notVisible': {
    vi: 'Thầy/cô chỉ xem được tiến độ cam kết của các lớp mình được giao.',
    en: 'You can only see the pledges of the classes you teach.',
  },
  'pledgeProgress.noCampaign': {
    vi: 'Hiện không có đợt ký cam kết nào đang diễn ra, nên chưa có gì để theo dõi. Khi nhà trường mở đợt mới, thầy/cô gõ “chưa cam kết” để xem lớp mình.',
    en: 'No pledge campaign is running right now, so there is nothing to follow. When the school opens one, type “not pledged yet” to see your class.',
  },
  'pledgeProgress.noRoster': {
    vi: 'Lớp {class} – {school} chưa có danh sách học sinh trên hệ thống, nên mình chưa biết ai chưa ký.\nĐến nay trong đợt “{campaign}” đã có {parent} phụ huynh và {student} học sinh của lớp ký cam kết.\nĐể có danh sách lớp, thầy/cô liên hệ cán bộ phụ trách của trường.',
    en: 'Class {class} – {school} has no pupil list in the system, so who has not pledged is unknown.\nSo far in “{campaign}”, {parent} parents and {student} students of the class have pledged.\nAsk the staff member in charge at the school to add the class list.',
  },
  'pledgeProgress.countsOnly': {
    vi: 'Lớp {class} – {school}, đợt “{campaign}”:\nPhụ huynh: {parent}/{total} đã ký · Học sinh: {student}/{total} đã ký.\nTên học sinh chỉ hiện cho giáo viên của lớp (xác minh bằng mã giáo viên của lớp đó).',
    en: 'Class {class} – {school}, “{campaign}”:\nParents: {parent}/{total} signed · Students: {student}/{total} signed.\nPupils’ names are shown only to the class’s own teacher (verified with that class’s teacher code).',
  },
  'pledgeProgress.title': { vi: 'Cam kết ATGT – lớp {class}, {school}\nĐợt: {campaign}', en: 'Traffic pledge – class {class}, {school}\nCampaign: {campaign}' },
  'pledgeProgress.counts': {
    vi: 'Phụ huynh: {parent}/{total} đã ký · Học sinh: {student}/{total} đã ký',
    en: 'Parents: {parent}/{total} signed · Students: {student}/{total} signed',
  },
  'pledgeProgress.missing.parent': { vi: 'Học sinh chưa có cam kết của phụ huynh ({n})', en: 'Pupils without a parent pledge ({n})' },
  'pledgeProgress.missing.student': { vi: 'Học sinh chưa tự ký cam kết ({n})', en: 'Pupils who have not signed their own pledge ({n})' },
  'pledgeProgress.continued': { vi: '{title} – tiếp theo', en: '{title}, continued' },
  'pledgeProgress.allParents': { vi: 'Phụ huynh của tất cả học sinh trong danh sách lớp đã ký cam kết.', en: 'Every pupil on the class list has a parent pledge.' },
  'pledgeProgress.allStudents': { vi: 'Tất cả học sinh trong danh sách lớp đã tự ký cam kết.', en: 'Every pupil on the class list has signed their own pledge.' },
  'pledgeProgress.allDone': { vi: 'Cả lớp đã ký đủ cam kết. Cảm ơn thầy/cô đã đồng hành!', en: 'The whole class has pledged. Thank you!' },
  'pledgeProgress.remindHow': {
    vi: 'Để nhắc người chưa ký: bấm “Gửi thông báo”, chọn lớp {class}, “Cả hai”, rồi “Chỉ người chưa ký”.\nDanh sách này chỉ dành cho thầy/cô, vui lòng không chia sẻ ra ngoài.',
    en: 'To remind those who have not signed: tap “Send announcement”, pick class {class}, “Both”, then “Not pledged yet”.\nThis list is for you only: please do not share it.',
  },
  'pledgeProgress.button.otherClass': { vi: 'Lớp khác', en: 'Another class' },
} as const satisfies Record<string, Record<Locale, string>>;
