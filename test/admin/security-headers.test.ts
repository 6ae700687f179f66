import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_ROUTES } from '../../src/admin/routes.js';
import type { Answer } from './helpers/browser.js';
import { startConsoleApp, type ConsoleApp } from './helpers/console-app.js';
import { ROUTE_FIXTURES } from './route-fixtures.js';

const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'; object-src 'none'";

let c: ConsoleApp;
beforeAll(async () => {
  c = await startConsoleApp();
});
afterAll(async () => {
  await c?.close();
});

// Routes that answer with a stricter policy of their own (a tip's photo: an image alone, nothing it may load or run).
const OWN_CSP: Record<string, string> = { '/admin/tips/:id/photos/:photoId': "default-src 'none'; frame-ancestors 'none'; sandbox" };

function expectConsoleHeaders(a: Answer, what: string, page = true, csp = CSP): void {
  expect(a.headers['content-security-policy'], what).toBe(csp);
  expect(a.headers['x-content-type-options'], what).toBe('nosniff');
  expect(a.headers['referrer-policy'], what).toBe('no-referrer');
  expect(a.headers['x-frame-options'], what).toBe('DENY');
  expect(a.headers['x-powered-by'], what).toBeUndefined();
  if (page) expect(a.headers['cache-control'], what).toBe('no-store');
  expect(a.status, what).toBeLessThan(500);
}

describe('security headers', () => {
  it('are on every GET route of the table, signed in and signed out', async () => {
    const admin = await c.signedIn('system_admin');
    const anonymous = c.browser();
    for (const route of CONSOLE_ROUTES.filter((r) => r.method === 'GET')) {
      const sample = (await ROUTE_FIXTURES[`GET ${route.path}`]?.example?.(c.world, c.testDb.prisma)) ?? {};
      const url = route.path.replace(/:(\w+)/g, (_m, n: string) => encodeURIComponent(sample.params?.[n] ?? 'x'));
      for (const [who, b] of [['admin', admin], ['anonymous', anonymous]] as const) {
        const a = await b.get(url);
        expectConsoleHeaders(a, `${route.path} as ${who}`, !route.path.startsWith('/admin/assets/'), (who === 'admin' && OWN_CSP[route.path]) || CSP);
      }
    }
  });

  it('are on refusals, 404s and errors too', async () => {
    const teacher = await c.signedIn('teacher');
    const answers: [string, Answer][] = [
      ['unknown page', await c.browser().get('/admin/no-such-page')],
      ['wrong role', await teacher.get('/admin/audit')],
      ['missing CSRF token', await teacher.post('/admin/logout', {}, { csrf: false })],
      ['signed-out POST', await c.browser().post('/admin/logout')],
      ['form too large', await teacher.post('/admin/profile/link-code', { big: 'x'.repeat(70_000) })],
      ['unsupported charset', await teacher.send('POST', '/admin/logout', 'a=1', { 'content-type': 'application/x-www-form-urlencoded; charset=klingon', origin: c.url })],
      ['bad query', await (await c.signedIn('admin')).get('/admin/audit?before=-1')],
      ['bad percent-encoding', await c.browser().get('/admin/assets/%E0%A4%A')],
    ];
    expect(answers.map(([what, a]) => [what, a.status])).toEqual([
      ['unknown page', 404],
      ['wrong role', 403],
      ['missing CSRF token', 403],
      ['signed-out POST', 401],
      ['form too large', 413],
      ['unsupported charset', 415],
      ['bad query', 400],
      ['bad percent-encoding', 400],
    ]);
    for (const [what, a] of answers) {
      expectConsoleHeaders(a, what);
      expect(a.headers['content-type'], what).toMatch(/^text\/html/);
      expect(a.text, what).toMatch(/^<!doctype html>\n<html lang="vi">/);
    }
  });

  it('lets the assets be cached and serves htmx and the stylesheet from our origin', async () => {
    const css = await c.browser().get('/admin/assets/console.css');
    const htmx = await c.browser().get('/admin/assets/htmx.min.js');
    expect([css.status, htmx.status]).toEqual([200, 200]);
    expect(css.headers['content-type']).toMatch(/^text\/css/);
    expect(htmx.headers['content-type']).toMatch(/^text\/javascript/);
    expect(htmx.text).toContain('htmx');
    expect(css.headers['cache-control']).toBe('public, max-age=3600');
    const page = (await c.browser().get('/admin/login')).text;
    expect(page).toContain('<script src="/admin/assets/htmx.min.js" defer></script>');
    expect(page).not.toMatch(/<script>|<style>| style="|https?:\/\/(?!www\.w3\.org)/);
  });
});
