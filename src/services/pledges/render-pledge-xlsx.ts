import ExcelJS from 'exceljs';
import type { PledgeExportData } from './pledge-export-data.js';
import { hasNames, pupilTable, summaryTable, type ExportTable } from './pledge-export-table.js';

/** The sheet names of a pledge workbook. */
export const PUPIL_SHEET = 'Danh sách';
export const SUMMARY_SHEET = 'Tổng hợp';

/**
 * The pledges as an XLSX workbook (exceljs): a "Danh sách" sheet, one row per pupil, when the account may read the
 * class's names, and a "Tổng hợp" sheet with each class's figures. Every cell is a plain value, never a formula.
 */
export async function renderPledgeXlsx(data: PledgeExportData, now: Date): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Phong trào An ninh trường học';
  wb.created = now;
  wb.modified = now;
  if (hasNames(data)) addSheet(wb, PUPIL_SHEET, pupilTable(data), [6, 28, 8, 28, 12, 20, 14, 20, 14, 22]);
  addSheet(wb, SUMMARY_SHEET, summaryTable(data), [28, 8, 12, 16, 16, 16, 14, 12]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function addSheet(wb: ExcelJS.Workbook, name: string, table: ExportTable, widths: number[]): void {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = table.header.map((h, i) => ({ header: h, width: widths[i] ?? 14 }));
  ws.getRow(1).font = { bold: true };
  for (const r of table.rows) ws.addRow(r);
}
