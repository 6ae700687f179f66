import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chosenAccountPassword } from '../../../src/services/staff/account-password.js';
import { createStaffAccount, type CreateStaffAccountRequest } from '../../../src/services/staff/create-staff-account.js';
import { createRepos } from '../../../src/store/repos.js';
import { startConsoleApp, type ConsoleApp } from '../helpers/console-app.js';
import { textOf } from '../helpers/html.js';
import { fixtureAccount } from './staff-route-fixtures.js';

// Passwords: an admin's reset on the staff page (a new random password shown once, the account's sessions ended,
// within the same rules as deactivation and never one's own) and the signed-in account's own change on the profile
// page (the current password checked under the sign-in limits, every other session ended). Neither puts a secret in
// the audit log, the logs, a URL or a cacheable answer.

let c: ConsoleApp;
beforeAll(async () => {
  c = await startConsoleApp();
});
afterAll(async () => {
  await c?.close();
});

const p = () => c.testDb.prisma;
const hashOf = async (id: string) => (await p().staffUser.findUniqueOrThrow({ where: { id } })).passwordHash;
const auditOf = (action: string, targetId: string) => p().auditLog.findMany({ where: { action, targetId }, orderBy: { id: 'asc' } });
const slotsTaken = async () => (await p().attemptWindow.aggregate({ _sum: { count: true } }))._sum.count ?? 0;

let seq = 0;

/** A fresh account with a known password (made like `npm run admin:create` makes one). */
async function accountWithPassword(place: Omit<CreateStaffAccountRequest, 'email' | 'name'>): Promise<{ id: string; email: string; password: string }> {
  const n = seq++;
  const email = `mat-khau-${n}@staff.test`;
  const password = `mật-khẩu-ban-đầu-${n}-xyz`;
  const out = await createStaffAccount(createRepos(p()), { ...place, email, name: `Người Dùng Thử ${n}` }, (await chosenAccountPassword(password))!, { actor: null, now: c.clock.now() });
  if (!out.ok) throw new Error(`could not create the account: ${out.reason}`);
  return { id: out.account.id, email, password };
}

/** Signs in through the form (optionally from another loopback address); the browser has read a page after it. */
async function signInAs(email: string, password: string, localAddress?: string) {
  const b = c.browser(localAddress ? { localAddress } : {});
  await b.get('/admin/login');
  const answer = await b.post('/admin/login', { email, password });
  if (answer.status === 303) await b.get('/admin/profile');
  return { b, answer };
}

/** What must never be stored or logged: the passwords and the hashes. */
function expectNoSecrets(where: unknown, secrets: string[]): void {
  const text = JSON.stringify(where);
  for (const s of secrets) expect(text).not.toContain(s);
}

describe('an admin resetting a password (POST /admin/staff/:staffId/password)', () => {
  it('shows a new password once, uncached; it signs in, the old one does not; the account’s sessions end; audited without secrets', async () => {
    const target = await accountWithPassword({ role: 'teacher', class: c.world.classes.own.id });
    const oldHash = await hashOf(target.id);
    const user = await signInAs(target.email, target.password);
    expect(user.answer.status).toBe(303);

    const admin = await c.signedIn('admin');
    const accountPage = await admin.get(`/admin/staff/${target.id}`);
    expect(accountPage.text).toContain(`action="/admin/staff/${target.id}/password"`);

    const unconfirmed = await admin.post(`/admin/staff/${target.id}/password`, {});
    expect(unconfirmed.status).toBe(400);
    expect(textOf(unconfirmed.text)).toContain('Đánh dấu ô xác nhận rồi bấm “Đặt lại mật khẩu”. Chưa có gì thay đổi.');
    expect(await hashOf(target.id)).toBe(oldHash);
    expect((await user.b.get('/admin')).status).toBe(200);

    const done = await admin.post(`/admin/staff/${target.id}/password`, { confirm: 'on' });
    expect(done.status).toBe(200);
    expect(done.location).toBeUndefined();
    expect(done.headers['cache-control']).toBe('no-store');
    const password = /Mật khẩu mới: <strong class="code">([^<]+)<\/strong>/.exec(done.text)?.[1];
    expect(password).toMatch(/^[A-Za-z0-9_-]{20}$/);
    expect(textOf(done.text)).toContain('1 phiên đăng nhập của tài khoản đã kết thúc');
    const newHash = await hashOf(target.id);
    expect(newHash).not.toBe(oldHash);

    expect(await p().staffSession.count({ where: { staffId: target.id } })).toBe(0);
    const after = await user.b.get('/admin');
    expect(after.status).toBe(303);
    expect(after.location).toMatch(/^\/admin\/login/);
    const withOld = await signInAs(target.email, target.password);
    expect(withOld.answer.status).toBe(401);
    expect((await signInAs(target.email, password!)).answer.status).toBe(303);
    expect((await admin.get(`/admin/staff/${target.id}`)).text).not.toContain(password!);

    const entries = await auditOf('staff_password_reset', target.id);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ staffId: c.world.accounts.admin.id, targetType: 'staff', schoolId: c.world.schools.own.id, detail: { role: 'teacher', sessionsEnded: 1 } });
    expectNoSecrets(entries, [password!, target.password, newHash, oldHash]);
    expectNoSecrets(c.logs.lines, [password!, newHash]);
    const auditPage = await admin.get('/admin/audit');
    expect(textOf(auditPage.text)).toContain('Đặt lại mật khẩu cán bộ');
  });

  it('lets a school admin reset an account of their school, but not one of another school (404) nor an admin’s or tip handler’s (403); nothing changes', async () => {
    const b = await c.signedIn('school_admin');
    const own = await fixtureAccount(p(), { role: 'teacher', schoolId: c.world.schools.own.id, classId: c.world.classes.own.id });
    const handler = await fixtureAccount(p(), { role: 'tip_handler', schoolId: c.world.schools.own.id });
    const sibling = await fixtureAccount(p(), { role: 'teacher', schoolId: c.world.schools.sibling.id });
    // An admin row placed in the school (not something the forms make): within the school admin's reach, above their role.
    const adminInSchool = await fixtureAccount(p(), { role: 'admin', schoolId: c.world.schools.own.id });
    const officeAdmin = c.world.accounts.admin.id;

    await b.get('/admin/staff');
    expect((await b.post(`/admin/staff/${sibling}/password`, { confirm: 'on' })).status).toBe(404);
    expect((await b.post(`/admin/staff/${officeAdmin}/password`, { confirm: 'on' })).status).toBe(404);
    expect((await b.get(`/admin/staff/${adminInSchool}`)).text).not.toContain(`/admin/staff/${adminInSchool}/password`);
    for (const id of [adminInSchool, handler]) {
      const refused = await b.post(`/admin/staff/${id}/password`, { confirm: 'on' });
      expect(refused.status).toBe(403);
      expect(textOf(refused.text)).toContain('Bạn không được thay đổi tài khoản này.');
      expect(refused.text).not.toContain('Mật khẩu mới:');
    }
    for (const id of [sibling, adminInSchool, handler]) expect(await hashOf(id)).toBe('not-a-hash');
    expect(await hashOf(officeAdmin)).not.toBe('not-a-hash');
    expect(await p().auditLog.count({ where: { action: 'staff_password_reset', targetId: { in: [sibling, adminInSchool, handler, officeAdmin] } } })).toBe(0);

    const ok = await b.post(`/admin/staff/${own}/password`, { confirm: 'on' });
    expect(ok.status).toBe(200);
    expect(await hashOf(own)).not.toBe('not-a-hash');
  });

  it('lets an office admin reset no account of another office nor the system admin’s (404)', async () => {
    const foreign = await fixtureAccount(p(), { role: 'school_admin', schoolId: c.world.schools.foreign.id });
    const b = await c.signedIn('admin');
    await b.get('/admin/staff');
    expect((await b.post(`/admin/staff/${foreign}/password`, { confirm: 'on' })).status).toBe(404);
    const rootHash = await hashOf(c.world.accounts.system_admin.id);
    expect((await b.post(`/admin/staff/${c.world.accounts.system_admin.id}/password`, { confirm: 'on' })).status).toBe(404);
    expect(await hashOf(foreign)).toBe('not-a-hash');
    expect(await hashOf(c.world.accounts.system_admin.id)).toBe(rootHash);
  });

  it('resets nobody’s own password: 403, pointing to the profile page, and nothing changes', async () => {
    for (const who of ['admin', 'school_admin', 'system_admin'] as const) {
      const self = c.world.accounts[who].id;
      const before = await hashOf(self);
      const b = await c.signedIn(who);
      const page = await b.get(`/admin/staff/${self}`);
      expect(page.text).not.toContain(`/admin/staff/${self}/password`);
      const a = await b.post(`/admin/staff/${self}/password`, { confirm: 'on' });
      expect(a.status, who).toBe(403);
      expect(textOf(a.text)).toContain('hãy đổi mật khẩu ở trang “Tài khoản”');
      expect(a.text).not.toContain('Mật khẩu mới:');
      expect(await hashOf(self)).toBe(before);
      expect((await b.get('/admin')).status).toBe(200);
    }
    expect(await p().auditLog.count({ where: { action: 'staff_password_reset', staffId: { in: [c.world.accounts.admin.id, c.world.accounts.school_admin.id, c.world.accounts.system_admin.id] }, targetId: { in: [c.world.accounts.admin.id, c.world.accounts.school_admin.id, c.world.accounts.system_admin.id] } } })).toBe(0);
  });

  it('refuses a reset without its CSRF token, and changes nothing', async () => {
    const target = await fixtureAccount(p(), { role: 'tip_handler', schoolId: c.world.schools.own.id });
    const b = await c.signedIn('admin');
    expect((await b.post(`/admin/staff/${target}/password`, { confirm: 'on' }, { csrf: false })).status).toBe(403);
    expect(await hashOf(target)).toBe('not-a-hash');
  });
});

describe('changing one’s own password (POST /admin/profile/password)', () => {
  it('with the right current password: the new one signs in, the old one does not; other sessions end, this one continues; audited without secrets', async () => {
    const me = await accountWithPassword({ role: 'tip_handler', school: c.world.schools.own.id });
    const other = await signInAs(me.email, me.password);
    const mine = await signInAs(me.email, me.password);
    expect(other.answer.status).toBe(303);
    expect(mine.answer.status).toBe(303);
    const oldHash = await hashOf(me.id);
    const profile = await mine.b.get('/admin/profile');
    expect(textOf(profile.text)).toContain('Đổi mật khẩu');

    const next = 'một cụm mật khẩu mới thật dài';
    const a = await mine.b.post('/admin/profile/password', { currentPassword: me.password, newPassword: next, newPasswordAgain: next });
    expect(a.status).toBe(303);
    expect(a.location).toBe('/admin/profile?saved=password#change-password');
    const shown = await mine.b.get('/admin/profile?saved=password');
    expect(shown.status).toBe(200);
    expect(textOf(shown.text)).toContain('Đã đổi mật khẩu. Các phiên đăng nhập khác của tài khoản');

    expect(await p().staffSession.count({ where: { staffId: me.id } })).toBe(1);
    const ended = await other.b.get('/admin');
    expect(ended.status).toBe(303);
    expect(ended.location).toMatch(/^\/admin\/login/);
    expect((await mine.b.get('/admin')).status).toBe(200);
    expect((await signInAs(me.email, me.password)).answer.status).toBe(401);
    expect((await signInAs(me.email, next)).answer.status).toBe(303);

    const newHash = await hashOf(me.id);
    const entries = await auditOf('staff_password_changed', me.id);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ staffId: me.id, targetType: 'staff', schoolId: c.world.schools.own.id, detail: { sessionsEnded: 1 } });
    expectNoSecrets(entries, [me.password, next, oldHash, newHash]);
    expectNoSecrets(c.logs.lines, [me.password, next, newHash]);
  });

  it('with a wrong current password: 400 with a clear message; nothing changes and no session ends', async () => {
    const me = await accountWithPassword({ role: 'teacher', class: c.world.classes.own.id });
    const other = await signInAs(me.email, me.password);
    const mine = await signInAs(me.email, me.password);
    const before = await hashOf(me.id);
    const next = 'mật khẩu mới không được lưu';
    const a = await mine.b.post('/admin/profile/password', { currentPassword: 'đoán-sai-mật-khẩu', newPassword: next, newPasswordAgain: next });
    expect(a.status).toBe(400);
    expect(textOf(a.text)).toContain('Mật khẩu hiện tại không đúng. Chưa có gì thay đổi.');
    expect(a.text).not.toContain(next);
    expect(a.text).not.toContain('đoán-sai-mật-khẩu');
    expect(await hashOf(me.id)).toBe(before);
    expect(await p().staffSession.count({ where: { staffId: me.id } })).toBe(2);
    expect((await other.b.get('/admin')).status).toBe(200);
    expect(await auditOf('staff_password_changed', me.id)).toHaveLength(0);
    expect((await signInAs(me.email, me.password)).answer.status).toBe(303);
  });

  it('answers a mismatch, a short or long password, the current one again or an empty field with 400 and its message, costing no sign-in slot', async () => {
    const me = await accountWithPassword({ role: 'tip_handler', school: c.world.schools.own.id });
    const { b } = await signInAs(me.email, me.password);
    const before = await hashOf(me.id);
    const slots = await slotsTaken();
    const cur = me.password;
    const cases: [Record<string, string>, string][] = [
      [{ currentPassword: cur, newPassword: 'mật khẩu mới số một', newPasswordAgain: 'mật khẩu mới số hai' }, 'Hai lần nhập mật khẩu mới chưa khớp nhau.'],
      [{ currentPassword: cur, newPassword: 'ngắn-quá', newPasswordAgain: 'ngắn-quá' }, 'Mật khẩu mới cần ít nhất 12 ký tự.'],
      [{ currentPassword: cur, newPassword: 'a'.repeat(201), newPasswordAgain: 'a'.repeat(201) }, 'Mật khẩu mới tối đa 200 ký tự.'],
      [{ currentPassword: cur, newPassword: cur, newPasswordAgain: cur }, 'Mật khẩu mới cần khác mật khẩu hiện tại.'],
      [{ currentPassword: '', newPassword: 'mật khẩu mới đủ dài', newPasswordAgain: 'mật khẩu mới đủ dài' }, 'Vui lòng nhập mật khẩu hiện tại.'],
      [{ currentPassword: cur, newPassword: 'mật khẩu mới đủ dài' }, 'Vui lòng nhập lại mật khẩu mới.'],
    ];
    for (const [form, message] of cases) {
      const a = await b.post('/admin/profile/password', form);
      expect(a.status, message).toBe(400);
      expect(textOf(a.text), message).toContain(message);
      expect(textOf(a.text), message).toContain('Chưa đổi được mật khẩu');
    }
    expect(await hashOf(me.id)).toBe(before);
    expect(await slotsTaken()).toBe(slots);
    expect(await auditOf('staff_password_changed', me.id)).toHaveLength(0);
  });

  it('counts wrong current passwords against the sign-in limits: after 10 from one address, the change and the sign-in form answer 429', async () => {
    const me = await accountWithPassword({ role: 'tip_handler', school: c.world.schools.own.id });
    const address = '127.0.0.41';
    const { b, answer } = await signInAs(me.email, me.password, address);
    expect(answer.status).toBe(303);
    const before = await hashOf(me.id);
    const next = 'mật khẩu mới sau khi bị chặn';
    for (let i = 0; i < 10; i++) {
      const a = await b.post('/admin/profile/password', { currentPassword: `sai-${i}`, newPassword: next, newPasswordAgain: next });
      expect(a.status, `attempt ${i + 1}`).toBe(400);
    }
    const blocked = await b.post('/admin/profile/password', { currentPassword: me.password, newPassword: next, newPasswordAgain: next });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(textOf(blocked.text)).toContain('Bạn đã nhập sai mật khẩu quá nhiều lần. Vui lòng thử lại sau');
    expect(await hashOf(me.id)).toBe(before);
    expect((await signInAs(me.email, me.password, address)).answer.status).toBe(429);
    // Another address is not blocked: the per-account limit (30 an hour) is above the per-source one.
    expect((await signInAs(me.email, me.password, '127.0.0.42')).answer.status).toBe(303);
  });
});
