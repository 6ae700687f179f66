import { readFileSync } from 'node:fs';
import path from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { PNG } from 'pngjs';
import type { RosterFile } from '../../../src/services/rosters/roster-file.js';

/** A fixture under test/fixtures/rosters as an upload. */
export function fixtureFile(name: string): RosterFile {
  return { bytes: readFileSync(path.join(import.meta.dirname, '..', '..', 'fixtures', 'rosters', name)), filename: name };
}

/** A CSV upload of these lines (UTF-8, no BOM). */
export function csvFile(lines: string[], filename = 'lop.csv'): RosterFile {
  return { bytes: Buffer.from(lines.join('\n') + '\n', 'utf8'), filename, mime: 'text/csv' };
}

/** An XLSX made with exceljs: one sheet per entry, rows as given (first sheet optionally hidden). */
export async function xlsxFile(sheets: { name: string; rows: ExcelJS.CellValue[][]; hidden?: boolean }[], filename = 'lop.xlsx'): Promise<RosterFile> {
  const wb = new ExcelJS.Workbook();
  for (const s of sheets) {
    const ws = wb.addWorksheet(s.name, s.hidden ? { state: 'hidden' } : {});
    for (const r of s.rows) ws.addRow(r);
  }
  return { bytes: Buffer.from(await wb.xlsx.writeBuffer()), filename };
}

/** A real PNG (a 2×2 image), to be uploaded under a spreadsheet's name. */
export function pngBytes(): Buffer {
  const png = new PNG({ width: 2, height: 2 });
  png.data.fill(255);
  return PNG.sync.write(png);
}

/** A deflated ZIP of these files, written by hand (for archives exceljs would never make, such as a zip bomb). */
export function deflatedZip(files: { name: string; data: Buffer }[]): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const f of files) {
    const name = Buffer.from(f.name);
    const packed = deflateRawSync(f.data, { level: 9 });
    const head = Buffer.alloc(30);
    head.writeUInt32LE(0x04034b50, 0);
    head.writeUInt16LE(20, 4);
    head.writeUInt16LE(8, 8);
    head.writeUInt32LE(crc32(f.data), 14);
    head.writeUInt32LE(packed.length, 18);
    head.writeUInt32LE(f.data.length, 22);
    head.writeUInt16LE(name.length, 26);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0);
    dir.writeUInt16LE(20, 4);
    dir.writeUInt16LE(20, 6);
    dir.writeUInt16LE(8, 10);
    dir.writeUInt32LE(crc32(f.data), 16);
    dir.writeUInt32LE(packed.length, 20);
    dir.writeUInt32LE(f.data.length, 24);
    dir.writeUInt16LE(name.length, 28);
    dir.writeUInt32LE(offset, 42);
    parts.push(head, name, packed);
    central.push(dir, name);
    offset += head.length + name.length + packed.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, cd, end]);
}
