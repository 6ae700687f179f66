import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsoleApp, type ConsoleApp } from './helpers/console-app.js';

// Every console POST needs this session's CSRF token (form field, or header for htmx) and a same-origin request;
// a refusal is a Vietnamese 403 page and changes nothing.

let c: ConsoleApp;
beforeAll(async () => {
  c = await startConsoleApp();
});
afterAll(async () => {
  await c?.close();
});

const sessions = (staffId: string) => c.testDb.prisma.staffSession.count({ where: { staffId } });
const linkCodeOf = async (staffId: string) => (await c.testDb.prisma.staffUser.findUniqueOrThrow({ where: { id: staffId } })).linkCodeHash;

describe('CSRF protection of console forms', () => {
  it('refuses a sign-out without the token, or with a wrong one, and the session stays', async () => {
    const b = await c.signedIn('teacher');
    const id = c.world.accounts.teacher.id;
    const before = await sessions(id);
    for (const csrf of [false, '', 'wrong-token', b.csrf.slice(0, -1) + (b.csrf.endsWith('A') ? 'B' : 'A')] as const) {
      const a = await b.post('/admin/logout', {}, { csrf });
      expect(a.status, String(csrf)).toBe(403);
      expect(a.text).toContain('Biểu mẫu không hợp lệ');
      expect(a.text).toContain('không có gì thay đổi');
    }
    expect(await sessions(id)).toBe(before);
    expect((await b.get('/admin')).status).toBe(200);
  });

  it('refuses the token of another session', async () => {
    const mine = await c.signedIn('tip_handler');
    const theirs = await c.signedIn('tip_handler');
    expect(mine.csrf).not.toBe(theirs.csrf);
    expect((await mine.post('/admin/profile/link-code', {}, { csrf: theirs.csrf })).status).toBe(403);
    expect(await linkCodeOf(c.world.accounts.tip_handler.id)).toBeNull();
    expect((await mine.post('/admin/profile/link-code')).status).toBe(200);
    expect(await linkCodeOf(c.world.accounts.tip_handler.id)).not.toBeNull();
  });

  it('accepts the token as an X-CSRF-Token header (htmx) instead of the field', async () => {
    const b = await c.signedIn('school_admin');
    const a = await b.post('/admin/profile/link-code', {}, { csrf: false, headers: { 'x-csrf-token': b.csrf } });
    expect(a.status).toBe(200);
    expect(a.text).toContain('Mã liên kết của bạn');
  });

  it('refuses a POST from another origin even with the right token', async () => {
    const b = await c.signedIn('admin');
    const refused: Record<string, string>[] = [{ origin: 'https://evil.example' }, { origin: 'null' }, { 'sec-fetch-site': 'cross-site' }, { 'sec-fetch-site': 'same-site' }];
    for (const headers of refused) {
      const a = await b.post('/admin/profile/link-code', {}, { headers });
      expect(a.status, JSON.stringify(headers)).toBe(403);
    }
    expect(await linkCodeOf(c.world.accounts.admin.id)).toBeNull();
  });

  it('accepts our own form posts as browsers send them under Referrer-Policy: no-referrer (Origin: null, Sec-Fetch-Site: same-origin)', async () => {
    const b = await c.signedIn('admin');
    const a = await b.post('/admin/profile/link-code', {}, { headers: { origin: 'null', 'sec-fetch-site': 'same-origin' } });
    expect(a.status).toBe(200);
    expect(await linkCodeOf(c.world.accounts.admin.id)).not.toBeNull();
  });

  it('binds the sign-in form to a cookie of its own: a sign-in without that token opens no session', async () => {
    const before = await sessions(c.world.accounts.teacher.id);
    const bare = c.browser();
    const a = await bare.post('/admin/login', { email: c.world.accounts.teacher.email, password: c.world.accounts.teacher.password }, { csrf: false });
    expect(a.status).toBe(403);
    // A token from someone else's sign-in form does not fit this browser's cookie.
    const other = c.browser();
    await other.get('/admin/login');
    const stolen = c.browser();
    await stolen.get('/admin/login');
    expect((await stolen.post('/admin/login', { email: c.world.accounts.teacher.email, password: c.world.accounts.teacher.password }, { csrf: other.csrf })).status).toBe(403);
    expect(await sessions(c.world.accounts.teacher.id)).toBe(before);
  });
});
