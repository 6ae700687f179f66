import { createServer, type Server } from 'node:http';
import { h } from 'preact';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminRoutes } from '../../src/admin/admin-routes.js';
import { defineRoute, page } from '../../src/admin/route.js';
import { CONSOLE_ROUTES } from '../../src/admin/routes.js';
import { createHttpApp } from '../../src/bot/http/app.js';
import { createAdminDeps } from '../../src/main.js';
import { Browser } from './helpers/browser.js';
import { startConsoleApp, type ConsoleApp } from './helpers/console-app.js';

// A route that receives a file (a roster import) declares `rawBody`: its bytes reach the handler once the session,
// the role and the CSRF token (header or ?_csrf=) have been checked. Mounted here next to the real table, on the
// same database, the way src/main.ts mounts the console.

const received: { bytes: string; type: string; body: Record<string, unknown> }[] = [];
const upload = defineRoute({
  method: 'POST',
  path: '/admin/test-upload',
  access: ['school_admin'],
  rawBody: { limit: 1024, types: ['text/csv'] },
  handler(ctx) {
    received.push({ bytes: ctx.rawBody?.bytes.toString('utf8') ?? '', type: ctx.rawBody?.contentType ?? '', body: ctx.body });
    return page(h('p', null, 'ok'));
  },
});

let c: ConsoleApp;
let server: Server;
let url: string;
beforeAll(async () => {
  c = await startConsoleApp();
  const deps = createAdminDeps(c.app.config, c.testDb, pino({ level: 'silent' }), c.clock.now);
  server = createServer(createHttpApp(pino({ level: 'silent' }), [adminRoutes(deps, [...CONSOLE_ROUTES, upload])]));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await c?.close();
});

async function signedIn(who: 'school_admin' | 'teacher'): Promise<Browser> {
  const b = new Browser(url);
  (await c.signedIn(who)).cookies.forEach((v, k) => b.cookies.set(k, v));
  await b.get('/admin');
  return b;
}

describe('routes that receive a file', () => {
  it('hand the raw bytes to the handler after the CSRF token in the header or the query', async () => {
    const b = await signedIn('school_admin');
    const csv = 'Họ và tên,Lớp\nNguyễn Văn An,6A1\n';
    const viaHeader = await b.send('POST', '/admin/test-upload', csv, { 'content-type': 'text/csv; charset=utf-8', origin: url, 'x-csrf-token': b.csrf });
    const viaQuery = await b.send('POST', `/admin/test-upload?_csrf=${encodeURIComponent(b.csrf)}`, csv, { 'content-type': 'text/csv', origin: url });
    expect([viaHeader.status, viaQuery.status]).toEqual([200, 200]);
    expect(received.map((r) => [r.bytes, r.type])).toEqual([
      [csv, 'text/csv; charset=utf-8'],
      [csv, 'text/csv'],
    ]);
  });

  it('refuse without the token, for another role, and beyond the size limit, before the handler runs', async () => {
    const before = received.length;
    const admin = await signedIn('school_admin');
    const teacher = await signedIn('teacher');
    const send = (b: Browser, body: string, token = b.csrf) => b.send('POST', '/admin/test-upload', body, { 'content-type': 'text/csv', origin: url, 'x-csrf-token': token });
    expect((await send(admin, 'a,b\n', '')).status).toBe(403);
    expect((await send(teacher, 'a,b\n')).status).toBe(403);
    expect((await send(admin, 'x'.repeat(2000))).status).toBe(413);
    expect(received.length).toBe(before);
  });
});
