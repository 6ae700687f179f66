import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from '../helpers/browser.js';
import { startConsoleApp, type ConsoleApp } from '../helpers/console-app.js';
import { rowWith, textOf } from '../helpers/html.js';
import { fixtureAccount } from './staff-route-fixtures.js';

// The staff page (/admin/staff): who sees and changes which accounts (an office admin its office's, a school admin its
// school's and never an admin role), a new account's password shown once, role changes, deactivation ending the
// sessions and refusing the sign-in, every change in the audit log, and bad input changing nothing.

let c: ConsoleApp;
beforeAll(async () => {
  c = await startConsoleApp();
});
afterAll(async () => {
  await c?.close();
});

const p = () => c.testDb.prisma;
const auditOf = (action: string, targetId: string) => p().auditLog.findMany({ where: { action, targetId }, orderBy: { id: 'asc' } });

/** Creates an account through the form as `b`; its id and the password the page showed. */
async function createThroughForm(b: Browser, form: Record<string, string>): Promise<{ id: string; password: string }> {
  await b.get('/admin/staff/new');
  const a = await b.post('/admin/staff', form);
  expect(a.status, textOf(a.text).slice(0, 400)).toBe(200);
  const password = /Mật khẩu: <strong class="code">([^<]+)<\/strong>/.exec(a.text)?.[1];
  const id = /href="\/admin\/staff\/([^"?]+)"/.exec(a.text)?.[1];
  expect(password).toMatch(/^[A-Za-z0-9_-]{20}$/);
  return { id: id!, password: password! };
}

async function signInAs(email: string, password: string) {
  const b = c.browser();
  await b.get('/admin/login');
  return { b, answer: await b.post('/admin/login', { email, password }) };
}

describe('the list of accounts', () => {
  it('shows an office admin the accounts of the office and its schools, with role, place, last sign-in and chat link', async () => {
    await p().staffUser.update({ where: { id: c.world.accounts.teacher.id }, data: { lastSignInAt: new Date('2026-11-20T02:05:00Z'), chatContactId: null } });
    const foreign = await fixtureAccount(p(), { role: 'school_admin', schoolId: c.world.schools.foreign.id });
    const a = await (await c.signedIn('admin')).get('/admin/staff');
    expect(a.status).toBe(200);
    const row = rowWith(a.text, c.world.accounts.teacher.name);
    expect(row).toEqual([c.world.accounts.teacher.name, 'gv@console.test', 'Giáo viên', 'Lớp 6A1, Trường THCS Nguyễn Thị Thập', '09:05 20/11/2026', 'Không', 'Đang hoạt động']);
    expect(a.text).toContain(c.world.accounts.tip_handler.name);
    expect(a.text).toContain(`${c.world.accounts.admin.name}</a> (bạn)`);
    expect(a.text).not.toContain(c.world.accounts.system_admin.name);
    expect(a.text).not.toContain(`/admin/staff/${foreign}`);
  });

  it('shows a school admin only the accounts of their school', async () => {
    const sibling = await fixtureAccount(p(), { role: 'teacher', schoolId: c.world.schools.sibling.id });
    const a = await (await c.signedIn('school_admin')).get('/admin/staff');
    expect(a.status).toBe(200);
    expect(a.text).toContain(c.world.accounts.teacher.name);
    expect(a.text).toContain(c.world.accounts.tip_handler.name);
    expect(a.text).not.toContain(c.world.accounts.admin.name);
    expect(a.text).not.toContain(`/admin/staff/${sibling}`);
  });

  it('is refused to teachers and tip handlers', async () => {
    for (const who of ['teacher', 'tip_handler'] as const) expect((await (await c.signedIn(who)).get('/admin/staff')).status).toBe(403);
  });
});

describe('an office admin and another office', () => {
  it('cannot open, change or deactivate an account of another office: 404 and nothing changes', async () => {
    const foreign = await fixtureAccount(p(), { role: 'school_admin', schoolId: c.world.schools.foreign.id });
    const b = await c.signedIn('admin');
    expect((await b.get(`/admin/staff/${foreign}`)).status).toBe(404);
    await b.get('/admin/staff');
    expect((await b.post(`/admin/staff/${foreign}/role`, { role: 'tip_handler', unit: `school:${c.world.schools.own.id}` })).status).toBe(404);
    expect((await b.post(`/admin/staff/${foreign}/deactivate`, { confirm: 'on' })).status).toBe(404);
    expect(await p().staffUser.findUniqueOrThrow({ where: { id: foreign } })).toMatchObject({ role: 'school_admin', schoolId: c.world.schools.foreign.id, active: true });
    expect(await p().auditLog.count({ where: { targetId: foreign } })).toBe(0);
  });

  it('cannot create an account in another office, nor a system-wide admin', async () => {
    const b = await c.signedIn('admin');
    await b.get('/admin/staff/new');
    const before = await p().staffUser.count();
    expect((await b.post('/admin/staff', { name: 'Người Ngoài', email: 'ngoai@staff.test', role: 'school_admin', unit: `school:${c.world.schools.foreign.id}` })).status).toBe(404);
    expect((await b.post('/admin/staff', { name: 'Người Ngoài', email: 'ngoai@staff.test', role: 'admin', unit: 'all' })).status).toBe(404);
    expect(await p().staffUser.count()).toBe(before);
  });
});

describe('creating an account', () => {
  it('shows the generated password once; it signs in; the creation is audited', async () => {
    const admin = await c.signedIn('admin');
    const { id, password } = await createThroughForm(admin, { name: 'Lê Văn Tiếp Nhận', email: 'Tiep.Nhan@Staff.Test', role: 'tip_handler', unit: `office:${c.world.office.id}` });
    expect(await p().staffUser.findUniqueOrThrow({ where: { id } })).toMatchObject({ email: 'tiep.nhan@staff.test', role: 'tip_handler', officeId: c.world.office.id, schoolId: null, active: true, lastSignInAt: null });
    const page = await admin.get(`/admin/staff/${id}`);
    expect(page.text).not.toContain(password);
    const { answer } = await signInAs('tiep.nhan@staff.test', password);
    expect(answer.status).toBe(303);
    expect((await p().staffUser.findUniqueOrThrow({ where: { id } })).lastSignInAt).toEqual(c.clock.now());
    const [entry] = await auditOf('staff_created', id);
    expect(entry).toMatchObject({ staffId: c.world.accounts.admin.id, officeId: c.world.office.id, detail: { role: 'tip_handler', via: 'console' } });
  });

  it('answers bad input with a Vietnamese message and creates nothing', async () => {
    const b = await c.signedIn('admin');
    await b.get('/admin/staff/new');
    const before = await p().staffUser.count();
    const own = `school:${c.world.schools.own.id}`;
    const cases: [Record<string, string>, string][] = [
      [{ name: '', email: 'a@staff.test', role: 'tip_handler', unit: own }, 'Họ tên cần từ 1 đến 120 ký tự'],
      [{ name: 'A', email: 'không phải e-mail', role: 'tip_handler', unit: own }, 'E-mail không hợp lệ.'],
      [{ name: 'A', email: `${'a'.repeat(300)}@staff.test`, role: 'tip_handler', unit: own }, 'Tối đa 254 ký tự.'],
      [{ name: 'A', email: 'a@staff.test', role: 'tip_handler', unit: '' }, 'Vui lòng chọn đơn vị.'],
      [{ name: 'A', email: 'a@staff.test', role: 'tip_handler', unit: '<script>' }, 'Vui lòng chọn một đơn vị trong danh sách.'],
      [{ name: 'A', email: 'a@staff.test', role: 'superuser', unit: own }, 'Vui lòng chọn một vai trò trong danh sách.'],
      [{ name: 'A', email: 'a@staff.test', role: 'teacher', unit: own }, 'Giáo viên cần mã lớp'],
      [{ name: 'A', email: 'a@staff.test', role: 'teacher', unit: own, classCode: 'TP-1A' }, 'Lớp này không thuộc trường đã chọn.'],
      [{ name: 'A', email: 'a@staff.test', role: 'teacher', unit: '', classCode: 'KHAC-6A1' }, 'Không có lớp nào mang mã này trong phạm vi của bạn.'],
      [{ name: 'A', email: 'a@staff.test', role: 'teacher', unit: '', classCode: 'KHONG-CO' }, 'Không có lớp nào mang mã này.'],
      [{ name: 'A', email: 'a@staff.test', role: 'school_admin', unit: `office:${c.world.office.id}` }, 'Quản trị trường cần chọn một trường.'],
      [{ name: 'A', email: c.world.accounts.teacher.email, role: 'tip_handler', unit: own }, 'Đã có tài khoản dùng e-mail này.'],
    ];
    for (const [form, message] of cases) {
      const a = await b.post('/admin/staff', form);
      expect(a.status, message).toBe(400);
      expect(textOf(a.text), message).toContain(message);
      expect(a.text).not.toContain('<script>');
    }
    expect(await p().staffUser.count()).toBe(before);
  });

  it('shows a name with markup as text', async () => {
    const b = await c.signedIn('admin');
    const { id } = await createThroughForm(b, { name: '<b>Trần</b> "Bình"', email: 'markup@staff.test', role: 'tip_handler', unit: `school:${c.world.schools.own.id}` });
    const page = await b.get(`/admin/staff/${id}`);
    expect(page.text).toContain('&lt;b>Trần&lt;/b>');
    expect(page.text).not.toContain('<b>Trần</b>');
  });

  it('refuses a form without its CSRF token, and creates nothing', async () => {
    const b = await c.signedIn('admin');
    const before = await p().staffUser.count();
    const a = await b.post('/admin/staff', { name: 'Không Token', email: 'csrf@staff.test', role: 'tip_handler', unit: `school:${c.world.schools.own.id}` }, { csrf: false });
    expect(a.status).toBe(403);
    expect(await p().staffUser.count()).toBe(before);
  });
});

describe('a school admin', () => {
  it('creates accounts of their school, but cannot grant an admin role (403, nothing created)', async () => {
    const b = await c.signedIn('school_admin');
    const form = await b.get('/admin/staff/new');
    expect(form.text).not.toContain('<option value="admin"');
    expect(form.text).not.toContain(`office:${c.world.office.id}`);
    const { id } = await createThroughForm(b, { name: 'Phạm Thu Giáo Viên', email: 'gv.6a2@staff.test', role: 'teacher', classCode: 'ntt-6a2' });
    expect(await p().staffUser.findUniqueOrThrow({ where: { id } })).toMatchObject({ role: 'teacher', schoolId: c.world.schools.own.id, classId: c.world.classes.sameSchool.id });
    const before = await p().staffUser.count();
    const refused = await b.post('/admin/staff', { name: 'Muốn Làm Quản Trị', email: 'qt@staff.test', role: 'admin', unit: `school:${c.world.schools.own.id}` });
    expect(refused.status).toBe(403);
    expect(textOf(refused.text)).toContain('Bạn không thể giao vai trò này: cao hơn vai trò của bạn');
    expect(await p().staffUser.count()).toBe(before);
  });

  it('changes a role within the school (audited with from and to), but never to an admin or a tip handler', async () => {
    const target = await fixtureAccount(p(), { role: 'teacher', schoolId: c.world.schools.own.id, classId: c.world.classes.own.id });
    const b = await c.signedIn('school_admin');
    await b.get(`/admin/staff/${target}`);
    const up = await b.post(`/admin/staff/${target}/role`, { role: 'admin', unit: `school:${c.world.schools.own.id}` });
    expect(up.status).toBe(403);
    expect(await p().staffUser.findUniqueOrThrow({ where: { id: target } })).toMatchObject({ role: 'teacher' });
    // Tip handling is granted by an office admin: tips may concern the school's own staff.
    const handler = await b.post(`/admin/staff/${target}/role`, { role: 'tip_handler', unit: `school:${c.world.schools.own.id}`, classCode: '' });
    expect(handler.status).toBe(403);
    expect(await p().staffUser.findUniqueOrThrow({ where: { id: target } })).toMatchObject({ role: 'teacher' });
    const ok = await b.post(`/admin/staff/${target}/role`, { role: 'school_admin', unit: `school:${c.world.schools.own.id}`, classCode: '' });
    expect(ok.status).toBe(303);
    expect(ok.location).toBe(`/admin/staff/${target}?saved=role`);
    expect(await p().staffUser.findUniqueOrThrow({ where: { id: target } })).toMatchObject({ role: 'school_admin', schoolId: c.world.schools.own.id, classId: null });
    const [entry] = await auditOf('role_changed', target);
    expect(entry).toMatchObject({ staffId: c.world.accounts.school_admin.id, schoolId: c.world.schools.own.id, detail: { from: 'teacher', to: 'school_admin' } });
    expect(textOf((await b.get(ok.location!)).text)).toContain('Đã đổi vai trò, phạm vi.');
  });

  it('cannot change their own role nor deactivate themself', async () => {
    const self = c.world.accounts.school_admin.id;
    const b = await c.signedIn('school_admin');
    const page = await b.get(`/admin/staff/${self}`);
    expect(page.text).not.toContain('Lưu vai trò');
    expect((await b.post(`/admin/staff/${self}/role`, { role: 'tip_handler', unit: `school:${c.world.schools.own.id}` })).status).toBe(403);
    expect((await b.post(`/admin/staff/${self}/deactivate`, { confirm: 'on' })).status).toBe(403);
    expect(await p().staffUser.findUniqueOrThrow({ where: { id: self } })).toMatchObject({ role: 'school_admin', active: true });
  });
});

describe('deactivating an account', () => {
  it('ends its sessions and unlinks its chat; it cannot sign in (console or tip API) until reactivated', async () => {
    const admin = await c.signedIn('admin');
    const { id, password } = await createThroughForm(admin, { name: 'Đỗ Thị Bị Khoá', email: 'khoa@staff.test', role: 'tip_handler', unit: `school:${c.world.schools.own.id}` });
    const contact = await p().contact.create({ data: { channel: 'zalo', accountId: 'oa-test', userId: 'u-khoa', role: 'teacher' } });
    await p().staffUser.update({ where: { id }, data: { chatContactId: contact.id } });
    const { b: user, answer } = await signInAs('khoa@staff.test', password);
    expect(answer.status).toBe(303);
    expect((await user.get('/admin')).status).toBe(200);

    await admin.get(`/admin/staff/${id}`);
    const unconfirmed = await admin.post(`/admin/staff/${id}/deactivate`, {});
    expect(unconfirmed.status).toBe(400);
    expect(textOf(unconfirmed.text)).toContain('Đánh dấu ô xác nhận');
    expect((await p().staffUser.findUniqueOrThrow({ where: { id } })).active).toBe(true);

    const done = await admin.post(`/admin/staff/${id}/deactivate`, { confirm: 'on' });
    expect(done.status).toBe(303);
    expect(await p().staffUser.findUniqueOrThrow({ where: { id } })).toMatchObject({ active: false, chatContactId: null });
    expect(await p().staffSession.count({ where: { staffId: id } })).toBe(0);
    const [entry] = await auditOf('staff_deactivated', id);
    expect(entry).toMatchObject({ staffId: c.world.accounts.admin.id, schoolId: c.world.schools.own.id, detail: { sessionsEnded: 1, chatUnlinked: true } });

    const after = await user.get('/admin');
    expect(after.status).toBe(303);
    expect(after.location).toMatch(/^\/admin\/login/);
    const again = await signInAs('khoa@staff.test', password);
    expect(again.answer.status).toBe(401);
    expect(textOf(again.answer.text)).toContain('E-mail hoặc mật khẩu không đúng.');
    const api = await fetch(`${c.url}/api/tips`, { headers: { authorization: `Basic ${Buffer.from(`khoa@staff.test:${password}`).toString('base64')}` } });
    expect(api.status).toBe(401);
    expect(rowWith((await admin.get('/admin/staff')).text, 'Đỗ Thị Bị Khoá')).toContain('Đã khoá');

    const back = await admin.post(`/admin/staff/${id}/reactivate`, {});
    expect(back.status).toBe(303);
    expect(await auditOf('staff_reactivated', id)).toHaveLength(1);
    expect((await signInAs('khoa@staff.test', password)).answer.status).toBe(303);
  });
});
