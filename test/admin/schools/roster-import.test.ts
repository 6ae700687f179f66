import { readFileSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { studentKey } from '../../../src/content/person-name.js';
import { startConsoleApp, type ConsoleApp } from '../helpers/console-app.js';
import { confirmFields, confirmPath, postMultipart, type Part } from './multipart.js';

// Roster import from the class page: a CSV or XLSX file is previewed (every row with what would happen to it, row
// errors in Vietnamese, nothing stored), then imported only on confirmation, all of it in one transaction; a file
// that cannot be read, in the wrong encoding or far too long gets a Vietnamese message and changes nothing.

let c: ConsoleApp;
beforeAll(async () => {
  c = await startConsoleApp();
});
afterAll(async () => {
  await c?.close();
});

let n = 0;
/** A fresh class of the own school with an empty roster. */
async function freshClass(): Promise<string> {
  n++;
  const cls = await c.testDb.prisma.class.create({ data: { schoolId: c.world.schools.own.id, name: `9R${n}`, grade: 9, schoolYear: '2026-2027', code: `NTT-9R${n}` } });
  return cls.id;
}

const csv = (lines: string[]): Buffer => Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8');
const filePart = (bytes: Buffer, filename = 'lop.csv', type = 'text/csv'): Part => ({ name: 'file', filename, type, bytes });
const rosterOf = async (classId: string) => (await c.testDb.prisma.rosterEntry.findMany({ where: { classId }, orderBy: { studentName: 'asc' } })).map((r) => r.studentName);

async function preview(who: 'admin' | 'school_admin' | 'teacher', classId: string, parts: Part[]) {
  const b = await c.signedIn(who);
  await b.get(`/admin/classes/${classId}/roster`);
  return { b, a: await postMultipart(b, c.url, `/admin/classes/${classId}/roster/preview`, parts) };
}

describe('previewing a roster file', () => {
  it('shows every row and its errors in Vietnamese, and stores nothing', async () => {
    const classId = await freshClass();
    const { a } = await preview('school_admin', classId, [
      { name: 'mode', value: 'add' },
      filePart(csv(['STT,Họ và tên,Ngày sinh', '1,NGUYỄN  văn an,01/02/2014', '2,Trần Thị 2,03/04/2014', '3,<script>alert(1)</script>,', '4,Nguyễn Văn An,', '5,Lê Thị Hoa,', '6,<b>Lan</b>,'])),
    ]);
    expect(a.status).toBe(400);
    expect(a.text).toContain('Chưa có gì được thay đổi.');
    expect(a.text).toContain('Nguyễn Văn An');
    expect(a.text).toContain('Họ tên có chữ số (“Trần Thị 2”): ô này có đúng là cột họ tên không?');
    expect(a.text).toContain('Họ tên có chữ số (“&lt;script>alert(1)&lt;/script>”)');
    expect(a.text).toContain('Họ tên có ký tự không phải chữ cái (“&lt;”).');
    expect(a.text).toContain('Trùng tên với dòng 2 (Nguyễn Văn An).');
    expect(a.text).toContain('Các cột “STT”, “Ngày sinh” không được lưu');
    expect(a.text).not.toContain('<script>alert(1)');
    // No way forward while a row is wrong: no confirmation form.
    expect(confirmPath(a.text)).toBeUndefined();
    expect(await rosterOf(classId)).toEqual([]);
  });

  it('reads an Excel file the same way', async () => {
    const classId = await freshClass();
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Lớp 9');
    ws.addRow(['DANH SÁCH LỚP']);
    ws.addRow(['STT', 'Họ đệm', 'Tên']);
    ws.addRow([1, 'Phạm Minh', 'Khang']);
    ws.addRow([2, 'Đỗ Thị', 'Mai']);
    const bytes = Buffer.from(await wb.xlsx.writeBuffer());
    const { a } = await preview('admin', classId, [filePart(bytes, 'lớp 9.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')]);
    expect(a.status).toBe(200);
    expect(a.text).toContain('lớp 9.xlsx (Excel)');
    expect(a.text).toContain('Phạm Minh Khang');
    expect(a.text).toContain('Đỗ Thị Mai');
    expect(a.text).toContain('2 dòng: 2 thêm mới');
    expect(await rosterOf(classId)).toEqual([]);
  });

  it.each([
    ['a CSV saved in Windows-1258', () => readFileSync(path.join(import.meta.dirname, '..', '..', 'fixtures', 'rosters', 'lop-6a1-windows-1258.csv')), 'không dùng bảng mã UTF-8'],
    ['a CSV whose text was already garbled', () => readFileSync(path.join(import.meta.dirname, '..', '..', 'fixtures', 'rosters', 'lop-6a1-mojibake.csv')), 'đã bị lỗi bảng mã từ trước'],
    ['an empty file', () => Buffer.alloc(0), 'trống, không có dữ liệu'],
    ['a picture', () => Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), 'là ảnh PNG, không phải bảng tính'],
    ['a file with no name column', () => csv(['STT,Ngày sinh', '1,01/01/2014']), 'Không tìm thấy cột họ tên'],
    ['a header without pupils', () => csv(['Họ và tên']), 'chỉ có dòng tiêu đề'],
    ['a 100 000-row file', () => csv(['Họ và tên', ...Array.from({ length: 100_000 }, (_, i) => `Em ${String.fromCharCode(65 + (i % 26))}`)]), 'một lớp chỉ nhập được tối đa 2.000'],
    ['a 100 000-row file over the size limit', () => csv(['Họ và tên,Ghi chú', ...Array.from({ length: 100_000 }, () => 'Nguyễn Văn An,học sinh lớp chín')]), 'quá lớn (tối đa 2 MB'],
  ])('answers %s with a Vietnamese message, changing nothing', async (_why, bytes, message) => {
    const classId = await freshClass();
    const { a } = await preview('school_admin', classId, [filePart(bytes())]);
    expect(a.status).toBe(400);
    expect(a.text).toContain(message);
    expect(a.text).toContain('Chưa có gì được thay đổi.');
    expect(await rosterOf(classId)).toEqual([]);
  });

  it('asks for a file when none was chosen, and for a proper form when the body is not one', async () => {
    const classId = await freshClass();
    const { b, a } = await preview('school_admin', classId, [{ name: 'mode', value: 'add' }, filePart(Buffer.alloc(0), '', 'application/octet-stream')]);
    expect(a.status).toBe(400);
    expect(a.text).toContain('Vui lòng chọn tệp danh sách lớp');
    const json = await b.send('POST', `/admin/classes/${classId}/roster/preview`, '{"file":1}', { 'content-type': 'application/json', origin: c.url, 'x-csrf-token': b.csrf });
    expect(json.status).toBe(400);
    expect(json.text).toContain('Vui lòng chọn tệp danh sách lớp');
    const twoModes = await postMultipart(b, c.url, `/admin/classes/${classId}/roster/preview`, [{ name: 'mode', value: 'add' }, { name: 'mode', value: 'replace' }, filePart(csv(['Họ và tên', 'Lê An']))]);
    expect(twoModes.status).toBe(400);
    expect(twoModes.text).toContain('Không đọc được biểu mẫu gửi lên.');
  });

  it('refuses a file over the upload limit with the console’s Vietnamese page', async () => {
    const classId = await freshClass();
    const { a } = await preview('school_admin', classId, [filePart(Buffer.alloc(5 * 1024 * 1024, 0x41))]);
    expect(a.status).toBe(413);
    expect(a.text).toContain('Nội dung quá lớn');
    expect(await rosterOf(classId)).toEqual([]);
  });

  it('refuses an upload without the CSRF token before reading it', async () => {
    const classId = await freshClass();
    const b = await c.signedIn('school_admin');
    await b.get(`/admin/classes/${classId}/roster`);
    const a = await postMultipart(b, c.url, `/admin/classes/${classId}/roster/preview`, [filePart(csv(['Họ và tên', 'Lê An']))], { csrf: false });
    expect(a.status).toBe(403);
  });
});

describe('importing after the preview', () => {
  it('imports exactly the previewed names on confirmation, recorded in the audit log', async () => {
    const classId = await freshClass();
    const { b, a } = await preview('school_admin', classId, [{ name: 'mode', value: 'add' }, filePart(csv(['Họ và tên,Ngày sinh', 'lê  THỊ hoa,01/01/2014', 'Trần Văn Bình,02/02/2014']))]);
    expect(a.status).toBe(200);
    expect(await rosterOf(classId)).toEqual([]);
    const fields = confirmFields(a.text);
    expect(fields.map((f) => f.name)).toEqual(['file', 'filename', 'mode', 'digest']);
    const done = await postMultipart(b, c.url, confirmPath(a.text)!, fields);
    expect(done.status).toBe(303);
    expect(done.location).toContain('saved=imported');
    expect(await rosterOf(classId)).toEqual(['Lê Thị Hoa', 'Trần Văn Bình']);
    const page = await b.get(done.location!);
    expect(page.text).toContain('Đã nhập danh sách lớp: 2 học sinh thêm mới, 0 sửa cách viết, 0 xoá khỏi danh sách.');
    expect(page.text).toContain('Lê Thị Hoa');
    const [entry] = await c.testDb.prisma.auditLog.findMany({ where: { action: 'roster_imported', targetId: classId } });
    expect(entry).toMatchObject({ staffId: c.world.accounts.school_admin.id, schoolId: c.world.schools.own.id, detail: { mode: 'add', added: 2, respelled: 0, removed: 0, rosterSize: 2 } });
    // Names are never in the audit log.
    expect(JSON.stringify(entry!.detail)).not.toContain('Hoa');
  });

  it('replaces the roster in replace mode, naming who would be removed first', async () => {
    const classId = await freshClass();
    await c.testDb.prisma.rosterEntry.createMany({ data: [{ classId, studentName: 'Cũ Văn Một', studentKey: studentKey('Cũ Văn Một') }, { classId, studentName: 'Lê Thị Hoa', studentKey: studentKey('Lê Thị Hoa') }] });
    const { b, a } = await preview('admin', classId, [{ name: 'mode', value: 'replace' }, filePart(csv(['Họ và tên', 'Lê Thị Hoa', 'Mới Văn Hai']))]);
    expect(a.status).toBe(200);
    expect(a.text).toContain('Học sinh sẽ bị xoá khỏi danh sách (1)');
    expect(a.text).toContain('Cũ Văn Một');
    const done = await postMultipart(b, c.url, confirmPath(a.text)!, confirmFields(a.text));
    expect(done.status).toBe(303);
    expect(await rosterOf(classId)).toEqual(['Lê Thị Hoa', 'Mới Văn Hai']);
  });

  it('refuses a confirmation whose roster changed since the preview, shows the new preview, and changes nothing', async () => {
    const classId = await freshClass();
    const { b, a } = await preview('school_admin', classId, [filePart(csv(['Họ và tên', 'Lê Thị Hoa']))]);
    const fields = confirmFields(a.text);
    // Meanwhile someone else adds a pupil.
    await c.testDb.prisma.rosterEntry.create({ data: { classId, studentName: 'Lê Thị Hoa', studentKey: studentKey('Lê Thị Hoa') } });
    const stale = await postMultipart(b, c.url, confirmPath(a.text)!, fields);
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('Danh sách lớp hoặc tệp đã thay đổi kể từ lúc xem trước.');
    expect(stale.text).toContain('Đã có, giữ nguyên');
    expect(await rosterOf(classId)).toEqual(['Lê Thị Hoa']);
    expect(await c.testDb.prisma.auditLog.count({ where: { action: 'roster_imported', targetId: classId } })).toBe(0);
  });

  it('refuses a confirmation with another file or a forged digest', async () => {
    const classId = await freshClass();
    const { b, a } = await preview('school_admin', classId, [filePart(csv(['Họ và tên', 'Lê Thị Hoa']))]);
    const fields = confirmFields(a.text);
    const other = fields.map((f) => (f.name === 'file' ? { ...f, value: csv(['Họ và tên', 'Lê Thị Hoa', 'Kẻ Lạ Mặt']).toString('base64') } : f));
    expect((await postMultipart(b, c.url, confirmPath(a.text)!, other)).status).toBe(409);
    const forged = fields.map((f) => (f.name === 'digest' ? { ...f, value: 'x'.repeat(43) } : f));
    expect((await postMultipart(b, c.url, confirmPath(a.text)!, forged)).status).toBe(409);
    const notBase64 = fields.map((f) => (f.name === 'file' ? { ...f, value: '<script>' } : f));
    const bad = await postMultipart(b, c.url, confirmPath(a.text)!, notBase64);
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Không đọc được biểu mẫu gửi lên.');
    expect(await rosterOf(classId)).toEqual([]);
  });

  it('lets a teacher import their own class, and answers 404 for another class of the school', async () => {
    const own = c.world.classes.own.id;
    const before = await rosterOf(own);
    const { b, a } = await preview('teacher', own, [filePart(csv(['Họ và tên', 'Võ Thanh Tâm']))]);
    expect(a.status).toBe(200);
    expect((await postMultipart(b, c.url, confirmPath(a.text)!, confirmFields(a.text))).status).toBe(303);
    expect(new Set(await rosterOf(own))).toEqual(new Set([...before, 'Võ Thanh Tâm']));

    const other = c.world.classes.sameSchool.id;
    expect((await b.get(`/admin/classes/${other}/roster`)).status).toBe(404);
    const refused = await postMultipart(b, c.url, `/admin/classes/${other}/roster/preview`, [filePart(csv(['Họ và tên', 'Võ Thanh Tâm']))]);
    expect(refused.status).toBe(404);
    const forged = confirmFields(a.text);
    expect((await postMultipart(b, c.url, `/admin/classes/${other}/roster/import`, forged)).status).toBe(404);
    expect(await rosterOf(other)).toEqual([]);
  });
});
