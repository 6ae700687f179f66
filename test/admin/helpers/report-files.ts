import { request, type IncomingHttpHeaders } from 'node:http';
import ExcelJS from 'exceljs';
import { strFromU8, unzipSync } from 'fflate';

/** One cell value as a test compares it: numbers stay numbers, empty cells null. */
export type CellValue = string | number | null;

/** Every sheet of an XLSX file by name, each as its rows of plain values (empty rows left out). */
export async function readXlsx(file: Buffer): Promise<Map<string, CellValue[][]>> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(file as unknown as ArrayBuffer);
  const sheets = new Map<string, CellValue[][]>();
  for (const ws of wb.worksheets) {
    const rows: CellValue[][] = [];
    ws.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => (v === undefined ? null : (v as string | number)))));
    sheets.set(ws.name, rows);
  }
  return sheets;
}

/** The row of a sheet that starts with `label`. */
export const rowStarting = (rows: CellValue[][] | undefined, label: string): CellValue[] | undefined => rows?.find((r) => r[0] === label);

/** The text runs of a DOCX's word/document.xml, in order (unzipped with fflate, entities decoded). */
export function docxRuns(file: Buffer): string[] {
  const xml = strFromU8(unzipSync(new Uint8Array(file))['word/document.xml']!);
  return [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]!.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&'));
}

/**
 * The rows of the DOCX's tables as text runs: a table row is `<w:tr>`, each cell's text one run here
 * (src/services/reports/render-report-docx.ts), so a row reads back as its cells.
 */
export function docxTableRows(file: Buffer): string[][] {
  const xml = strFromU8(unzipSync(new Uint8Array(file))['word/document.xml']!);
  return [...xml.matchAll(/<w:tr[ >].*?<\/w:tr>/gs)].map((m) => [...m[0].matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((t) => t[1]!.replace(/&amp;/g, '&')));
}

/** POSTs a console form with a browser stand-in's cookies and CSRF token; the answer's bytes as sent (a download). */
export function postForBytes(base: string, b: { cookies: Map<string, string>; csrf: string }, path: string, form: Record<string, string>): Promise<{ status: number; headers: IncomingHttpHeaders; bytes: Buffer }> {
  const body = new URLSearchParams({ ...form, _csrf: b.csrf }).toString();
  const headers = {
    'content-type': 'application/x-www-form-urlencoded',
    'content-length': String(Buffer.byteLength(body)),
    origin: base,
    cookie: [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
  };
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, base), { method: 'POST', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}
