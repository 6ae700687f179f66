import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsoleApp, type ConsoleApp } from '../helpers/console-app.js';

// The school and class pages: list in scope, create and edit (admins; a school's own admin edits it and adds
// classes), audit entries for each change, and bad input answered with a Vietnamese message and nothing changed.

let c: ConsoleApp;
beforeAll(async () => {
  c = await startConsoleApp();
});
afterAll(async () => {
  await c?.close();
});

const auditOf = (action: string) => c.testDb.prisma.auditLog.findMany({ where: { action }, orderBy: { id: 'asc' } });
const schoolCount = () => c.testDb.prisma.school.count();

describe('the school list', () => {
  it('shows an office admin the schools of the office, and a school admin only their own', async () => {
    const admin = await (await c.signedIn('admin')).get('/admin/schools');
    expect(admin.status).toBe(200);
    expect(admin.text).toContain('Trường THCS Nguyễn Thị Thập');
    expect(admin.text).toContain('Trường Tiểu học Tân Phong');
    expect(admin.text).not.toContain('Trường THCS Khác');
    expect(admin.text).toContain('href="/admin/schools/new"');

    const own = await (await c.signedIn('school_admin')).get('/admin/schools');
    expect(own.text).toContain('Trường THCS Nguyễn Thị Thập');
    expect(own.text).not.toContain('Trường Tiểu học Tân Phong');
    expect(own.text).not.toContain('href="/admin/schools/new"');
  });

  it('shows a teacher their school with only their class', async () => {
    const b = await c.signedIn('teacher');
    const page = await b.get(`/admin/schools/${c.world.schools.own.id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Lớp 6A1');
    expect(page.text).not.toContain('Lớp 6A2');
    expect(page.text).not.toContain('Thêm lớp');
  });
});

describe('creating a school', () => {
  it('adds the school in the admin’s office, opens its page and records it in the audit log', async () => {
    const b = await c.signedIn('admin');
    await b.get('/admin/schools/new');
    const a = await b.post('/admin/schools', { name: 'Trường THCS Lê Lợi', code: 'lel', level: 'THCS', broadcastNeedsApproval: 'on' });
    expect(a.status).toBe(303);
    const id = /\/admin\/schools\/([^?]+)/.exec(a.location ?? '')?.[1];
    const school = await c.testDb.prisma.school.findUniqueOrThrow({ where: { id: id! } });
    expect(school).toMatchObject({ code: 'LEL', name: 'Trường THCS Lê Lợi', officeId: c.world.office.id, broadcastNeedsApproval: true });
    const shown = await b.get(a.location!);
    expect(shown.text).toContain('Đã thêm trường.');
    expect(shown.text).toContain('Trường chưa có lớp nào.');
    const [entry] = (await auditOf('school_created')).filter((e) => e.targetId === id);
    expect(entry).toMatchObject({ staffId: c.world.accounts.admin.id, schoolId: id, officeId: c.world.office.id });
  });

  it('lets a system admin pick the office, and refuses an office that does not exist', async () => {
    const b = await c.signedIn('system_admin');
    const form = await b.get('/admin/schools/new');
    expect(form.text).toContain('Phòng GD&amp;ĐT khác (kiểm thử)');
    const before = await schoolCount();
    const bad = await b.post('/admin/schools', { name: 'Trường Tiểu học Mới', code: 'THMOI', level: 'TH', officeId: 'no-such-office' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Không có phòng/sở giáo dục này.');
    expect(await schoolCount()).toBe(before);
    const ok = await b.post('/admin/schools', { name: 'Trường Tiểu học Mới', code: 'THMOI', level: 'TH', officeId: c.world.foreignOffice.id });
    expect(ok.status).toBe(303);
    expect(await c.testDb.prisma.school.count({ where: { code: 'THMOI', officeId: c.world.foreignOffice.id } })).toBe(1);
  });

  it('is refused to a teacher and a school admin, and nothing is created', async () => {
    const before = await schoolCount();
    for (const who of ['teacher', 'school_admin'] as const) {
      const b = await c.signedIn(who);
      expect((await b.get('/admin/schools/new')).status).toBe(403);
      const a = await b.post('/admin/schools', { name: 'Trường THCS Trái Phép', code: 'TRAIPHEP', level: 'THCS' });
      expect(a.status).toBe(403);
      expect(a.text).toContain('Không có quyền truy cập');
    }
    expect(await schoolCount()).toBe(before);
  });

  it.each([
    ['nothing filled in', {}, ['Tên trường cần ít nhất 3 ký tự.', 'Mã trường gồm 2–12 chữ cái', 'Cấp học phải là một trong']],
    ['a name too long', { name: 'Trường '.repeat(40), code: 'DAI', level: 'THCS' }, ['Tên trường dài quá 120 ký tự.']],
    ['a code with diacritics', { name: 'Trường THCS Đống Đa', code: 'ĐĐ', level: 'THCS' }, ['Mã trường gồm 2–12 chữ cái']],
    ['an unknown level', { name: 'Trường THCS Đống Đa', code: 'DD', level: 'dai-hoc' }, ['Cấp học phải là một trong']],
    ['a code already used', { name: 'Trường THCS Khác nữa', code: 'ntt', level: 'THCS' }, ['Mã trường NTT đã được dùng; hãy chọn mã khác.']],
    ['invisible characters in the name', { name: 'Trường\u202e THCS', code: 'ANR', level: 'THCS' }, ['ký tự điều khiển hoặc ký tự ẩn']],
  ])('answers %s with a Vietnamese message next to the field, creating nothing', async (_why, form, messages) => {
    const b = await c.signedIn('admin');
    await b.get('/admin/schools/new');
    const before = await schoolCount();
    const a = await b.post('/admin/schools', form as Record<string, string>);
    expect(a.status).toBe(400);
    for (const m of messages) expect(a.text).toContain(m);
    expect(a.text).toContain('Chưa lưu được');
    expect(await schoolCount()).toBe(before);
  });

  it('answers a field sent twice or a huge value with a message, never a 5xx', async () => {
    const b = await c.signedIn('admin');
    await b.get('/admin/schools/new');
    const before = await schoolCount();
    const twice = await b.send('POST', '/admin/schools', `name=A&name=B&code=XX&level=THCS&_csrf=${encodeURIComponent(b.csrf)}`, { 'content-type': 'application/x-www-form-urlencoded', origin: c.url });
    expect(twice.status).toBe(400);
    expect(twice.text).toContain('Giá trị không hợp lệ.');
    const huge = await b.post('/admin/schools', { name: 'x'.repeat(5000), code: 'HUGE', level: 'THCS' });
    expect(huge.status).toBe(400);
    expect(huge.text).toContain('Tối đa 1000 ký tự.');
    expect(await schoolCount()).toBe(before);
  });

  it('keeps HTML typed in a name as text: stored as typed, shown escaped, never run', async () => {
    const b = await c.signedIn('admin');
    await b.get('/admin/schools/new');
    const a = await b.post('/admin/schools', { name: '<script>alert(1)</script> THCS', code: 'XSS', level: 'THCS' });
    expect(a.status).toBe(303);
    const list = await b.get('/admin/schools');
    expect(list.text).toContain('&lt;script>alert(1)&lt;/script> THCS');
    expect(list.text).not.toContain('<script>alert(1)');
  });
});

describe('editing a school', () => {
  it('lets the school’s own admin rename it and switch approvals off, recorded in the audit log', async () => {
    const b = await c.signedIn('school_admin');
    const id = c.world.schools.own.id;
    await b.get(`/admin/schools/${id}`);
    const a = await b.post(`/admin/schools/${id}`, { name: 'Trường THCS Nguyễn Thị Thập (Quận 7)' });
    expect(a.status).toBe(303);
    expect(await c.testDb.prisma.school.findUniqueOrThrow({ where: { id } })).toMatchObject({ name: 'Trường THCS Nguyễn Thị Thập (Quận 7)', broadcastNeedsApproval: false });
    const entries = (await auditOf('school_updated')).filter((e) => e.targetId === id);
    expect(entries.at(-1)).toMatchObject({ staffId: c.world.accounts.school_admin.id, detail: { name: true, broadcastNeedsApproval: false } });
    // Put it back for the other tests.
    await b.post(`/admin/schools/${id}`, { name: 'Trường THCS Nguyễn Thị Thập', broadcastNeedsApproval: 'on' });
  });

  it('answers an empty name with a message and leaves the school as it was', async () => {
    const b = await c.signedIn('admin');
    const id = c.world.schools.own.id;
    await b.get(`/admin/schools/${id}`);
    const a = await b.post(`/admin/schools/${id}`, { name: '   ', broadcastNeedsApproval: 'on' });
    expect(a.status).toBe(400);
    expect(a.text).toContain('Tên trường cần ít nhất 3 ký tự.');
    expect((await c.testDb.prisma.school.findUniqueOrThrow({ where: { id } })).name).toBe('Trường THCS Nguyễn Thị Thập');
  });

  it('answers 404 to a school admin for another school of the office, and changes nothing', async () => {
    const b = await c.signedIn('school_admin');
    await b.get('/admin/schools');
    const id = c.world.schools.sibling.id;
    expect((await b.get(`/admin/schools/${id}`)).status).toBe(404);
    expect((await b.post(`/admin/schools/${id}`, { name: 'Đổi tên trái phép' })).status).toBe(404);
    expect((await b.post(`/admin/schools/${id}/classes`, { className: '9X', grade: '9' })).status).toBe(404);
    expect((await c.testDb.prisma.school.findUniqueOrThrow({ where: { id } })).name).toBe('Trường Tiểu học Tân Phong');
    expect(await c.testDb.prisma.class.count({ where: { schoolId: id, name: '9X' } })).toBe(0);
  });
});

describe('classes', () => {
  it('lets a school admin add a class, which gets its code and page, recorded in the audit log', async () => {
    const b = await c.signedIn('school_admin');
    const schoolId = c.world.schools.own.id;
    await b.get(`/admin/schools/${schoolId}`);
    const a = await b.post(`/admin/schools/${schoolId}/classes`, { className: 'Lớp 6A5', grade: '6', schoolYear: '' });
    expect(a.status).toBe(303);
    const id = /\/admin\/classes\/([^?]+)/.exec(a.location ?? '')?.[1];
    const cls = await c.testDb.prisma.class.findUniqueOrThrow({ where: { id: id! } });
    expect(cls).toMatchObject({ name: '6A5', grade: 6, code: 'NTT-6A5' });
    const page = await b.get(a.location!);
    expect(page.text).toContain('Lớp 6A5 – Trường THCS Nguyễn Thị Thập');
    expect(page.text).toContain('NTT-6A5');
    expect((await auditOf('class_created')).filter((e) => e.targetId === id)).toHaveLength(1);
  });

  it.each([
    ['no name', { className: '', grade: '6' }, 'Tên lớp: bắt buộc nhập.'],
    ['no grade', { className: '6A9', grade: '' }, 'Khối lớp phải là một số từ 0 (mầm non) đến 12.'],
    ['a grade that is not a number', { className: '6A9', grade: 'sáu' }, 'Khối lớp phải là một số từ 0 (mầm non) đến 12.'],
    ['a grade out of range', { className: '6A9', grade: '13' }, 'Khối lớp phải là một số từ 0 (mầm non) đến 12.'],
    ['a wrong school year', { className: '6A9', grade: '6', schoolYear: '2026' }, 'Năm học có dạng 2026-2027.'],
    ['a class name the school has', { className: '6a1', grade: '6' }, 'Lớp 6a1 đã có ở trường này.'],
    ['a name too long', { className: 'A'.repeat(31), grade: '6' }, 'Tên lớp dài quá 30 ký tự.'],
  ])('answers %s with a Vietnamese message and adds no class', async (_why, form, message) => {
    const b = await c.signedIn('admin');
    const schoolId = c.world.schools.own.id;
    await b.get(`/admin/schools/${schoolId}`);
    const before = await c.testDb.prisma.class.count();
    const a = await b.post(`/admin/schools/${schoolId}/classes`, form as Record<string, string>);
    expect(a.status).toBe(400);
    expect(a.text).toContain(message);
    expect(await c.testDb.prisma.class.count()).toBe(before);
  });

  it('is not for teachers: they can neither add nor rename classes', async () => {
    const b = await c.signedIn('teacher');
    await b.get(`/admin/classes/${c.world.classes.own.id}`);
    expect((await b.post(`/admin/schools/${c.world.schools.own.id}/classes`, { className: '6A7', grade: '6' })).status).toBe(403);
    expect((await b.post(`/admin/classes/${c.world.classes.own.id}`, { name: '6B1', grade: '6' })).status).toBe(403);
    expect((await c.testDb.prisma.class.findUniqueOrThrow({ where: { id: c.world.classes.own.id } })).name).toBe('6A1');
  });

  it('renames a class and keeps its code, recorded in the audit log; a taken name is refused', async () => {
    const b = await c.signedIn('admin');
    const schoolId = c.world.schools.own.id;
    await b.get(`/admin/schools/${schoolId}`);
    const made = await b.post(`/admin/schools/${schoolId}/classes`, { className: '7A9', grade: '7' });
    const id = /\/admin\/classes\/([^?]+)/.exec(made.location ?? '')![1]!;
    await b.get(`/admin/classes/${id}`);
    const a = await b.post(`/admin/classes/${id}`, { name: '7A8', grade: '7' });
    expect(a.status).toBe(303);
    expect(await c.testDb.prisma.class.findUniqueOrThrow({ where: { id } })).toMatchObject({ name: '7A8', code: 'NTT-7A9' });
    expect((await auditOf('class_updated')).filter((e) => e.targetId === id)).toHaveLength(1);
    const taken = await b.post(`/admin/classes/${id}`, { name: '6A1', grade: '7' });
    expect(taken.status).toBe(400);
    expect(taken.text).toContain('Lớp 6A1 đã có ở trường này.');
    expect((await c.testDb.prisma.class.findUniqueOrThrow({ where: { id } })).name).toBe('7A8');
  });
});
