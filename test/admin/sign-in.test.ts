import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../src/services/limits/attempt-limits.js';
import { startConsoleApp, type ConsoleApp } from './helpers/console-app.js';

let c: ConsoleApp;
beforeAll(async () => {
  c = await startConsoleApp();
});
afterAll(async () => {
  await c?.close();
});

const auditOf = (action: string) => c.testDb.prisma.auditLog.findMany({ where: { action }, orderBy: { id: 'asc' } });

describe('signing in to the console', () => {
  it('shows the form in Vietnamese with a label on every input', async () => {
    const b = c.browser();
    const a = await b.get('/admin/login');
    expect(a.status).toBe(200);
    expect(a.text).toMatch(/^<!doctype html>\n<html lang="vi">/);
    expect(a.text).toContain('<label for="f-email">E-mail</label>');
    expect(a.text).toContain('<label for="f-password">Mật khẩu</label>');
    expect(a.text).toContain('id="f-email"');
    expect(b.csrf).not.toBe('');
  });

  it('signs in with the right password, lands on the dashboard greeting the account, and records the sign-in', async () => {
    const b = c.browser();
    await b.get('/admin/login');
    const a = await b.post('/admin/login', { email: 'GV@console.test ', password: c.world.accounts.teacher.password });
    expect(a.status).toBe(303);
    expect(a.location).toBe('/admin');
    const home = await b.get('/admin');
    expect(home.status).toBe(200);
    expect(home.text).toContain('Xin chào Giáo viên 6A1 (kiểm thử).');
    const rows = await auditOf('sign_in');
    expect(rows.at(-1)).toMatchObject({ staffId: c.world.accounts.teacher.id, schoolId: c.world.schools.own.id, officeId: c.world.office.id });
  });

  it('goes back to the page asked for after signing in, but never to another site', async () => {
    const b = c.browser();
    const first = await b.get('/admin/profile');
    expect(first.status).toBe(303);
    expect(first.location).toBe('/admin/login?next=%2Fadmin%2Fprofile');
    await b.get(first.location!);
    const a = await b.post('/admin/login', { email: c.world.accounts.admin.email, password: c.world.accounts.admin.password, next: '/admin/profile' });
    expect(a.location).toBe('/admin/profile');
    const evil = c.browser();
    await evil.get('/admin/login');
    for (const next of ['//evil.example/admin', 'https://evil.example', '/admin\\@evil.example', '/administrator']) {
      const r = await evil.post('/admin/login', { email: c.world.accounts.admin.email, password: c.world.accounts.admin.password, next });
      expect(r.location, next).toBe('/admin');
    }
  });

  it('refuses a wrong password and an unknown address with the same message, recording the known account only', async () => {
    const before = (await auditOf('sign_in_failed')).length;
    const b = c.browser({ localAddress: '127.0.0.21' });
    await b.get('/admin/login');
    const wrong = await b.post('/admin/login', { email: c.world.accounts.school_admin.email, password: 'sai-mật-khẩu-rồi' });
    const unknown = await b.post('/admin/login', { email: 'khong-co@console.test', password: 'sai-mật-khẩu-rồi' });
    expect([wrong.status, unknown.status]).toEqual([401, 401]);
    for (const a of [wrong, unknown]) expect(a.text).toContain('E-mail hoặc mật khẩu không đúng.');
    expect(b.cookies.has('ssb_console')).toBe(false);
    const rows = (await auditOf('sign_in_failed')).slice(before);
    expect(rows.map((r) => r.staffId)).toEqual([c.world.accounts.school_admin.id, null]);
    expect(JSON.stringify(rows)).not.toMatch(/khong-co|console\.test|127\.0\.0/);
  });

  it('keeps what was typed and says what is missing in Vietnamese, with status 400', async () => {
    const b = c.browser();
    await b.get('/admin/login');
    const a = await b.post('/admin/login', { email: 'không phải e-mail', password: '' });
    expect(a.status).toBe(400);
    expect(a.text).toContain('E-mail không hợp lệ.');
    expect(a.text).toContain('Vui lòng nhập mật khẩu.');
    expect(a.text).toContain('value="không phải e-mail"');
  });

  it('admits every console role, where the tip API admits only handlers and admins', async () => {
    for (const who of ['admin', 'school_admin', 'teacher', 'tip_handler'] as const) {
      const b = await c.signInWithForm(who);
      expect((await b.get('/admin')).status, who).toBe(200);
    }
    const tipApi = async (who: 'admin' | 'school_admin' | 'teacher' | 'tip_handler') => {
      const { email, password } = c.world.accounts[who];
      const res = await fetch(`${c.url}/api/tips`, { headers: { authorization: `Basic ${Buffer.from(`${email}:${password}`).toString('base64')}` } });
      return res.status;
    };
    expect([await tipApi('admin'), await tipApi('tip_handler'), await tipApi('school_admin'), await tipApi('teacher')]).toEqual([200, 200, 401, 401]);
  });

  it('blocks a source after ten failures, even with the right password, with 429 and Retry-After; another source still signs in', async () => {
    const b = c.browser({ localAddress: '127.0.0.31' });
    await b.get('/admin/login');
    const statuses: number[] = [];
    for (let i = 0; i < LIMITS.signIn.perSource.limit + 1; i++) statuses.push((await b.post('/admin/login', { email: c.world.accounts.tip_handler.email, password: `sai-${i}-mật-khẩu` })).status);
    expect(statuses).toEqual([...Array(10).fill(401), 429]);
    const blocked = await b.post('/admin/login', { email: c.world.accounts.tip_handler.email, password: c.world.accounts.tip_handler.password });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(blocked.text).toMatch(/Bạn đã đăng nhập sai quá nhiều lần\. Vui lòng thử lại sau \d+ phút\./);
    expect((await c.signInWithForm('tip_handler', { localAddress: '127.0.0.32' })).cookies.has('ssb_console')).toBe(true);
  });

  it('lets the blocked source in again once its window has passed (the clock moves, nobody waits)', async () => {
    c.clock.advance(LIMITS.signIn.perSource.windowMs);
    expect((await c.signInWithForm('tip_handler', { localAddress: '127.0.0.31' })).cookies.has('ssb_console')).toBe(true);
  });
});
