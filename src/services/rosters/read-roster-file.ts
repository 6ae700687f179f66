import { csvRows, CsvFormatError } from './csv-rows.js';
import { decodeText, type TextEncodingName } from './decode-text.js';
import { fileKind } from './file-kind.js';
import { mojibakeSample } from './mojibake.js';
import { matchHeaderRow, nameCell, type NameColumns } from './roster-headers.js';
import { ROSTER_LIMITS, type FileProblem, type RawRow, type RosterFile, type RosterLimits } from './roster-file.js';
import { fileProblem } from './roster-messages.js';
import { SpreadsheetProblem, xlsxRows } from './xlsx-rows.js';

/** The header row is looked for in this many first rows (a title and the school's name often come first). */
export const HEADER_SCAN_ROWS = 10;

/** One data row: its number in the file and the name as written. */
export interface NameRow {
  row: number;
  raw: string;
}

/** A roster file read: where the names were found and every data row, in file order. */
export interface RosterTable {
  ok: true;
  format: 'csv' | 'xlsx';
  encoding: TextEncodingName | null;
  headerRow: number;
  columns: NameColumns;
  /** Headers of the other columns (STT, Ngày sinh, Giới tính…): read, never stored. */
  ignored: string[];
  rows: NameRow[];
  /** Rows taken from the file before it stopped reading (the rest of a too-long file is never parsed). */
  rowsRead: number;
}

/** Reads the pupils' names of a roster file (CSV or XLSX) within the limits, or says why it cannot. */
export async function readRosterFile(file: RosterFile, limits: RosterLimits = ROSTER_LIMITS): Promise<RosterTable | ({ ok: false; rowsRead: number } & FileProblem)> {
  const fail = (problem: FileProblem['problem'], detail?: string, rowsRead = 0) => ({ ok: false as const, rowsRead, ...fileProblem(problem, { limits, filename: file.filename, ...(detail ? { detail } : {}) }) });
  if (file.bytes.length > limits.maxBytes) return fail('too_large');
  if (file.bytes.length === 0) return fail('empty');
  const kind = fileKind(file.bytes);
  if (kind.kind === 'legacy_xls') return fail('legacy_xls');
  if (kind.kind === 'other') return fail('not_a_spreadsheet', kind.what);
  if (kind.kind === 'utf16_no_bom') return fail('bad_encoding');
  let rows: AsyncGenerator<RawRow>;
  let encoding: TextEncodingName | null = null;
  if (kind.kind === 'zip') rows = xlsxRows(file.bytes);
  else {
    const decoded = decodeText(file.bytes);
    if (!decoded.ok) return fail('bad_encoding');
    if (decoded.text.trim() === '') return fail('empty');
    encoding = decoded.encoding;
    rows = csvRows(decoded.text);
  }
  const progress = { rowsRead: 0 };
  try {
    const table = await collect(rows, limits, progress);
    if ('problem' in table) return fail(table.problem, table.detail, progress.rowsRead);
    return { ok: true, format: kind.kind === 'zip' ? 'xlsx' : 'csv', encoding, ...table, rowsRead: progress.rowsRead };
  } catch (err) {
    if (err instanceof SpreadsheetProblem) return fail(err.problem, err.detail, progress.rowsRead);
    if (err instanceof CsvFormatError) return fail('unreadable', `${err.message} ở dòng ${err.row}`, progress.rowsRead);
    throw err;
  }
}

type Collected = Omit<RosterTable, 'ok' | 'format' | 'encoding' | 'rowsRead'> | { problem: FileProblem['problem']; detail?: string };

/** Finds the header row, then gathers the data rows; leaving the loop early stops the parser. */
async function collect(rows: AsyncGenerator<RawRow>, limits: RosterLimits, progress: { rowsRead: number }): Promise<Collected> {
  let header: { row: number; columns: NameColumns; ignored: string[] } | null = null;
  const names: NameRow[] = [];
  // Mostly blank rows still cost parsing: past this many rows the file is not one class's list, whatever it holds.
  const maxRowsRead = limits.maxRows * 5 + HEADER_SCAN_ROWS;
  for await (const { row, cells } of rows) {
    progress.rowsRead++;
    if (progress.rowsRead > maxRowsRead) return { problem: 'too_many_rows' };
    if (!header) {
      const match = matchHeaderRow(cells);
      // A garbled "Họ và tên" ("Há» vÃ  tÃªn") matches no header: say why rather than "no name column".
      const garbled = match ? null : mojibakeSample(cells.join(' '));
      if (garbled) return { problem: 'mojibake', detail: garbled };
      if (match) header = { row, ...match };
      else if (row >= HEADER_SCAN_ROWS) return { problem: 'no_header' };
      continue;
    }
    const raw = nameCell(header.columns, cells);
    if (raw.trim() === '' && isBlankOrNumbering(cells)) continue;
    const garbled = mojibakeSample(raw);
    if (garbled) return { problem: 'mojibake', detail: garbled };
    names.push({ row, raw });
    if (names.length > limits.maxRows) return { problem: 'too_many_rows' };
  }
  if (!header) return { problem: 'no_header' };
  if (names.length === 0) return { problem: 'no_rows' };
  return { headerRow: header.row, columns: header.columns, ignored: header.ignored, rows: names };
}

// A row with no name whose other cells are empty or numbers only (a pre-numbered template's unused STT rows).
function isBlankOrNumbering(cells: readonly string[]): boolean {
  return cells.every((c) => /^\s*\d*\s*$/.test(c));
}
