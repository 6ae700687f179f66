import { stringify } from 'csv-stringify/sync';
import type { ExportTable } from './pledge-export-table.js';

// A cell Excel would read as a formula (=, +, -, @, tab, CR at the start) gets a leading apostrophe (OWASP "CSV
// injection"): a name typed in chat must never run as a formula in a teacher's spreadsheet.
const FORMULA_START = /^[=+\-@\t\r]/;

/** A cell made safe to open in a spreadsheet. */
export function defuseCell(v: string | number): string | number {
  return typeof v === 'string' && FORMULA_START.test(v) ? `'${v}` : v;
}

/**
 * The table as CSV for Excel: UTF-8 with a byte-order mark (without it Excel reads Vietnamese as Windows-1252),
 * comma-separated, CRLF line ends, every field quoted when needed (csv-stringify).
 */
export function renderPledgeCsv(table: ExportTable): Buffer {
  const text = stringify([table.header, ...table.rows.map((r) => r.map(defuseCell))], { record_delimiter: 'windows' });
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
}
