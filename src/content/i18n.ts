/** Languages the bot speaks: Vietnamese first, English second. */
export type Locale = 'vi' | 'en';

/** Every sentence a parent, student or teacher reads, in both languages. `{name}` marks a parameter. */
export const STRINGS = {
  'welcome': {
    vi: 'Xin chào! Mình là trợ lý an ninh trật tự trường học. Mình gửi bạn tin tuyên truyền về an toàn giao thông, phòng chống ma tuý, bạo lực học đường, lừa đảo qua mạng và nhiều chủ đề khác.',
    en: 'Hello! I am the school safety assistant. I share campaign news on traffic safety, drug prevention, school violence, online scams and more.',
  },
  'onboarding.role': { vi: 'Bạn là:', en: 'You are:' },
  'role.parent': { vi: 'Phụ huynh', en: 'Parent' },
  'role.student': { vi: 'Học sinh', en: 'Student' },
  'role.teacher': { vi: 'Giáo viên', en: 'Teacher' },
  'onboarding.role.retry': { vi: 'Bạn chọn giúp mình một trong ba vai trò bên dưới nhé.', en: 'Please pick one of the three roles below.' },
  'onboarding.school.parent': { vi: 'Con bạn học trường nào? Chọn trường, hoặc gõ tên trường, hoặc nhập mã lớp do giáo viên gửi.', en: "Which school does your child attend? Pick it, type its name, or enter the class code from the teacher." },
  'onboarding.school.student': { vi: 'Bạn học trường nào? Chọn trường, gõ tên trường, hoặc nhập mã lớp do thầy cô gửi.', en: 'Which school are you in? Pick it, type its name, or enter the class code from your teacher.' },
  'onboarding.school.teacher': { vi: 'Thầy/cô công tác ở trường nào? Chọn trường, gõ tên trường, hoặc nhập mã lớp.', en: 'Which school do you teach at? Pick it, type its name, or enter a class code.' },
  'onboarding.school.none': { vi: 'Mình chưa tìm thấy trường nào khớp với “{query}”. Bạn thử gõ lại tên trường, hoặc nhập mã lớp nhé.', en: 'No school matches “{query}”. Try typing the name again, or enter a class code.' },
  'onboarding.school.many': { vi: 'Có vài trường khớp với “{query}”, bạn chọn giúp mình:', en: 'Several schools match “{query}”, please pick one:' },
  'onboarding.school.empty': { vi: 'Hệ thống chưa có trường nào. Bạn vui lòng liên hệ nhà trường để được hướng dẫn.', en: 'No school has been set up yet. Please contact the school.' },
  'onboarding.enterCode': { vi: 'Nhập mã lớp', en: 'Enter class code' },
  'onboarding.code.prompt': { vi: 'Bạn nhập mã lớp (giáo viên gửi trong nhóm Zalo lớp), ví dụ: NTT-6A1', en: 'Enter the class code (sent by the teacher in the class group), e.g. NTT-6A1' },
  'onboarding.code.invalid': { vi: 'Mã lớp “{code}” chưa đúng. Bạn kiểm tra lại và nhập lại giúp mình, hoặc gõ “menu” để quay lại.', en: 'Class code “{code}” is not valid. Please check it and try again, or type “menu”.' },
  'onboarding.class': { vi: '{school}: bạn chọn lớp, hoặc gõ tên lớp (ví dụ 6A1).', en: '{school}: pick the class, or type its name (e.g. 6A1).' },
  'onboarding.class.none': { vi: 'Trường này chưa có lớp “{query}”. Bạn chọn trong danh sách giúp mình nhé.', en: 'This school has no class “{query}”. Please pick one from the list.' },
  'onboarding.class.empty': { vi: 'Trường này chưa có danh sách lớp. Bạn nhập mã lớp do giáo viên gửi nhé.', en: 'This school has no classes yet. Please enter the class code from the teacher.' },
  'onboarding.otherSchool': { vi: 'Chọn trường khác', en: 'Other school' },
  'onboarding.done': { vi: 'Xong! Bạn đã liên kết với lớp {class} – {school}.', en: 'Done! You are linked to class {class} – {school}.' },
  'onboarding.teacherNote': { vi: 'Để gửi thông báo cho lớp, thầy/cô vui lòng đăng nhập trang quản trị bằng tài khoản giáo viên do nhà trường cấp.', en: 'To send announcements to a class, teachers need a staff account from the school on the web console.' },
  'menu.prompt': { vi: 'Bạn muốn làm gì?', en: 'What would you like to do?' },
  'menu.content': { vi: 'Tin tuyên truyền', en: 'Campaign news' },
  'menu.profile': { vi: 'Đổi trường/lớp', en: 'Change school/class' },
  'menu.help': { vi: 'Trợ giúp', en: 'Help' },
  'menu.notUnderstood': { vi: 'Mình chưa hiểu ý bạn. Bạn chọn một mục bên dưới nhé.', en: "Sorry, I didn't get that. Please pick an option below." },
  'content.topics': { vi: 'Chọn chủ đề bạn muốn đọc:', en: 'Pick a topic:' },
  'content.none': { vi: 'Hiện chưa có tin tuyên truyền nào. Bạn quay lại sau nhé.', en: 'There is no campaign news yet. Please come back later.' },
  'content.next': { vi: 'Tin tiếp theo', en: 'Next' },
  'content.otherTopic': { vi: 'Chủ đề khác', en: 'Other topics' },
  'content.source': { vi: 'Nguồn: {source}', en: 'Source: {source}' },
  'content.review': { vi: '(Nội dung đang chờ nhà trường kiểm tra lại.)', en: '(This item is awaiting review by school staff.)' },
  'content.end': { vi: 'Bạn đã đọc hết tin của chủ đề này.', en: 'You have read every item in this topic.' },
  'button.menu': { vi: 'Menu', en: 'Menu' },
  'help': {
    vi: 'Bạn có thể gõ bất cứ lúc nào:\n• “menu”: về trang chính\n• “huỷ”: dừng việc đang làm\n• “trợ giúp”: xem hướng dẫn này\n• “English”: chuyển sang tiếng Anh\nKhi khẩn cấp, hãy gọi ngay 113 (công an), 114 (cứu hoả), 115 (cấp cứu), 111 (Tổng đài quốc gia bảo vệ trẻ em).',
    en: 'Type at any time:\n• “menu”: main menu\n• “cancel”: stop what you are doing\n• “help”: this help\n• “Tiếng Việt”: switch to Vietnamese\nIn an emergency call 113 (police), 114 (fire), 115 (ambulance), 111 (child protection).',
  },
  'cancelled': { vi: 'Đã huỷ.', en: 'Cancelled.' },
  'language.set': { vi: 'Đã chuyển sang tiếng Việt.', en: 'Switched to English.' },
  'flow.restarted': { vi: 'Xin lỗi, hệ thống vừa được cập nhật nên mình xin bắt đầu lại từ đầu nhé.', en: 'Sorry, the bot was updated, so let us start over.' },
  'unsupported': { vi: 'Mình chỉ đọc được tin nhắn chữ và các nút bấm. Bạn gõ “menu” để xem các mục nhé.', en: 'I can only read text and buttons. Type “menu” to see the options.' },
} as const satisfies Record<string, Record<Locale, string>>;

export type StringKey = keyof typeof STRINGS;

/** Looks a sentence up in the contact's language and fills its `{parameters}`. */
export function translate(locale: Locale, key: StringKey, params: Record<string, string | number> = {}): string {
  const template: string = STRINGS[key][locale];
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}
