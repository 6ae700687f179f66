import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import type { RawRow } from './roster-file.js';

const CHUNK_CHARS = 64 * 1024;
/** A record longer than this is not a roster row (a whole file without line breaks, say). */
const MAX_RECORD_CHARS = 20_000;

/** A CSV file that broke the parser: the row it stopped at, for the message. */
export class CsvFormatError extends Error {
  constructor(readonly row: number, reason: string) {
    super(reason);
    this.name = 'CsvFormatError';
  }
}

/**
 * The rows of a CSV text, one at a time. The text is fed to csv-parse in 64 KB chunks, so a reader that stops early
 * (too many rows) leaves the rest unparsed: at most one chunk of rows beyond the one it stopped at is ever built.
 * Row numbers count records as a spreadsheet shows them (a quoted cell with a line break stays one row).
 */
export async function* csvRows(text: string): AsyncGenerator<RawRow> {
  let body = text;
  let delimiter = sniffDelimiter(text);
  // Excel's "sep=;" first line names the delimiter and is not shown as a row.
  const sep = /^sep=(.)\r?\n/.exec(text);
  if (sep) {
    delimiter = sep[1]!;
    body = text.slice(sep[0].length);
  }
  const source = Readable.from(chunks(body), { objectMode: false });
  const parser = parse({ delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: false, max_record_size: MAX_RECORD_CHARS, bom: true });
  source.pipe(parser);
  let row = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      row++;
      yield { row, cells: record };
    }
  } catch (err) {
    // csv-parse counts the records it finished; the one it broke on is the next (its rows may not have reached us).
    const e = err as { code?: string; records?: number };
    throw new CsvFormatError((typeof e.records === 'number' ? e.records : row) + 1, e.code === 'CSV_MAX_RECORD_SIZE' ? 'dòng quá dài' : 'sai định dạng CSV (thường là dấu ngoặc kép chưa đóng)');
  } finally {
    source.unpipe(parser);
    source.destroy();
    parser.destroy();
  }
}

/** The delimiter of the first line: the most frequent of comma, semicolon and tab outside quotes (comma if none). */
export function sniffDelimiter(text: string): string {
  const counts = new Map<string, number>([[',', 0], [';', 0], ['\t', 0]]);
  let quoted = false;
  for (const ch of text.slice(0, 4096)) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  let best = ',';
  for (const [d, n] of counts) if (n > counts.get(best)!) best = d;
  return best;
}

function* chunks(text: string): Generator<string> {
  let i = 0;
  while (i < text.length) {
    let end = Math.min(text.length, i + CHUNK_CHARS);
    // Never split a surrogate pair: each chunk is encoded to UTF-8 on its own.
    if (end < text.length && /[\ud800-\udbff]/.test(text[end - 1]!)) end--;
    yield text.slice(i, end);
    i = end;
  }
}
