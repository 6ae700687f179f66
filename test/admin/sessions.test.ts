import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsoleApp, type ConsoleApp } from './helpers/console-app.js';

const MINUTE = 60_000;

describe('console sessions (local http demo: cookie without Secure)', () => {
  let c: ConsoleApp;
  beforeAll(async () => {
    c = await startConsoleApp();
  });
  afterAll(async () => {
    await c?.close();
  });

  it('sets an HttpOnly, SameSite=Strict, Path=/ cookie without Secure or the __Host- prefix when ADMIN_COOKIE_SECURE is off', async () => {
    const b = c.browser();
    await b.get('/admin/login');
    const a = await b.post('/admin/login', { email: c.world.accounts.teacher.email, password: c.world.accounts.teacher.password });
    const line = a.setCookies.find((l) => l.startsWith('ssb_console='))!;
    expect(line).toMatch(/; Path=\/; HttpOnly; SameSite=Strict; Max-Age=43200$/);
    expect(line).not.toMatch(/Secure|Domain/);
  });

  it('stores only the SHA-256 of the cookie token', async () => {
    const b = await c.signInWithForm('school_admin');
    const token = b.cookies.get('ssb_console')!;
    const rows = await c.testDb.prisma.staffSession.findMany({ where: { staffId: c.world.accounts.school_admin.id } });
    expect(rows.map((r) => r.tokenHash)).toContain(createHash('sha256').update(token).digest('base64url'));
    expect(JSON.stringify(rows)).not.toContain(token);
  });

  it('ends a session after 60 idle minutes, and keeps one alive that is used', async () => {
    const b = await c.signInWithForm('teacher');
    c.clock.advance(59 * MINUTE);
    expect((await b.get('/admin')).status).toBe(200);
    c.clock.advance(59 * MINUTE);
    expect((await b.get('/admin')).status).toBe(200);
    c.clock.advance(60 * MINUTE);
    const a = await b.get('/admin');
    expect(a.status).toBe(303);
    expect(a.location).toBe('/admin/login?next=%2Fadmin');
    // The dead session is deleted and its cookie cleared.
    expect(a.setCookies.some((l) => /^ssb_console=;.*Max-Age=0/.test(l))).toBe(true);
  });

  it('ends a session 12 hours after sign-in however busy it is', async () => {
    const b = await c.signInWithForm('tip_handler');
    const token = b.cookies.get('ssb_console')!;
    for (let i = 0; i < 23; i++) {
      c.clock.advance(30 * MINUTE);
      expect((await b.get('/admin')).status, `after ${(i + 1) * 30} minutes`).toBe(200);
    }
    c.clock.advance(30 * MINUTE);
    expect((await b.get('/admin')).status).toBe(303);
    expect(await c.testDb.prisma.staffSession.count({ where: { tokenHash: createHash('sha256').update(token).digest('base64url') } })).toBe(0);
  });

  it('signs out: the session row goes, and the old cookie signs nobody in afterwards; the sign-out is recorded', async () => {
    const b = await c.signInWithForm('admin');
    const token = b.cookies.get('ssb_console')!;
    const out = await b.post('/admin/logout');
    expect(out.status).toBe(303);
    expect(out.location).toBe('/admin/login');
    const replay = c.browser();
    replay.cookies.set('ssb_console', token);
    expect((await replay.get('/admin')).status).toBe(303);
    expect(await c.testDb.prisma.auditLog.count({ where: { action: 'sign_out', staffId: c.world.accounts.admin.id } })).toBe(1);
  });

  it('gives a new token at each sign-in and ends the session the browser had before', async () => {
    const b = await c.signInWithForm('teacher');
    const first = b.cookies.get('ssb_console')!;
    await b.post('/admin/login', { email: c.world.accounts.school_admin.email, password: c.world.accounts.school_admin.password });
    const second = b.cookies.get('ssb_console')!;
    expect(second).not.toBe(first);
    const replay = c.browser();
    replay.cookies.set('ssb_console', first);
    expect((await replay.get('/admin')).status).toBe(303);
    expect((await b.get('/admin')).text).toContain('Xin chào Ban giám hiệu NTT (kiểm thử).');
  });

  it('applies a role change at the next request of an open session', async () => {
    const b = await c.signedIn('school_admin');
    expect((await b.get('/admin/audit')).status).toBe(403);
    await c.testDb.prisma.staffUser.update({ where: { id: c.world.accounts.school_admin.id }, data: { role: 'admin', schoolId: null, officeId: c.world.office.id } });
    try {
      expect((await b.get('/admin/audit')).status).toBe(200);
    } finally {
      await c.testDb.prisma.staffUser.update({ where: { id: c.world.accounts.school_admin.id }, data: { role: 'school_admin', schoolId: c.world.schools.own.id, officeId: null } });
    }
    expect((await b.get('/admin/audit')).status).toBe(403);
  });

  it('ignores a cookie that is not one of our tokens', async () => {
    const b = c.browser();
    b.cookies.set('ssb_console', `${'x'.repeat(42)}'`);
    expect((await b.get('/admin')).status).toBe(303);
  });
});

describe('console sessions with ADMIN_COOKIE_SECURE=true', () => {
  let c: ConsoleApp;
  beforeAll(async () => {
    c = await startConsoleApp({ ADMIN_COOKIE_SECURE: 'true', ADMIN_SESSION_IDLE_MINUTES: '15', ADMIN_SESSION_MAX_HOURS: '2' });
  });
  afterAll(async () => {
    await c?.close();
  });

  it('names the cookies __Host- and marks them Secure; the lifetimes come from config', async () => {
    const b = c.browser();
    const form = await b.get('/admin/login');
    expect(form.setCookies.find((l) => l.startsWith('__Host-ssb_console_pre='))).toMatch(/; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+; Secure$/);
    const a = await b.post('/admin/login', { email: c.world.accounts.teacher.email, password: c.world.accounts.teacher.password });
    expect(a.setCookies.find((l) => l.startsWith('__Host-ssb_console='))).toMatch(/; Path=\/; HttpOnly; SameSite=Strict; Max-Age=7200; Secure$/);
    c.clock.advance(16 * MINUTE);
    expect((await b.get('/admin')).status).toBe(303);
  });

  it('rejects idle timeouts longer than the absolute lifetime at boot', async () => {
    const { loadConfig } = await import('../../src/config.js');
    expect(() => loadConfig({ NODE_ENV: 'test', ADMIN_SESSION_IDLE_MINUTES: '180', ADMIN_SESSION_MAX_HOURS: '2' })).toThrow(/ADMIN_SESSION_IDLE_MINUTES/);
    expect(loadConfig({ NODE_ENV: 'production', APP_SECRET: 'x'.repeat(32), TIP_ENCRYPTION_KEY: '1'.repeat(64), TIP_HANDLE_KEY: '2'.repeat(64), METRICS_PUBLIC: 'true', DATA_DIR: '/tmp/ssb-cfg' }).admin.cookieSecure).toBe(true);
  });
});
