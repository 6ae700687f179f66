import { AlignmentType, Document, Packer, Paragraph, ShadingType, Table, TableBorders, TableCell, TableRow, TextRun, WidthType } from 'docx';
import { formatVnDateTime } from '../../content/vn-time.js';
import type { ReportDeadline } from './report-deadlines.js';
import { reportSections, type ReportTable } from './report-tables.js';
import type { ReportFigures } from './report-types.js';

/** What the document says beyond the figures; every part left out becomes a dotted line for staff to fill in. */
export interface ReportDocumentOptions {
  /** The "Kính gửi" line; default: the deadline's recipient. */
  recipient?: string | null;
  /** The place of the date line ("Quận 7, ngày … tháng … năm …"). */
  place?: string | null;
  /** Default "HIỆU TRƯỞNG" for a school, "TRƯỞNG PHÒNG" for an office. */
  signerTitle?: string;
  signerName?: string | null;
  /** The plan whose deadline this report answers (its document is named in the opening line). */
  deadline?: ReportDeadline | null;
}

const DOTS = '……………………';
// Administrative documents (Nghị định 30/2020/NĐ-CP): Times New Roman 13–14 pt, A4, margins 20–25 mm top and bottom,
// 30–35 mm left, 15–20 mm right.
const FONT = 'Times New Roman';
const SIZE = 26; // half-points: 13 pt
const MM = 56.7; // twips per millimetre

const run = (text: string, o: { bold?: boolean; italics?: boolean; size?: number; underline?: boolean } = {}) =>
  new TextRun({ text, font: FONT, size: o.size ?? SIZE, bold: o.bold ?? false, italics: o.italics ?? false, ...(o.underline ? { underline: {} } : {}) });
const para = (children: TextRun[], o: { align?: (typeof AlignmentType)[keyof typeof AlignmentType]; after?: number; indent?: boolean } = {}) =>
  new Paragraph({ children, alignment: o.align ?? AlignmentType.JUSTIFIED, spacing: { after: o.after ?? 80 }, ...(o.indent ? { indent: { firstLine: Math.round(10 * MM) } } : {}) });
const center = (children: TextRun[], after = 0) => para(children, { align: AlignmentType.CENTER, after });
const cell = (children: Paragraph[], widthPct: number) => new TableCell({ children, width: { size: widthPct, type: WidthType.PERCENTAGE }, borders: TableBorders.NONE });

/** "ngày 08 tháng 10 năm 2026": days under 10 and the months 1 and 2 take a leading zero (Nghị định 30/2020/NĐ-CP). */
export function vnDateLine(d: Date): string {
  const v = new Date(d.getTime() + 7 * 3600_000);
  const day = String(v.getUTCDate()).padStart(2, '0');
  const month = v.getUTCMonth() + 1;
  return `ngày ${day} tháng ${month <= 2 ? `0${month}` : month} năm ${v.getUTCFullYear()}`;
}

function header(r: ReportFigures, o: ReportDocumentOptions): Table {
  const left = [
    center([run((r.unit.parentName ?? DOTS).toUpperCase(), { size: 24 })]),
    center([run(r.unit.name.toUpperCase(), { bold: true, size: 24 })]),
    center([run('Số:        /BC-' + DOTS.slice(0, 6), { size: 24 })], 0),
  ];
  const right = [
    center([run('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', { bold: true, size: 24 })]),
    center([run('Độc lập - Tự do - Hạnh phúc', { bold: true, underline: true })], 120),
    center([run(`${o.place ?? DOTS}, ${vnDateLine(r.generatedAt)}`, { italics: true })]),
  ];
  return new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, borders: TableBorders.NONE, rows: [new TableRow({ children: [cell(left, 40), cell(right, 60)] })] });
}

const VI_NUMBER = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 1 });

/** A figure as Vietnamese documents write it: 205.800 and 3,5. */
export function viNumber(value: string | number): string {
  return typeof value === 'number' ? VI_NUMBER.format(value) : value;
}

function figuresTable(t: ReportTable): Table {
  const shaded = { type: ShadingType.CLEAR, color: 'auto', fill: 'E7E6E6' };
  const cellOf = (value: string | number, o: { head?: boolean; bold?: boolean; first?: boolean }) =>
    new TableCell({
      children: [para([run(viNumber(value), { bold: o.head || o.bold, size: 24 })], { align: o.first ? AlignmentType.LEFT : AlignmentType.CENTER, after: 0 })],
      ...(o.head ? { shading: shaded } : {}),
    });
  const rows = [
    new TableRow({ tableHeader: true, children: t.columns.map((c, i) => cellOf(c, { head: true, first: i === 0 })) }),
    ...t.rows.map((row, ri) => new TableRow({ children: row.map((v, i) => cellOf(v, { bold: t.lastIsTotal && ri === t.rows.length - 1, first: i === 0 })) })),
  ];
  return new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, rows });
}

function closing(r: ReportFigures, o: ReportDocumentOptions): Table {
  const title = o.signerTitle ?? (r.unit.kind === 'school' ? 'HIỆU TRƯỞNG' : 'TRƯỞNG PHÒNG');
  const left = [
    para([run('Nơi nhận:', { bold: true, italics: true, size: 24 })], { align: AlignmentType.LEFT, after: 0 }),
    para([run('- Như trên;', { size: 22 })], { align: AlignmentType.LEFT, after: 0 }),
    para([run('- Lưu: VT.', { size: 22 })], { align: AlignmentType.LEFT, after: 0 }),
  ];
  const right = [
    center([run(title.toUpperCase(), { bold: true })]),
    center([run('(Ký, ghi rõ họ tên và đóng dấu)', { italics: true })], 960),
    center([run(o.signerName ?? DOTS, { bold: true })]),
  ];
  return new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, borders: TableBorders.NONE, rows: [new TableRow({ children: [cell(left, 45), cell(right, 55)] })] });
}

function opening(r: ReportFigures, o: ReportDocumentOptions): Paragraph {
  const p = r.period;
  const when = p.period.kind === 'custom' ? p.span : `trong ${p.label.charAt(0).toLowerCase()}${p.label.slice(1)} (${p.span})`;
  const basis = o.deadline ? `Thực hiện ${o.deadline.rule.source.document}, ${o.deadline.rule.source.clause}, ` : '';
  const scope = r.unit.kind === 'office' ? ` (số liệu của ${r.unit.schoolCount} trường)` : '';
  return para([run(`${basis}${r.unit.name} báo cáo kết quả thực hiện phong trào toàn dân bảo vệ an ninh Tổ quốc ${when}${scope} như sau:`)], { indent: true });
}

function staffNotes(r: ReportFigures, o: ReportDocumentOptions): Paragraph[] {
  const notes = [
    `Số liệu do hệ thống tổng hợp lúc ${formatVnDateTime(r.generatedAt)} từ dữ liệu đã lưu; chỉ gồm số lượng, không có tên học sinh, phụ huynh hay nội dung tin báo.`,
    'Các kế hoạch trong hồ sơ không kèm biểu mẫu báo cáo: văn bản này trình bày theo thể thức văn bản hành chính thông thường (Nghị định số 30/2020/NĐ-CP). Cần cán bộ đối chiếu mẫu báo cáo của Ban Chỉ đạo 138 nếu có.',
  ];
  if (o.deadline?.needsReview && o.deadline.rule.reviewNote) notes.push(`Hạn báo cáo: ${o.deadline.rule.reviewNote}`);
  return [
    para([run('Ghi chú cho cán bộ (xoá trước khi gửi):', { italics: true, bold: true, size: 20 })], { after: 0 }),
    ...notes.map((n) => para([run(`- ${n}`, { italics: true, size: 20 })], { after: 0 })),
  ];
}

/**
 * The periodic report as a Word document in the form of a Vietnamese administrative report: the issuing unit and the
 * national motto, the title "BÁO CÁO Kết quả thực hiện phong trào toàn dân bảo vệ an ninh Tổ quốc" with its period,
 * "Kính gửi", one numbered section per part of the figures with its tables (the same ones as the Excel file), a part
 * for the unit's own assessment, the recipients and the signer's block, and notes for staff.
 */
export async function renderReportDocx(r: ReportFigures, o: ReportDocumentOptions = {}): Promise<Buffer> {
  const sections = reportSections(r);
  const recipient = o.recipient ?? o.deadline?.rule.recipient ?? DOTS;
  const body: (Paragraph | Table)[] = [
    header(r, o),
    center([run('BÁO CÁO', { bold: true, size: 28 })], 0),
    center([run('Kết quả thực hiện phong trào toàn dân bảo vệ an ninh Tổ quốc', { bold: true, size: 28 })], 0),
    center([run(`${r.period.label} (${r.period.span})`, { italics: true })], 240),
    center([run(`Kính gửi: ${recipient}.`)], 240),
    opening(r, o),
  ];
  for (const s of sections) {
    body.push(para([run(s.heading, { bold: true })], { after: 120 }));
    for (const t of s.tables) {
      if (t.caption) body.push(para([run(t.caption, { bold: true, italics: true })], { after: 60 }));
      body.push(figuresTable(t), para([run('')], { after: 60 }));
    }
    for (const n of s.notes) body.push(para([run(`Ghi chú: ${n}`, { italics: true, size: 22 })], { indent: true }));
  }
  body.push(
    para([run(`${['I', 'II', 'III', 'IV', 'V', 'VI', 'VII'][sections.length]}. ĐÁNH GIÁ CHUNG, KHÓ KHĂN, VƯỚNG MẮC VÀ ĐỀ XUẤT`, { bold: true })], { after: 120 }),
    para([run('(Đơn vị bổ sung nhận xét, đánh giá, khó khăn, vướng mắc và đề xuất.)', { italics: true })], { indent: true }),
    para([run(`Trên đây là báo cáo kết quả thực hiện phong trào toàn dân bảo vệ an ninh Tổ quốc ${r.period.label.charAt(0).toLowerCase()}${r.period.label.slice(1)} của ${r.unit.name}./.`)], { indent: true, after: 240 }),
    closing(r, o),
    para([run('')], { after: 240 }),
    ...staffNotes(r, o),
  );
  const doc = new Document({
    creator: r.unit.name,
    title: `Báo cáo kết quả thực hiện phong trào toàn dân bảo vệ an ninh Tổ quốc – ${r.period.label}`,
    styles: { default: { document: { run: { font: FONT, size: SIZE } } } },
    sections: [{ properties: { page: { size: { width: Math.round(210 * MM), height: Math.round(297 * MM) }, margin: { top: Math.round(20 * MM), bottom: Math.round(20 * MM), left: Math.round(30 * MM), right: Math.round(15 * MM) } } }, children: body }],
  });
  return Packer.toBuffer(doc);
}
