import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_ROUTES } from '../../src/admin/routes.js';
import type { ConsoleRoute } from '../../src/admin/route.js';
import type { StaffRole } from '../../src/services/staff/staff-scope.js';
import type { Answer, Browser } from './helpers/browser.js';
import { ROLE_IDENTITIES, startConsoleApp, type ConsoleApp } from './helpers/console-app.js';
import { ROUTE_FIXTURES, type RouteSample } from './route-fixtures.js';

// THE ROUTE WALK (issue 10): every route of the console's one table, for every role and for a signed-out visitor,
// is allowed or refused exactly as its `access` says; every scope probe of test/admin/route-fixtures.ts answers 404.
// Routes come from the table itself, so a new route is walked without anyone listing it here.

let c: ConsoleApp;
beforeAll(async () => {
  c = await startConsoleApp();
});
afterAll(async () => {
  await c?.close();
});

const keyOf = (r: ConsoleRoute) => `${r.method} ${r.path}`;
const admits = (r: ConsoleRoute, role: StaffRole) => r.access === 'public' || r.access.includes(role);

function urlOf(route: ConsoleRoute, sample: RouteSample): string {
  const path = route.path.replace(/:(\w+)/g, (_m, name: string) => {
    const v = sample.params?.[name];
    if (v === undefined) throw new Error(`${keyOf(route)}: add params.${name} to its example in test/admin/route-fixtures.ts`);
    return encodeURIComponent(v);
  });
  const q = sample.query ? `?${new URLSearchParams(sample.query).toString()}` : '';
  return path + q;
}

async function sampleOf(route: ConsoleRoute): Promise<RouteSample> {
  const f = ROUTE_FIXTURES[keyOf(route)];
  return f?.example ? f.example(c.world, c.testDb.prisma) : {};
}

async function call(b: Browser, route: ConsoleRoute, sample: RouteSample): Promise<Answer> {
  const url = urlOf(route, sample);
  // The token goes in the header too: routes that take a file (`rawBody`) read it only there.
  return route.method === 'GET' ? b.get(url) : b.post(url, sample.body ?? {}, { headers: { 'x-csrf-token': b.csrf } });
}

/** Admitted: the handler ran. Never a refusal of access, never a 5xx; a staff GET answers its page. */
function expectAdmitted(route: ConsoleRoute, a: Answer, who: string): void {
  const where = `${keyOf(route)} as ${who}: ${a.status} ${a.location ?? ''}`;
  expect(a.status, where).toBeLessThan(500);
  expect([401, 403], where).not.toContain(a.status);
  if (route.method === 'GET') {
    expect(a.location ?? '', where).not.toMatch(/^\/admin\/login/);
    if (route.access !== 'public') expect(a.status, where).toBe(ROUTE_FIXTURES[keyOf(route)]?.okStatus ?? 200);
  }
}

describe('the route table', () => {
  it('declares each method and path once, all under /admin', () => {
    const keys = CONSOLE_ROUTES.map(keyOf);
    expect(new Set(keys).size).toBe(keys.length);
    for (const r of CONSOLE_ROUTES) expect(r.path).toMatch(/^\/admin(\/|$)/);
  });

  it('has an example for every route with a path parameter (test/admin/route-fixtures.ts)', () => {
    const missing = CONSOLE_ROUTES.filter((r) => r.path.includes(':') && !ROUTE_FIXTURES[keyOf(r)]?.example).map(keyOf);
    expect(missing).toEqual([]);
  });

  it('has fixtures only for routes that exist', () => {
    const keys = new Set(CONSOLE_ROUTES.map(keyOf));
    expect(Object.keys(ROUTE_FIXTURES).filter((k) => !keys.has(k))).toEqual([]);
  });
});

describe.each(CONSOLE_ROUTES.map((r) => [keyOf(r), r] as const))('%s', (_key, route) => {
  it(route.access === 'public' ? 'is open to a signed-out visitor' : route.method === 'GET' ? 'sends a signed-out visitor to the sign-in page' : 'answers 401 to a signed-out visitor', async () => {
    const b = c.browser();
    await b.get('/admin/login');
    const a = await call(b, route, await sampleOf(route));
    if (route.access === 'public') return expectAdmitted(route, a, 'a signed-out visitor');
    if (route.method === 'GET') {
      expect(a.status).toBe(303);
      expect(a.location).toMatch(/^\/admin\/login\?next=/);
    } else {
      expect(a.status).toBe(401);
      expect(a.text).toContain('Bạn cần đăng nhập');
    }
  });

  it.each(ROLE_IDENTITIES.map((role) => [role, admits(route, role)] as const))('as %s: admitted = %s', async (role, admitted) => {
    const b = await c.signedIn(role);
    const a = await call(b, route, await sampleOf(route));
    if (admitted) return expectAdmitted(route, a, role);
    expect(a.status, `${keyOf(route)} as ${role}`).toBe(403);
    expect(a.text).toContain('Không có quyền truy cập');
  });

  const probes = ROUTE_FIXTURES[keyOf(route)]?.scopeProbes ?? [];
  if (probes.length) it('answers 404 for what lies outside the account (scope probes)', async () => {
    for (const make of probes) {
      const probe = await make(c.world, c.testDb.prisma);
      const roles = (probe.roles ?? ROLE_IDENTITIES).filter((r) => admits(route, r));
      for (const role of roles) {
        const a = await call(await c.signedIn(role), route, probe);
        expect(a.status, `${keyOf(route)} as ${role}: ${probe.why}`).toBe(404);
        expect(a.text).toContain('Không tìm thấy trang');
      }
    }
  });
});
