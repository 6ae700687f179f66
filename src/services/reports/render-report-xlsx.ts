import ExcelJS from 'exceljs';
import { formatVnDateTime } from '../../content/vn-time.js';
import { reportSections, type ReportTable } from './report-tables.js';
import type { ReportFigures } from './report-types.js';

/** Name of the first sheet: what the report is, for which unit and period. */
export const SUMMARY_SHEET = 'Thông tin chung';

const HEAD_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE7E6E6' } };
const THIN: Partial<ExcelJS.Borders> = { top: { style: 'thin' }, left: { style: 'thin' }, bottom: { style: 'thin' }, right: { style: 'thin' } };

function writeTable(ws: ExcelJS.Worksheet, t: ReportTable): void {
  if (t.caption) ws.addRow([t.caption]).font = { bold: true, italic: true };
  const head = ws.addRow(t.columns);
  head.font = { bold: true };
  head.alignment = { wrapText: true, vertical: 'middle', horizontal: 'center' };
  head.eachCell((c) => {
    c.fill = HEAD_FILL;
    c.border = THIN;
  });
  t.rows.forEach((values, i) => {
    const row = ws.addRow(values);
    row.eachCell((c) => (c.border = THIN));
    if (t.lastIsTotal && i === t.rows.length - 1) row.font = { bold: true };
  });
  ws.addRow([]);
}

/**
 * The periodic report as an Excel workbook: a first sheet naming the unit and the period, then one sheet per section
 * with the same tables as the Word document (numbers as numbers, totals in bold), and the section's notes below.
 */
export async function renderReportXlsx(r: ReportFigures): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = r.unit.name;
  wb.created = r.generatedAt;
  const info = wb.addWorksheet(SUMMARY_SHEET);
  info.columns = [{ width: 28 }, { width: 70 }];
  const lines: [string, string | number][] = [
    ['Báo cáo', 'Kết quả thực hiện phong trào toàn dân bảo vệ an ninh Tổ quốc'],
    ['Đơn vị', r.unit.name],
    ...(r.unit.parentName ? [['Cơ quan chủ quản', r.unit.parentName] as [string, string]] : []),
    ['Số trường', r.unit.schoolCount],
    ['Kỳ báo cáo', r.period.label],
    ['Thời gian', r.period.span],
    ['Lập lúc', formatVnDateTime(r.generatedAt)],
    ['Ghi chú', 'Chỉ gồm số lượng: không có tên học sinh, phụ huynh hay nội dung tin báo.'],
  ];
  for (const line of lines) info.addRow(line).getCell(1).font = { bold: true };
  for (const s of reportSections(r)) {
    const ws = wb.addWorksheet(s.sheet);
    const widest = Math.max(...s.tables.map((t) => t.columns.length));
    ws.columns = Array.from({ length: widest }, (_, i) => ({ width: i === 0 ? 44 : 16 }));
    ws.addRow([s.heading]).font = { bold: true, size: 13 };
    ws.addRow([]);
    for (const t of s.tables) writeTable(ws, t);
    for (const n of s.notes) ws.addRow([`Ghi chú: ${n}`]).font = { italic: true };
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
