import { Agent } from 'node:http';
import { hash } from '@node-rs/argon2';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMessengerDouble, type MessengerDouble } from '../../doubles/messenger-double.js';
import { startZaloDouble, type ZaloDouble } from '../../doubles/zalo-double.js';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { messengerEnv, zaloEnv } from '../../helpers/channels.js';
import { requestFor, type FuzzRequest } from './fuzz-requests.js';
import { sendRaw } from './raw-http.js';
import { expressAppOf, listRoutes, type RouteInfo } from './routes.js';

// FUZZ_SEED replays a run; FUZZ_RUNS is requests per route.
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const RUNS = Number(process.env.FUZZ_RUNS ?? 100);
const HANDLER = { email: 'fuzz-handler@test.local', password: 'fuzz-handler-password' };

let messenger: MessengerDouble;
let zalo: ZaloDouble;
let app: TestApp;
let routes: RouteInfo[];
const agent = new Agent({ keepAlive: true, maxSockets: 2 });
beforeAll(async () => {
  [messenger, zalo] = await Promise.all([startMessengerDouble(), startZaloDouble()]);
  // Every channel on, so every route the app can register is registered.
  app = await startTestApp({ ...messengerEnv(messenger), ...zaloEnv(zalo) });
  await app.db.prisma.staffUser.create({ data: { email: HANDLER.email, name: 'Fuzz', role: 'tip_handler', passwordHash: await hash(HANDLER.password) } });
  routes = listRoutes(expressAppOf(app.server));
});
afterAll(async () => {
  agent.destroy();
  await app?.close();
  await Promise.all([messenger?.close(), zalo?.close()]);
});

const creds = { basicAuth: `Basic ${Buffer.from(`${HANDLER.email}:${HANDLER.password}`).toString('base64')}` };

// Findings are grouped by the code that owns the route, so a failure says whose fix it is. A route matching no group
// lands in the last one: a new route is fuzzed without anyone listing it.
const GROUPS: { name: string; owns: (r: RouteInfo) => boolean }[] = [
  { name: 'the web tip form (src/bot/channels/web/tip-web.routes.ts)', owns: (r) => r.path === '/tip' || r.path.startsWith('/tip/') },
  { name: 'the tip handler API (src/bot/http/tip-handler.routes.ts)', owns: (r) => r.path.startsWith('/api/tips') },
  { name: 'the channel routes (webhooks and simulator, src/bot/channels)', owns: (r) => r.path.startsWith('/webhooks/') || r.path.includes('simulator') },
  { name: 'the HTTP layer and every other route (health, metrics, pledges, verify, 404)', owns: () => true },
];
const groupOf = (r: RouteInfo) => GROUPS.find((g) => g.owns(r))!;
// Not registered, on purpose: the 404 answer is fuzzed too.
const UNKNOWN_ROUTE: RouteInfo = { method: 'GET', path: '/no-such-route/:x' };

interface Finding {
  request: string;
  answer: string;
  cause: string[];
}

/** Fuzzes each route with `RUNS` requests and lists every answer that is a 5xx, none at all, or shows a stack. */
async function fuzz(targets: RouteInfo[]): Promise<{ sent: number; findings: Finding[] }> {
  const findings: Finding[] = [];
  let sent = 0;
  for (const route of targets) {
    await fc.assert(
      fc.asyncProperty(requestFor(route, creds), async (r: FuzzRequest) => {
        const logStart = app.logs.lines.length;
        const res = await sendRaw(app.url, r, { agent });
        sent++;
        const problem = !res.ok ? `no answer: ${res.error}` : res.status >= 500 ? `${res.status}` : /\n\s+at .+:\d+:\d+/.test(res.body) ? `${res.status} showing a stack trace` : null;
        if (problem) findings.push({ request: `${route.method} ${route.path}: ${r.summary}`, answer: problem, cause: causes(app.logs.lines.slice(logStart)) });
      }),
      // Every run is a request worth listing: no early stop, no shrinking (the listing is the report).
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
  }
  return { sent, findings };
}

/** The error logged while a request ran: its type, message and the first frame in our code. */
function causes(lines: string[]): string[] {
  return lines
    .map((l) => JSON.parse(l) as { level: number; msg: string; err?: { type?: string; message?: string; stack?: string } })
    .filter((l) => l.level >= 50 && l.err)
    .map((l) => {
      // Prisma puts the database's reason on the last line of a long message.
      const reason = (l.err!.message ?? '').split('\n').filter((s) => s.trim()).at(-1)?.slice(0, 200) ?? '';
      const frame = (l.err!.stack ?? '').split('\n').find((s) => s.includes('/src/') && !s.includes('node_modules'))?.trim() ?? '';
      return `${l.msg}: ${l.err!.type ?? ''}: ${reason} ${frame}`;
    });
}

function report(what: string, r: { sent: number; findings: Finding[] }): string {
  const list = r.findings.map((f, i) => `${i + 1}. ${f.answer} ← ${f.request}${f.cause.length ? `\n     cause: ${f.cause.join('\n     cause: ')}` : ''}`);
  return `${what}: ${r.findings.length} of ${r.sent} requests answered 5xx/no answer/stack (FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS})\n${list.join('\n')}`;
}

describe('fuzzing every registered route', () => {
  it('finds the routes by walking the real app, webhooks and the tip form included', () => {
    const names = routes.map((r) => `${r.method} ${r.path}`);
    expect(names).toEqual(expect.arrayContaining(['GET /healthz', 'GET /metrics', 'POST /webhooks/zalo', 'POST /webhooks/messenger', 'GET /verify/:code', 'GET /pledges/:file', 'POST /tip', 'GET /api/tips/:id']));
  });

  it.each(GROUPS.map((g) => [g.name]))('answers no request to %s with a 5xx, a hang or a stack trace', async (name) => {
    const targets = [...routes, UNKNOWN_ROUTE].filter((r) => groupOf(r).name === name);
    expect(targets.length).toBeGreaterThan(0);
    const r = await fuzz(targets);
    console.info(report(name, r).split('\n')[0]);
    expect(r.findings.length, report(name, r)).toBe(0);
  }, 600_000);
});
