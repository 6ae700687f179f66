import ExcelJS from 'exceljs';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextDeadline } from '../../../src/services/reports/report-deadlines.js';
import { reportFigures } from '../../../src/services/reports/report-figures.js';
import { renderReportDocx } from '../../../src/services/reports/render-report-docx.js';
import { renderReportXlsx, SUMMARY_SHEET } from '../../../src/services/reports/render-report-xlsx.js';
import type { ReportFigures } from '../../../src/services/reports/report-types.js';
import { createRepos } from '../../../src/store/repos.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.js';
import { buildWorld, NOW, type World } from '../dashboard/world.js';

let db: TestDatabase;
let w: World;
let report: ReportFigures;

beforeAll(async () => {
  db = await createTestDatabase();
  w = await buildWorld(db.prisma);
  const out = await reportFigures(createRepos(db.prisma), w.scopes.schoolA, { unit: { kind: 'school', schoolId: w.a.id }, period: { kind: 'quarter', year: 2026, quarter: 4 } }, NOW);
  if (!out.ok) throw new Error(out.reason);
  report = out.report;
});
afterAll(async () => {
  await db?.drop();
});

/** Every row of a sheet as plain values (numbers stay numbers), empty rows left out. */
function sheetRows(ws: ExcelJS.Worksheet): (string | number | null)[][] {
  const rows: (string | number | null)[][] = [];
  ws.eachRow((row) => {
    const values = (row.values as unknown[]).slice(1).map((v) => (v === undefined ? null : (v as string | number)));
    rows.push(values);
  });
  return rows;
}

/** The row of a sheet that starts with `label`. */
const rowOf = (rows: (string | number | null)[][], label: string) => rows.find((r) => r[0] === label);

/** The text runs of word/document.xml, in order (a cell's text is one run here). */
function docxRuns(buf: Buffer): string[] {
  const xml = strFromU8(unzipSync(new Uint8Array(buf))['word/document.xml']!);
  return [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]!.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"'));
}

describe('the report as an Excel workbook', () => {
  it('reads back with one sheet per section and the figures the database gave', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await renderReportXlsx(report)) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((s) => s.name)).toEqual([SUMMARY_SHEET, 'Cam kết ATGT', 'Tuyên truyền', 'Câu đố', 'Tin báo', 'Thông báo']);

    const info = sheetRows(wb.getWorksheet(SUMMARY_SHEET)!);
    expect(rowOf(info, 'Đơn vị')).toEqual(['Đơn vị', w.a.name]);
    expect(rowOf(info, 'Kỳ báo cáo')).toEqual(['Kỳ báo cáo', 'Quý IV năm 2026']);

    const pledges = sheetRows(wb.getWorksheet('Cam kết ATGT')!);
    expect(pledges[0]).toEqual(['I. KẾT QUẢ ĐĂNG KÝ CAM KẾT AN TOÀN GIAO THÔNG']);
    // Class, roster, parents signed / withdrawn / valid, students signed / withdrawn / valid / confirmed.
    expect(rowOf(pledges, '6A1')).toEqual(['6A1', 4, 5, 1, 4, 1, 0, 1, 1]);
    expect(rowOf(pledges, '6A2')).toEqual(['6A2', 2, 0, 0, 0, 1, 0, 1, 0]);
    const t = report.pledges!.total;
    expect(rowOf(pledges, 'Tổng cộng')).toEqual(['Tổng cộng', t.rosterSize, t.parent.signed, t.parent.withdrawn, t.parent.valid, t.student.signed, t.student.withdrawn, t.student.valid, t.student.confirmed]);

    const reach = sheetRows(wb.getWorksheet('Tuyên truyền')!);
    expect(rowOf(reach, 'Thông báo của nhà trường, của phòng')).toEqual(['Thông báo của nhà trường, của phòng', 3, 1, 1, 2, 1]);

    const quiz = sheetRows(wb.getWorksheet('Câu đố')!);
    expect(rowOf(quiz, 'An toàn giao thông')).toEqual(['An toàn giao thông', 2, 2, 3.5, 5, 70]);
    expect(rowOf(quiz, 'Tổng cộng')).toEqual(['Tổng cộng', 3, 2, 4, 5, 80]);

    const tips = sheetRows(wb.getWorksheet('Tin báo')!);
    expect(rowOf(tips, 'Tin báo nhận trong kỳ')).toEqual(['Tin báo nhận trong kỳ', 5]);
    expect(rowOf(tips, 'Ma tuý')).toEqual(['Ma tuý', 1, 1]);
    expect(rowOf(tips, 'Tin rác, tin báo sai hoặc đùa')).toEqual(['Tin rác, tin báo sai hoặc đùa', 1]);

    const broadcasts = sheetRows(wb.getWorksheet('Thông báo')!);
    expect(rowOf(broadcasts, 'Thông báo đến hạn gửi trong kỳ')).toEqual(['Thông báo đến hạn gửi trong kỳ', 1]);
    expect(rowOf(broadcasts, 'Đã gửi đến')).toEqual(['Đã gửi đến', 3]);
  });

  it('leaves out the sections a tip handler does not reach', async () => {
    const out = await reportFigures(createRepos(db.prisma), w.scopes.handlerA, { unit: { kind: 'school', schoolId: w.a.id }, period: { kind: 'quarter', year: 2026, quarter: 4 } }, NOW);
    if (!out.ok) throw new Error(out.reason);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await renderReportXlsx(out.report)) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((s) => s.name)).toEqual([SUMMARY_SHEET, 'Tin báo']);
    expect(sheetRows(wb.getWorksheet('Tin báo')!)[0]).toEqual(['I. TIẾP NHẬN TIN BÁO, TỐ GIÁC TỘI PHẠM']);
  });
});

describe('the report as a Word document', () => {
  it('has the national header, the title, the period, the recipient and a line for the signer', async () => {
    const deadline = nextDeadline(NOW, 'quan-7');
    const runs = docxRuns(await renderReportDocx(report, { place: 'Quận 7', deadline }));
    const text = runs.join('\n');
    for (const line of [
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'Độc lập - Tự do - Hạnh phúc',
      w.a.name.toUpperCase(),
      'PHÒNG GD&ĐT (KIỂM THỬ)',
      'Quận 7, ngày 08 tháng 10 năm 2026',
      'BÁO CÁO',
      'Kết quả thực hiện phong trào toàn dân bảo vệ an ninh Tổ quốc',
      'Quý IV năm 2026 (từ ngày 01/10/2026 đến ngày 31/12/2026)',
      'Kính gửi: Ban Chỉ đạo 138 quận (qua Công an quận – Đội tham mưu).',
      'HIỆU TRƯỞNG',
      '(Ký, ghi rõ họ tên và đóng dấu)',
    ]) expect(runs).toContain(line);
    expect(text).toContain('Thực hiện Công văn của Phòng Giáo dục và Đào tạo Quận 7 năm 2024');
    expect(text).toContain('V. THÔNG BÁO GỬI PHỤ HUYNH, HỌC SINH');
    expect(text).toContain('VI. ĐÁNH GIÁ CHUNG, KHÓ KHĂN, VƯỚNG MẮC VÀ ĐỀ XUẤT');
    expect(text).toContain('Cần cán bộ xác nhận');
  });

  it('holds the same figures as the database, cell after cell', async () => {
    const runs = docxRuns(await renderReportDocx(report));
    const after = (label: string, n: number) => runs.slice(runs.indexOf(label) + 1, runs.indexOf(label) + 1 + n);
    expect(after('6A1', 8)).toEqual(['4', '5', '1', '4', '1', '0', '1', '1']);
    expect(after('Thông báo của nhà trường, của phòng', 5)).toEqual(['3', '1', '1', '2', '1']);
    expect(after('Tin báo nhận trong kỳ', 1)).toEqual([String(report.tips!.received)]);
    expect(after('Người nhận, nhóm lớp trong phạm vi báo cáo', 1)).toEqual(['6']);
    // Numbers as Vietnamese documents write them.
    expect(after('An toàn giao thông', 5)).toEqual(['2', '2', '3,5', '5', '70']);
    // Dotted lines where nothing was given: the place, the recipient and the signer's name.
    expect(runs).toContain('Kính gửi: …………………….');
  });

  it('never carries a tip’s text or code, nor a pupil’s name', async () => {
    const text = docxRuns(await renderReportDocx(report)).join('\n');
    expect(text).not.toMatch(/secret|TB-|Nguyễn Minh An|Hoàng Thị Mơ/);
  });
});
