import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { FileProblemCode, RawRow } from './roster-file.js';
import { entryContent, storedZip, ZipProblem, zipEntries, type ZipEntry } from './zip-entries.js';

/** What of a workbook we inflate at most (the first sheet, its shared strings and the workbook's index). */
export const MAX_XLSX_XML_BYTES = 24 * 1024 * 1024;

/** Why an archive cannot be read as a workbook. */
export class SpreadsheetProblem extends Error {
  constructor(readonly problem: FileProblemCode, readonly detail?: string) {
    super(problem);
    this.name = 'SpreadsheetProblem';
  }
}

const EMPTY_SHARED_STRINGS = Buffer.from('<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="0" uniqueCount="0"/>');

/**
 * The rows of the first visible sheet of an XLSX file, read with exceljs's streaming reader. The archive is checked
 * and rebuilt first: only the workbook index, the shared strings and that sheet are inflated (each within
 * `MAX_XLSX_XML_BYTES` together, whatever the archive claims), and they are handed to exceljs in the order that
 * lets it read the sheet straight from the stream (Excel stores sheets before shared strings, which would make
 * exceljs spool the sheet to a temporary file first). A reader that stops early leaves the rest of the sheet unread.
 */
export async function* xlsxRows(bytes: Uint8Array): AsyncGenerator<RawRow> {
  const input = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // Handed over in 64 KB pieces: exceljs parses what each piece holds before asking for the next, so stopping early
  // leaves the rest of the sheet unparsed (one piece would be parsed, rows and all, in one go).
  const source = Readable.from(pieces(rebuildWorkbook(input), 64 * 1024));
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(source, { worksheets: 'emit', sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'ignore', entries: 'ignore' });
  try {
    for await (const sheet of reader) {
      for await (const row of sheet) yield { row: row.number, cells: cellsOf(row.values) };
      return;
    }
  } catch (err) {
    if (err instanceof SpreadsheetProblem) throw err;
    throw new SpreadsheetProblem('unreadable', 'tệp Excel bị hỏng');
  } finally {
    source.destroy();
  }
}

/** The minimal workbook exceljs needs for the first visible sheet, as a stored ZIP. */
export function rebuildWorkbook(input: Buffer): Buffer {
  let budget = MAX_XLSX_XML_BYTES;
  const take = (entry: ZipEntry): Buffer => {
    const data = entryContent(input, entry, budget);
    budget -= data.length;
    return data;
  };
  try {
    const entries = new Map(zipEntries(input).map((e) => [e.name, e]));
    const mimetype = entries.get('mimetype');
    if (mimetype && take(mimetype).toString('latin1').includes('opendocument.spreadsheet')) throw new SpreadsheetProblem('ods');
    const book = entries.get('xl/workbook.xml');
    const rels = entries.get('xl/_rels/workbook.xml.rels');
    if (!book || !rels) throw new SpreadsheetProblem('not_a_spreadsheet', entries.has('word/document.xml') ? 'tệp Word (.docx)' : entries.has('ppt/presentation.xml') ? 'tệp PowerPoint (.pptx)' : 'tệp nén');
    const relsXml = take(rels);
    const bookXml = take(book);
    const sheetPath = firstSheetPath(bookXml.toString('utf8'), relsXml.toString('utf8'), [...entries.keys()]);
    const sheet = sheetPath ? entries.get(sheetPath) : undefined;
    if (!sheet) throw new SpreadsheetProblem('unreadable', 'không tìm thấy trang tính nào');
    const strings = entries.get('xl/sharedStrings.xml');
    return storedZip([
      { name: 'xl/_rels/workbook.xml.rels', data: relsXml },
      { name: 'xl/workbook.xml', data: bookXml },
      { name: 'xl/sharedStrings.xml', data: strings ? take(strings) : EMPTY_SHARED_STRINGS },
      { name: sheetPath!, data: take(sheet) },
    ]);
  } catch (err) {
    if (err instanceof ZipProblem) throw err.why === 'too_large' ? new SpreadsheetProblem('too_large', 'nội dung giải nén quá lớn') : new SpreadsheetProblem('unreadable', 'tệp Excel bị hỏng');
    throw err;
  }
}

/** The ZIP path of the first sheet that is not hidden, in tab order (falling back to the lowest-numbered sheet). */
export function firstSheetPath(bookXml: string, relsXml: string, names: string[]): string | null {
  const targets = new Map<string, string>();
  for (const m of relsXml.matchAll(/<(?:\w+:)?Relationship\b[^>]*>/g)) {
    const id = /\bId="([^"]+)"/.exec(m[0])?.[1];
    const target = /\bTarget="([^"]+)"/.exec(m[0])?.[1];
    if (id && target) targets.set(id, target.startsWith('/') ? target.slice(1) : `xl/${target}`);
  }
  for (const m of bookXml.matchAll(/<(?:\w+:)?sheet\b[^>]*>/g)) {
    if (/\bstate="(hidden|veryHidden)"/.test(m[0])) continue;
    const id = /\b\w+:id="([^"]+)"/.exec(m[0])?.[1];
    const path = id ? targets.get(id) : undefined;
    if (path && /^xl\/worksheets\/sheet\d+\.xml$/.test(path) && names.includes(path)) return path;
  }
  const sheets = names.filter((n) => /^xl\/worksheets\/sheet\d+\.xml$/.test(n));
  sheets.sort((a, b) => Number(/(\d+)\.xml$/.exec(a)![1]) - Number(/(\d+)\.xml$/.exec(b)![1]));
  return sheets[0] ?? null;
}

function* pieces(bytes: Buffer, size: number): Generator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

/** A row's cell values (exceljs: 1-based, sparse) as text. */
function cellsOf(values: ExcelJS.CellValue[] | { [key: string]: ExcelJS.CellValue }): string[] {
  const list = Array.isArray(values) ? values.slice(1) : Object.values(values);
  return Array.from(list, (v) => cellText(v));
}

/** A cell as the text a person sees (dates as dd/mm/yyyy, formulas as their result, rich text joined). */
export function cellText(v: ExcelJS.CellValue | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return `${String(v.getUTCDate()).padStart(2, '0')}/${String(v.getUTCMonth() + 1).padStart(2, '0')}/${v.getUTCFullYear()}`;
  if ('richText' in v) return v.richText.map((r) => r.text).join('');
  if ('formula' in v || 'sharedFormula' in v) return cellText((v as { result?: ExcelJS.CellValue }).result);
  if ('text' in v) return typeof v.text === 'string' ? v.text : cellText(v.text as ExcelJS.CellValue);
  if ('error' in v) return '';
  return '';
}
