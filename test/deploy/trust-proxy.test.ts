// req.ip follows X-Forwarded-For only as TRUST_PROXY says: seen through the real sign-in limit of the tip API
// (10 failed sign-ins per source address per 15 minutes, then 429), which keys on req.ip. Three apps share one
// database; each case uses its own account and addresses so their counters do not meet.
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { startApp, type RunningApp } from '../../src/main.js';
import { LIMITS } from '../../src/services/limits/attempt-limits.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

const PER_SOURCE = LIMITS.signIn.perSource.limit;
let db: TestDatabase;
const apps: Record<'none' | 'loopback' | 'oneHop', RunningApp> = {} as never;

const silent = () => pino({ level: 'silent' }, new Writable({ write: (_c, _e, cb) => cb() }));

async function boot(trustProxy: string | undefined, shared: TestDatabase): Promise<RunningApp> {
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: `/tmp/ssb-trust-proxy-${process.pid}`,
    APP_SECRET: 'trust-proxy-secret-trust-proxy-secret-01',
    SEED_DEMO: 'false',
    ...(trustProxy === undefined ? {} : { TRUST_PROXY: trustProxy }),
  });
  return startApp(config, { db: shared, log: silent(), background: false });
}

/** One failed Basic sign-in to the tip API, as a proxy would forward it with this X-Forwarded-For. */
async function failSignIn(app: RunningApp, account: string, forwardedFor: string): Promise<number> {
  const res = await fetch(`${app.url}/api/tips`, {
    headers: { authorization: `Basic ${Buffer.from(`${account}:wrong-password`).toString('base64')}`, 'x-forwarded-for': forwardedFor },
  });
  await res.arrayBuffer();
  return res.status;
}

beforeAll(async () => {
  db = await createTestDatabase();
  // One after the other: they share the database (and PGlite's single connection).
  apps.none = await boot(undefined, db);
  apps.loopback = await boot('loopback', db);
  apps.oneHop = await boot('1', db);
});

afterAll(async () => {
  for (const app of Object.values(apps)) await app.stop();
  await db?.drop();
});

describe('trust proxy', () => {
  it('ignores X-Forwarded-For by default: every request from the proxy counts as one source', async () => {
    const statuses: number[] = [];
    for (let i = 0; i <= PER_SOURCE; i++) statuses.push(await failSignIn(apps.none, 'none@example.test', `198.51.100.${i + 1}`));
    expect(statuses.slice(0, PER_SOURCE)).toEqual(Array(PER_SOURCE).fill(401));
    expect(statuses[PER_SOURCE]).toBe(429);
  });

  it('with TRUST_PROXY=loopback, counts the address the proxy forwarded, so one client does not block another', async () => {
    for (let i = 0; i < PER_SOURCE; i++) expect(await failSignIn(apps.loopback, 'loopback@example.test', '203.0.113.7')).toBe(401);
    expect(await failSignIn(apps.loopback, 'loopback@example.test', '203.0.113.7')).toBe(429);
    expect(await failSignIn(apps.loopback, 'loopback@example.test', '203.0.113.8')).toBe(401);
    // A client that writes its own X-Forwarded-For gets the proxy's entry appended: the limit still sees 203.0.113.7.
    expect(await failSignIn(apps.loopback, 'loopback@example.test', '192.0.2.99, 203.0.113.7')).toBe(429);
  });

  it('with TRUST_PROXY=1, believes only the last hop', async () => {
    for (let i = 0; i < PER_SOURCE; i++) expect(await failSignIn(apps.oneHop, 'hop@example.test', `192.0.2.${i + 1}, 203.0.113.20`)).toBe(401);
    expect(await failSignIn(apps.oneHop, 'hop@example.test', '192.0.2.200, 203.0.113.20')).toBe(429);
    expect(await failSignIn(apps.oneHop, 'hop@example.test', '203.0.113.21')).toBe(401);
  });
});
