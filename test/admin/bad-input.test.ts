import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_ROUTES } from '../../src/admin/routes.js';
import { startConsoleApp, type ConsoleApp } from './helpers/console-app.js';
import { ROUTE_FIXTURES } from './route-fixtures.js';

// Bad input on every console route, signed in with a valid CSRF token (so it reaches the handlers): never a 5xx.
// test/bot/http/no-5xx.test.ts fuzzes the same routes signed out.

let c: ConsoleApp;
beforeAll(async () => {
  c = await startConsoleApp();
});
afterAll(async () => {
  await c?.close();
});

const NASTY_QUERIES = ['a=1&a=2', 'next=%00', 'action[]=x', 'action=sign_in&action=sign_out', 'before=99999999999999999999', 'before=1e3', `x=${'é'.repeat(3000)}`, '__proto__[x]=1', 'email=%ZZ'];
const NASTY_FORMS = [
  'email=a&email=b&password=x&password=y',
  'email=%00%00&password=%00',
  `email=${'a'.repeat(10_000)}%40x.vn&password=${'p'.repeat(20_000)}`,
  '__proto__=x&constructor=y',
  'next=javascript:alert(1)&email=x%40y.vn&password=z',
  `name=${encodeURIComponent('<script>alert(1)</script>')}`,
];

describe('bad input on console routes', () => {
  it('never answers a 5xx, signed in as any role', async () => {
    const problems: string[] = [];
    for (const who of ['system_admin', 'teacher'] as const) {
      let b = await c.signedIn(who);
      for (const route of CONSOLE_ROUTES) {
        const sample = (await ROUTE_FIXTURES[`${route.method} ${route.path}`]?.example?.(c.world, c.testDb.prisma)) ?? {};
        const path = route.path.replace(/:(\w+)/g, (_m, n: string) => encodeURIComponent(sample.params?.[n] ?? 'x'));
        const tries = route.method === 'GET'
          ? NASTY_QUERIES.map((q) => () => b.get(`${path}?${q}`))
          : [
              ...NASTY_FORMS.map((f) => () => b.send('POST', path, `${f}&_csrf=${encodeURIComponent(b.csrf)}`, { 'content-type': 'application/x-www-form-urlencoded', origin: c.url })),
              () => b.send('POST', path, '{"email":1}', { 'content-type': 'application/json', origin: c.url, 'x-csrf-token': b.csrf }),
              () => b.send('POST', path, 'a=%', { 'content-type': 'application/x-www-form-urlencoded', origin: c.url, 'x-csrf-token': b.csrf }),
            ];
        for (const [i, send] of tries.entries()) {
          const a = await send();
          if (a.status >= 500) problems.push(`${who} ${route.method} ${route.path} #${i}: ${a.status}`);
        }
        // Sign-out and sign-in replace the session: start again for the next route.
        if (route.method === 'POST') b = await c.signedIn(who);
      }
    }
    expect(problems).toEqual([]);
  });
});
