import { TOPIC_LABELS } from '../../content/catalogue.js';
import { translate, type StringKey } from '../../content/i18n.js';
import { TIP_CATEGORIES } from '../../content/tip-categories.js';
import type { ReachKind, ReportFigures } from './report-types.js';

/** A table of a report section: the same rows go into the Word document and the Excel sheet. */
export interface ReportTable {
  caption: string | null;
  columns: string[];
  rows: (string | number)[][];
  /** The last row adds the others up (shown bold). */
  lastIsTotal: boolean;
}

/** One section of the report: its numbered heading, the sheet it becomes, its tables and its notes. */
export interface ReportSection {
  heading: string;
  /** Excel sheet name (at most 31 characters, none of : \ / ? * [ ]). */
  sheet: string;
  tables: ReportTable[];
  notes: string[];
}

const REACH_LABELS: Record<ReachKind, string> = {
  broadcast: 'Thông báo của nhà trường, của phòng',
  reminder: 'Tin nhắc theo lịch của kế hoạch',
  reply: 'Nội dung gửi khi phụ huynh, học sinh hỏi trong trò chuyện',
};

const OUTCOME_LABELS: Record<string, string> = {
  resolved: 'Đã giải quyết',
  referred: 'Đã chuyển cơ quan chức năng',
  no_action: 'Không cần xử lý',
  duplicate: 'Trùng với tin đã nhận',
  spam: 'Tin rác, tin báo sai hoặc đùa',
};

const ROMAN = ['I', 'II', 'III', 'IV', 'V', 'VI'];

/** A tip category's Vietnamese name (the one the tip flow shows), or the stored value when it is not known. */
export function categoryLabel(category: string): string {
  return (TIP_CATEGORIES as readonly string[]).includes(category) ? translate('vi', `tip.category.${category}` as StringKey) : category;
}

/** A quiz topic's Vietnamese name, or the stored value when it is not known. */
export function topicLabel(topic: string): string {
  return (TOPIC_LABELS as Record<string, { vi: string } | undefined>)[topic]?.vi ?? topic;
}

const orDash = (x: number | null) => (x === null ? '–' : x);

/**
 * The report's sections in order, each with the tables of its figures (Vietnamese headings and labels). Sections the
 * account does not reach are left out, and the numbering follows what is left.
 */
export function reportSections(r: ReportFigures): ReportSection[] {
  const sections: (Omit<ReportSection, 'heading'> & { title: string })[] = [];
  const add = (title: string, s: Omit<ReportSection, 'heading'>) => sections.push({ title, ...s });
  if (r.pledges) {
    const p = r.pledges;
    const unit = p.level === 'class' ? 'Lớp' : 'Trường';
    const line = (name: string, x: typeof p.total) => [name, x.rosterSize, x.parent.signed, x.parent.withdrawn, x.parent.valid, x.student.signed, x.student.withdrawn, x.student.valid, x.student.confirmed];
    add('KẾT QUẢ ĐĂNG KÝ CAM KẾT AN TOÀN GIAO THÔNG', {
      sheet: 'Cam kết ATGT',
      tables: [{
        caption: null,
        columns: [unit, 'Sĩ số theo danh sách', 'Phụ huynh ký trong kỳ', 'Phụ huynh rút lại trong kỳ', 'Phụ huynh còn hiệu lực cuối kỳ', 'Học sinh ký trong kỳ', 'Học sinh rút lại trong kỳ', 'Học sinh còn hiệu lực cuối kỳ', 'Học sinh được phụ huynh xác nhận'],
        rows: [...p.rows.map((x) => line(x.name, x)), line('Tổng cộng', p.total)],
        lastIsTotal: true,
      }],
      notes: [
        'Số liệu tính theo học sinh: mỗi học sinh được tính một lần cho cam kết của phụ huynh và một lần cho cam kết của học sinh. Sĩ số là số học sinh trong danh sách lớp tại thời điểm lập báo cáo. Cam kết ký lại được tính theo lần ký gần nhất.',
      ],
    });
  }
  if (r.reach) {
    const line = (name: string, x: typeof r.reach.total) => [name, x.sent, x.delivered, x.seen, x.people, x.groups];
    add('TUYÊN TRUYỀN QUA ZALO, MESSENGER', {
      sheet: 'Tuyên truyền',
      tables: [{
        caption: null,
        columns: ['Loại tin', 'Tin đã gửi', 'Đã nhận (theo xác nhận của nền tảng)', 'Đã xem (theo xác nhận của nền tảng)', 'Số người nhận', 'Số nhóm Zalo lớp'],
        rows: [...r.reach.byKind.map((k) => line(REACH_LABELS[k.kind], k)), line('Tổng cộng', r.reach.total)],
        lastIsTotal: true,
      }],
      notes: ['Số “đã nhận”, “đã xem” chỉ đếm được khi nền tảng gửi xác nhận về, nên có thể thấp hơn thực tế. Một người nhận nhiều loại tin được đếm một lần ở dòng tổng cộng.'],
    });
  }
  if (r.quizzes) {
    const line = (name: string, x: typeof r.quizzes.total) => [name, x.attempts, x.participants, orDash(x.averageScore), orDash(x.averageQuestions), orDash(x.correctPercent)];
    add('HOẠT ĐỘNG TÌM HIỂU, CÂU ĐỐ', {
      sheet: 'Câu đố',
      tables: [{
        caption: null,
        columns: ['Chủ đề', 'Lượt làm bài', 'Số người tham gia', 'Số câu đúng trung bình mỗi lượt', 'Số câu mỗi lượt', 'Tỉ lệ trả lời đúng (%)'],
        rows: [...r.quizzes.byTopic.map((t) => line(topicLabel(t.topic), t)), line('Tổng cộng', r.quizzes.total)],
        lastIsTotal: true,
      }],
      notes: ['Một người làm bài nhiều chủ đề được đếm một lần ở dòng tổng cộng.'],
    });
  }
  if (r.tips) {
    const t = r.tips;
    const summary: (string | number)[][] = [['Tin báo nhận trong kỳ', t.received], ['Trong đó: tin báo khẩn cấp', t.urgent], ['Tin báo đã xử lý xong (đóng) trong kỳ', t.closed], ['Tin báo còn đang xử lý cuối kỳ', t.openAtEnd]];
    if (t.withoutSchool !== null) summary.push(['Tin báo nhận trong kỳ không nêu trường', t.withoutSchool]);
    add('TIẾP NHẬN TIN BÁO, TỐ GIÁC TỘI PHẠM', {
      sheet: 'Tin báo',
      tables: [
        { caption: 'Tổng hợp', columns: ['Chỉ tiêu', 'Số tin'], rows: summary, lastIsTotal: false },
        { caption: 'Theo lĩnh vực', columns: ['Lĩnh vực', 'Tin nhận trong kỳ', 'Trong đó khẩn cấp'], rows: [...t.byCategory.map((c) => [categoryLabel(c.category), c.received, c.urgent]), ['Tổng cộng', t.received, t.urgent]], lastIsTotal: true },
        { caption: 'Theo kết quả xử lý', columns: ['Kết quả', 'Số tin đã đóng trong kỳ'], rows: [...t.byOutcome.map((o) => [OUTCOME_LABELS[o.outcome] ?? o.outcome, o.closed]), ['Tổng cộng', t.closed]], lastIsTotal: true },
      ],
      notes: ['Chỉ thống kê số lượng. Nội dung tin báo và mọi thông tin về người gửi được giữ bí mật, không đưa vào báo cáo. Tin báo đã đóng quá thời hạn lưu trữ đã được xoá nên không còn trong số liệu.'],
    });
  }
  if (r.broadcasts) {
    const b = r.broadcasts;
    add('THÔNG BÁO GỬI PHỤ HUYNH, HỌC SINH', {
      sheet: 'Thông báo',
      tables: [{
        caption: null,
        columns: ['Chỉ tiêu', 'Số lượng'],
        rows: [
          ['Thông báo đến hạn gửi trong kỳ', b.due],
          ['Đã gửi', b.sent],
          ['Đã huỷ', b.cancelled],
          ['Không được duyệt', b.rejected],
          ['Đang chờ (hẹn giờ, chờ duyệt)', b.waiting],
          ['Người nhận, nhóm lớp trong phạm vi báo cáo', b.recipients],
          ['Đã gửi đến', b.recipientsSent],
          ['Đã nhận (theo xác nhận của nền tảng)', b.delivered],
          ['Đã xem (theo xác nhận của nền tảng)', b.seen],
          ['Số người nhận khác nhau', b.people],
        ],
        lastIsTotal: false,
      }],
      notes: [],
    });
  }
  return sections.map(({ title, ...s }, i) => ({ heading: `${ROMAN[i]}. ${title}`, ...s }));
}
