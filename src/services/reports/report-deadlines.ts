import { vnDay, vnMidnight } from './report-period.js';

/**
 * The reporting deadlines the plans in shared/seeds set for the periodic report ("báo cáo kết quả thực hiện phong trào
 * toàn dân bảo vệ an ninh Tổ quốc"), quoted word for word. What a plan does not say (which month "hàng quý" means,
 * which period a report covers, whether a dated deadline repeats in later years) is the system's reading and is
 * marked `needsReview` with a "Cần cán bộ xác nhận" note: staff must confirm it, nothing here is invented as fact.
 */

/** Areas whose plans set dates. */
export type DeadlineRegion = 'quan-7' | 'cu-chi' | 'lam-dong' | 'so-gddt-thanh-pho';

/** Where a rule comes from: the plan, its clause, the exact words, and the seed file holding the text. */
export interface DeadlineSource {
  document: string;
  clause: string;
  quote: string;
  seedFile: string;
}

/** One reporting rule of one plan. */
export interface DeadlineRule {
  id: string;
  region: DeadlineRegion;
  regionName: string;
  /** What is reported. */
  title: string;
  /** Who receives it, as the plan says. */
  recipient: string;
  source: DeadlineSource;
  /** The system's reading of the rule where the plan leaves something open; null when the quote says it all. */
  reviewNote: string | null;
  /** The deadlines of a calendar year (none: the plan sets no date). */
  deadlinesOf(year: number): Omit<ReportDeadline, 'rule'>[];
}

/** One deadline: the report must reach the recipient before `dueBefore` (Vietnam time). */
export interface ReportDeadline {
  rule: Pick<DeadlineRule, 'id' | 'region' | 'regionName' | 'title' | 'recipient' | 'source' | 'reviewNote'>;
  /** "Báo cáo quý III năm 2026". */
  label: string;
  /** The first instant too late (Vietnam midnight). */
  dueBefore: Date;
  /** "trước ngày 05/10/2026", "ngày 10/05/2026": the plan's own way of saying it. */
  dueText: string;
  /** The period the report covers, when the plan says or the system reads it (see `needsReview`). */
  covers: string | null;
  /** Part of this deadline is the system's reading, not the plan's words (see the rule's `reviewNote`). */
  needsReview: boolean;
}

const ROMAN = ['I', 'II', 'III', 'IV'];
const DAY_MS = 86_400_000;
const lastDay = (before: Date) => vnDay(new Date(before.getTime() - DAY_MS));

const QUAN_7: DeadlineSource = {
  document:
    'Công văn của Phòng Giáo dục và Đào tạo Quận 7 năm 2024 V/v triển khai Kế hoạch xây dựng cơ sở giáo dục điển hình về phong trào toàn dân bảo vệ an ninh Tổ quốc (căn cứ Kế hoạch số 2536/KH-BCĐ ngày 02/5/2024 của Ban Chỉ đạo 138 quận; số và ngày của công văn để trống trong bản đang lưu)',
  clause: 'mục 8 (Chế độ báo cáo)',
  quote: 'Chế độ báo cáo: Các cơ sở giáo dục báo cáo kết quả tình hình thực hiện định kỳ về Ban Chỉ đạo 138 quận (qua Công an quận – Đội tham mưu) trước ngày 05 hàng quý và trước ngày 01/10 hằng năm.',
  seedFile: '000_e92e784b1e818959.txt',
};

/** Every rule the seeds hold, in the order of the plans. */
export const DEADLINE_RULES: readonly DeadlineRule[] = [
  {
    id: 'quan-7-quy',
    region: 'quan-7',
    regionName: 'Quận 7',
    title: 'Báo cáo định kỳ hằng quý',
    recipient: 'Ban Chỉ đạo 138 quận (qua Công an quận – Đội tham mưu)',
    source: QUAN_7,
    reviewNote:
      'Cần cán bộ xác nhận: công văn ghi “trước ngày 05 hàng quý” mà không nói tháng nào của quý và báo cáo cho kỳ nào; hệ thống hiểu là trước ngày 05 của tháng đầu quý sau (05/01, 05/04, 05/07, 05/10), báo cáo quý vừa kết thúc.',
    deadlinesOf: (year) =>
      [1, 4, 7, 10].map((month, i) => {
        const dueBefore = vnMidnight(year, month, 5);
        const q = i === 0 ? 4 : i;
        const qYear = i === 0 ? year - 1 : year;
        return { label: `Báo cáo quý ${ROMAN[q - 1]} năm ${qYear}`, dueBefore, dueText: `trước ngày ${vnDay(dueBefore)}`, covers: `Quý ${ROMAN[q - 1]} năm ${qYear}`, needsReview: true };
      }),
  },
  {
    id: 'quan-7-nam',
    region: 'quan-7',
    regionName: 'Quận 7',
    title: 'Báo cáo hằng năm',
    recipient: 'Ban Chỉ đạo 138 quận (qua Công an quận – Đội tham mưu)',
    source: QUAN_7,
    reviewNote:
      'Cần cán bộ xác nhận: công văn ghi hạn “trước ngày 01/10 hằng năm” nhưng không nói báo cáo năm tính từ ngày nào đến ngày nào (có thể theo năm học hoặc đến hết tháng 9).',
    deadlinesOf: (year) => {
      const dueBefore = vnMidnight(year, 10, 1);
      return [{ label: `Báo cáo năm ${year}`, dueBefore, dueText: `trước ngày ${vnDay(dueBefore)}`, covers: null, needsReview: false }];
    },
  },
  {
    id: 'quan-7-ntt-2024',
    region: 'quan-7',
    regionName: 'Quận 7',
    title: 'Báo cáo kết quả triển khai xây dựng điển hình (riêng Trường THCS Nguyễn Thị Thập, năm 2024)',
    recipient: 'Thường trực Ban chỉ đạo 138 quận (Công an quận – Đội Tham mưu)',
    source: {
      document: QUAN_7.document,
      clause: 'mục 4',
      quote:
        'Trường THCS Nguyễn Thị Thập khẩn trương báo cáo kết quả triển khai xây dựng điển hình về phong trào toàn dân bảo vệ an ninh Tổ quốc về Thường trực Ban chỉ đạo 138 quận (Công an quận – Đội Tham mưu) trước ngày 09/5/2024.',
      seedFile: QUAN_7.seedFile,
    },
    reviewNote: null,
    deadlinesOf: (year) => {
      if (year !== 2024) return [];
      const dueBefore = vnMidnight(2024, 5, 9);
      return [{ label: 'Báo cáo xây dựng điển hình năm 2024 (THCS Nguyễn Thị Thập)', dueBefore, dueText: 'trước ngày 09/05/2024', covers: null, needsReview: false }];
    },
  },
  {
    id: 'cu-chi-10-5-15-11',
    region: 'cu-chi',
    regionName: 'Huyện Củ Chi',
    title: 'Báo cáo sơ kết, tổng kết và báo cáo định kỳ',
    recipient: 'Phòng Giáo dục và Đào tạo huyện Củ Chi (thông qua bộ phận THCS), để tổng hợp báo cáo Công an huyện Củ Chi',
    source: {
      document: 'Kế hoạch ngày 07/4/2024 của Phòng Giáo dục và Đào tạo huyện Củ Chi về xây dựng, nhân rộng mô hình, điển hình tiên tiến trong phong trào toàn dân bảo vệ an ninh Tổ quốc trên địa bàn huyện Củ Chi',
      clause: 'mục III (Tổ chức thực hiện)',
      quote: 'Thực hiện báo cáo sơ kết, tổng kết và báo cáo định kỳ về Phòng Giáo dục và Đào tạo huyện vào ngày 10/5 và 15/11',
      seedFile: '001_63808a5b5e78fb43.txt',
    },
    reviewNote:
      'Cần cán bộ xác nhận: kế hoạch ghi “vào ngày 10/5 và 15/11” mà không nói ngày nào cho báo cáo sơ kết, ngày nào cho tổng kết, kỳ báo cáo tính từ ngày nào; kế hoạch ban hành năm 2024, các năm sau hệ thống giả định giữ hai ngày này.',
    deadlinesOf: (year) =>
      [
        [5, 10],
        [11, 15],
      ].map(([month, day]) => {
        const dueBefore = vnMidnight(year, month!, day! + 1);
        return { label: `Báo cáo hạn ngày ${lastDay(dueBefore)}`, dueBefore, dueText: `ngày ${lastDay(dueBefore)}`, covers: null, needsReview: year !== 2024 };
      }),
  },
  {
    id: 'lam-dong-05-11',
    region: 'lam-dong',
    regionName: 'Tỉnh Lâm Đồng',
    title: 'Báo cáo kết quả thực hiện Kế hoạch xây dựng phong trào toàn dân bảo vệ an ninh Tổ quốc',
    recipient: 'Sở Giáo dục và Đào tạo Lâm Đồng, để tổng hợp, báo cáo Ban Chỉ đạo 138 tỉnh',
    source: {
      document: 'Kế hoạch Xây dựng phong trào toàn dân bảo vệ an ninh Tổ quốc năm 2025 của Sở Giáo dục và Đào tạo Lâm Đồng (số …/KH-SGDĐT, tháng 01/2025; số để trống trong bản đang lưu)',
      clause: 'đoạn kết của Kế hoạch, sau mục III (Tổ chức thực hiện)',
      quote: 'Sở GDĐT yêu cầu thủ trưởng các đơn vị triển khai, thực hiện nghiêm túc các nội dung của Kế hoạch và báo cáo kết quả về Sở GDĐT trước ngày 05/11/2025 để tổng hợp, báo cáo Ban Chỉ đạo 138 tỉnh./.',
      seedFile: '003_ac4f57d7d319b00e.txt',
    },
    reviewNote: 'Cần cán bộ xác nhận: kế hoạch năm 2025 chỉ nêu hạn 05/11/2025; với các năm khác hệ thống giả định cùng ngày 05/11, cần đối chiếu kế hoạch của năm đó.',
    deadlinesOf: (year) => {
      const dueBefore = vnMidnight(year, 11, 5);
      return [{ label: `Báo cáo kết quả năm ${year}`, dueBefore, dueText: `trước ngày ${vnDay(dueBefore)}`, covers: `Năm ${year}`, needsReview: year !== 2025 }];
    },
  },
  {
    id: 'so-gddt-6-thang-1-nam',
    region: 'so-gddt-thanh-pho',
    regionName: 'Sở Giáo dục và Đào tạo thành phố (Kế hoạch triển khai Thông tư số 124/2021/TT-BCA)',
    title: 'Báo cáo 6 tháng, 1 năm kết quả thực hiện Thông tư số 124/2021/TT-BCA cùng với báo cáo kết quả thực hiện phong trào TDBVANTQ',
    recipient: 'Sở Giáo dục và Đào tạo (qua Phòng Giáo dục Chính trị và Công tác học sinh, sinh viên)',
    source: {
      document: 'Kế hoạch triển khai thực hiện Thông tư số 124/2021/TT-BCA ngày 28/12/2021 của Bộ Công an trong ngành Giáo dục thành phố, của Sở Giáo dục và Đào tạo (thực hiện Kế hoạch số 88/KH-UBND ngày 29/4/2022 của UBND thành phố)',
      clause: 'mục III.2.c',
      quote: 'Định kì 6 tháng, 1 năm báo cáo kết quả thực hiện Thông tư số 124/2021/TT-BCA cùng với báo cáo kết quả thực hiện phong trào TDBVANTQ của đơn vị, trường học gửi về Sở Giáo dục và Đào tạo (qua Phòng Giáo dục Chính trị và Công tác học sinh, sinh viên).',
      seedFile: '002_bde4111289bea890.txt',
    },
    reviewNote: 'Cần cán bộ xác nhận: kế hoạch không nêu ngày hạn nộp báo cáo 6 tháng và 1 năm, cũng không ghi tên thành phố; hệ thống không tự đặt hạn.',
    deadlinesOf: () => [],
  },
];

/** The deadlines of every rule (of one region) in a calendar year, earliest first. */
export function reportDeadlines(year: number, region?: DeadlineRegion): ReportDeadline[] {
  return DEADLINE_RULES.filter((r) => !region || r.region === region)
    .flatMap((rule) => rule.deadlinesOf(year).map((d) => ({ ...d, rule: { id: rule.id, region: rule.region, regionName: rule.regionName, title: rule.title, recipient: rule.recipient, source: rule.source, reviewNote: rule.reviewNote } })))
    .sort((a, b) => a.dueBefore.getTime() - b.dueBefore.getTime() || a.rule.id.localeCompare(b.rule.id));
}

/** The first deadline still ahead of `now` (of one region, or of any), or null when the plans set none. */
export function nextDeadline(now: Date, region?: DeadlineRegion): ReportDeadline | null {
  const year = new Date(now.getTime() + 7 * 3600_000).getUTCFullYear();
  for (const y of [year, year + 1]) {
    const next = reportDeadlines(y, region).find((d) => d.dueBefore.getTime() > now.getTime());
    if (next) return next;
  }
  return null;
}
