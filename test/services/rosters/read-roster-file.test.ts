import { describe, expect, it } from 'vitest';
import { readRosterFile } from '../../../src/services/rosters/read-roster-file.js';
import { ROSTER_LIMITS } from '../../../src/services/rosters/roster-file.js';
import { csvFile, deflatedZip, fixtureFile, pngBytes, xlsxFile } from './roster-files.js';

const EXPECTED_6A1 = ['Nguyễn Văn An', 'Trần Thị Bích Ngọc', 'Lê Hoàng   Phúc', 'PHẠM THỊ THUỶ', 'Đặng Quốc Việt'];

async function read(file: Parameters<typeof readRosterFile>[0]) {
  return readRosterFile(file);
}

describe('reading a roster file', () => {
  it('reads a UTF-8 CSV with a byte-order mark, title rows above the header, and the other columns set aside', async () => {
    const t = await read(fixtureFile('lop-6a1-utf8-bom.csv'));
    if (!t.ok) throw new Error(t.message);
    expect([t.format, t.encoding, t.headerRow, t.columns]).toEqual(['csv', 'utf-8-bom', 4, { kind: 'full', index: 1, header: 'Họ và tên' }]);
    expect(t.ignored).toEqual(['STT', 'Ngày sinh', 'Giới tính']);
    expect(t.rows.map((r) => r.raw)).toEqual(EXPECTED_6A1);
    expect(t.rows.map((r) => r.row)).toEqual([5, 6, 7, 8, 9]);
  });

  it('reads UTF-16 with a byte-order mark (Excel’s “Unicode Text”, tab-separated)', async () => {
    const t = await read(fixtureFile('lop-6a1-utf16le.txt'));
    expect(t.ok && [t.encoding, t.rows.map((r) => r.raw)]).toEqual(['utf-16le', EXPECTED_6A1]);
  });

  it('reads big-endian UTF-16 with its byte-order mark too', async () => {
    const le = fixtureFile('lop-6a1-utf16le.txt').bytes;
    const be = Buffer.alloc(le.length);
    for (let i = 0; i + 1 < le.length; i += 2) [be[i], be[i + 1]] = [le[i + 1]!, le[i]!];
    const t = await read({ bytes: be, filename: 'be.txt' });
    expect(t.ok && [t.encoding, t.rows.map((r) => r.raw)]).toEqual(['utf-16be', EXPECTED_6A1]);
  });

  it('refuses a Windows-1258 CSV with what to do, instead of garbling the names', async () => {
    const t = await read(fixtureFile('lop-6a1-windows-1258.csv'));
    expect(t.ok).toBe(false);
    expect(!t.ok && t.problem).toBe('bad_encoding');
    expect(!t.ok && t.message).toContain('không dùng bảng mã UTF-8 (có thể là Windows-1258 hoặc TCVN3');
    expect(!t.ok && t.message).toContain('“CSV UTF-8 (Phân cách bằng dấu phẩy)”, hoặc tải lên tệp Excel .xlsx');
  });

  it('refuses UTF-16 without its byte-order mark with the same advice', async () => {
    const t = await read({ bytes: fixtureFile('lop-6a1-utf16le.txt').bytes.subarray(2), filename: 'unicode.txt' });
    expect(!t.ok && [t.problem, t.message]).toEqual(['bad_encoding', expect.stringContaining('CSV UTF-8')]);
  });

  it('refuses a file whose Vietnamese was garbled before it reached us, quoting an example', async () => {
    const t = await read(fixtureFile('lop-6a1-mojibake.csv'));
    expect(!t.ok && t.problem).toBe('mojibake');
    expect(!t.ok && t.message).toContain('đã bị lỗi bảng mã từ trước (ví dụ “Há»ŒC”)');
  });

  it('reads an XLSX made with exceljs: title rows, rich text, formulas, and split “Họ đệm” + “Tên” columns', async () => {
    const file = await xlsxFile([
      { name: 'Ẩn', hidden: true, rows: [['Họ và tên'], ['Không Được Đọc']] },
      {
        name: 'Lớp 6A1',
        rows: [
          ['DANH SÁCH LỚP 6A1'],
          [],
          ['STT', 'Họ đệm', 'Tên', 'Ngày sinh'],
          [1, 'Nguyễn Văn', 'An', new Date(Date.UTC(2014, 2, 5))],
          [2, { richText: [{ text: 'Trần Thị ' }, { text: 'Bích' }] }, 'Ngọc', null],
          [3, { formula: 'UPPER("lê hoàng")', result: 'LÊ HOÀNG' }, 'Phúc', null],
        ],
      },
    ]);
    const t = await read(file);
    if (!t.ok) throw new Error(t.message);
    expect([t.format, t.headerRow, t.columns.kind]).toEqual(['xlsx', 3, 'split']);
    expect(t.rows.map((r) => [r.row, r.raw])).toEqual([[4, 'Nguyễn Văn An'], [5, 'Trần Thị Bích Ngọc'], [6, 'LÊ HOÀNG Phúc']]);
  });

  it('tells a PNG renamed .csv, an empty file, an old .xls, a Word file and a CSV with only headers apart', async () => {
    const png = await read({ bytes: pngBytes(), filename: 'danh-sach.csv' });
    expect(!png.ok && [png.problem, png.message]).toEqual(['not_a_spreadsheet', 'Tệp “danh-sach.csv” là ảnh PNG, không phải bảng tính. Hãy tải lên tệp Excel (.xlsx) hoặc CSV.']);
    expect(await read({ bytes: Buffer.alloc(0), filename: 'a.csv' })).toMatchObject({ ok: false, problem: 'empty' });
    expect(await read({ bytes: Buffer.from('\ufeff \r\n \r\n'), filename: 'a.csv' })).toMatchObject({ ok: false, problem: 'empty' });
    expect(await read({ bytes: Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]), filename: 'a.xls' })).toMatchObject({ ok: false, problem: 'legacy_xls' });
    const docx = deflatedZip([{ name: 'word/document.xml', data: Buffer.from('<w:document/>') }]);
    expect(await read({ bytes: docx, filename: 'ds.xlsx' })).toMatchObject({ ok: false, problem: 'not_a_spreadsheet', message: expect.stringContaining('là tệp Word (.docx), không phải bảng tính') });
    const headers = await read(csvFile(['STT,Họ và tên,Ngày sinh', '', ',,']));
    expect(!headers.ok && [headers.problem, headers.message]).toEqual(['no_rows', 'Tệp chỉ có dòng tiêu đề, chưa có tên học sinh nào.']);
    const noName = await read(csvFile(['STT,Ngày sinh', '1,05/03/2014']));
    expect(!noName.ok && noName.problem).toBe('no_header');
    expect(await read({ bytes: Buffer.from('PK\u0003\u0004 rác rác rác'), filename: 'a.xlsx' })).toMatchObject({ ok: false, problem: 'unreadable' });
  });

  it('refuses a file over 2 MB before reading it', async () => {
    const t = await read({ bytes: Buffer.alloc(ROSTER_LIMITS.maxBytes + 1, 0x41), filename: 'big.csv' });
    expect(!t.ok && [t.problem, t.rowsRead]).toEqual(['too_large', 0]);
    expect(!t.ok && t.message).toContain('quá lớn (tối đa 2 MB');
  });

  it('stops parsing a 100 000-row CSV just past the row limit, with a clear message', async () => {
    const lines = ['Họ và tên', ...Array.from({ length: 100_000 }, (_, i) => `Bé ${String.fromCharCode(65 + (i % 26))}`)];
    const file = csvFile(lines);
    expect(file.bytes.length).toBeLessThan(ROSTER_LIMITS.maxBytes);
    const t = await read(file);
    expect(!t.ok && t.problem).toBe('too_many_rows');
    expect(!t.ok && t.message).toContain('hơn 2.000 dòng học sinh');
    expect(!t.ok && t.message).toContain('Chưa có gì được thay đổi.');
    // The header and one row past the limit were read; the other ~98 000 rows never were.
    expect(!t.ok && t.rowsRead).toBe(ROSTER_LIMITS.maxRows + 2);
  });

  it('stops reading an XLSX with 100 000 rows the same way', async () => {
    const file = await xlsxFile([{ name: 'Lớp', rows: [['Họ và tên'], ...Array.from({ length: 100_000 }, (_, i) => [`Bé ${i % 7}`])] }]);
    const t = await read(file);
    expect(!t.ok && [t.problem, t.rowsRead]).toEqual(['too_many_rows', ROSTER_LIMITS.maxRows + 2]);
  }, 60_000);

  it('refuses an XLSX that inflates far beyond its size (a zip bomb) without inflating it all', async () => {
    const sheet = Buffer.concat([Buffer.from('<worksheet><sheetData>'), Buffer.alloc(40 * 1024 * 1024, 0x20), Buffer.from('</sheetData></worksheet>')]);
    const bomb = deflatedZip([
      { name: 'xl/workbook.xml', data: Buffer.from('<workbook><sheets><sheet name="A" sheetId="1" r:id="rId1"/></sheets></workbook>') },
      { name: 'xl/_rels/workbook.xml.rels', data: Buffer.from('<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>') },
      { name: 'xl/worksheets/sheet1.xml', data: sheet },
    ]);
    expect(bomb.length).toBeLessThan(ROSTER_LIMITS.maxBytes);
    const t = await read({ bytes: bomb, filename: 'bom.xlsx' });
    expect(!t.ok && t.problem).toBe('too_large');
    expect(!t.ok && t.message).toContain('nội dung giải nén quá lớn');
  });

  it('reads a semicolon CSV, Excel’s “sep=” line, and skips the unused numbered rows of a template', async () => {
    const t = await read(csvFile(['sep=;', 'STT;Họ tên học sinh;Ghi chú', '1;Võ Thị Sáu;', '2;;', '3;;', '4;Lý Tự Trọng;chuyển lớp']));
    expect(t.ok && [t.columns, t.rows.map((r) => [r.row, r.raw])]).toEqual([{ kind: 'full', index: 1, header: 'Họ tên học sinh' }, [[2, 'Võ Thị Sáu'], [5, 'Lý Tự Trọng']]]);
  });

  it('keeps a row with other data but no name, so the preview can point at it', async () => {
    const t = await read(csvFile(['Họ và tên,Ngày sinh', 'Võ Thị Sáu,', ',05/03/2014']));
    expect(t.ok && t.rows.map((r) => [r.row, r.raw])).toEqual([[2, 'Võ Thị Sáu'], [3, '']]);
  });

  it('answers a CSV with an unclosed quote with the row it broke at', async () => {
    const t = await read(csvFile(['Họ và tên', 'Võ Thị Sáu', '"Lý Tự Trọng', 'Kim Đồng']));
    expect(!t.ok && [t.problem, t.message]).toEqual(['unreadable', expect.stringContaining('ở dòng 3')]);
  });
});
