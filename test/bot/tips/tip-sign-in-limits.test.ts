import { hash } from '@node-rs/argon2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../../src/services/limits/attempt-limits.js';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { awayFromWindowEdge, requestFrom } from './tip-helpers.js';

// Issue 3: failed sign-ins on the tip API are limited per source address and per account, in the database (shared by
// replicas), keyed by an HMAC of the address: 429 with Retry-After. Sources are loopback addresses 127.0.0.x.

let app: TestApp;
const PASSWORD = 'sign-in-limits-password-1';
beforeAll(async () => {
  app = await startTestApp();
  for (const email of ['h1@limits.test', 'h2@limits.test']) {
    await app.db.prisma.staffUser.create({ data: { email, name: email, role: 'admin', passwordHash: await hash(PASSWORD) } });
  }
  // The counts below must all fall in one 15-minute window (and so in one hour).
  await awayFromWindowEdge(15 * 60_000, 60_000);
});
afterAll(async () => {
  await app?.close();
});

const basic = (email: string, password: string) => `Basic ${Buffer.from(`${email}:${password}`).toString('base64')}`;
const from = (source: string, email: string, password: string) =>
  requestFrom(`${app.url}/api/tips`, { localAddress: source, headers: { authorization: basic(email, password) } });

describe('sign-in limits on /api/tips', () => {
  it('answers 429 with Retry-After after ten failures from one address, even to the right password; another address still signs in', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < LIMITS.signIn.perSource.limit + 2; i++) statuses.push((await from('127.0.0.11', 'h1@limits.test', `wrong-${i}`)).status);
    expect(statuses).toEqual([...Array(10).fill(401), 429, 429]);
    const blocked = await from('127.0.0.11', 'h1@limits.test', PASSWORD);
    expect(blocked.status).toBe(429);
    const retryAfter = Number(blocked.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    expect(JSON.parse(blocked.text)).toMatchObject({ error: { code: 'rate_limited' } });
    // The handler, from their own address, is not kept out by someone else's guesses.
    expect((await from('127.0.0.12', 'h1@limits.test', PASSWORD)).status).toBe(200);
    // The address is stored nowhere: only keyed hashes.
    const rows = await app.db.prisma.attemptWindow.findMany();
    expect(rows.length).toBeGreaterThan(0);
    expect(JSON.stringify(rows)).not.toMatch(/127\.0\.0|limits\.test/);
  });

  it('answers a burst of wrong passwords sent at once with at most ten 401s, the rest 429', async () => {
    const answers = await Promise.all(Array.from({ length: 60 }, (_, i) => from('127.0.0.13', 'h2@limits.test', `burst-${i}`)));
    const counts = answers.reduce<Record<number, number>>((m, a) => ({ ...m, [a.status]: (m[a.status] ?? 0) + 1 }), {});
    expect(counts).toEqual({ 401: 10, 429: 50 });
  });

  it('limits failures per account across addresses (thirty an hour), and a right password does not count', async () => {
    // h2 has ten failures from the burst above. Right passwords in between give their slot back.
    for (let i = 0; i < 5; i++) expect((await from('127.0.0.14', 'h2@limits.test', PASSWORD)).status).toBe(200);
    const statuses: number[] = [];
    for (const source of ['127.0.0.15', '127.0.0.16']) {
      for (let i = 0; i < 10; i++) statuses.push((await from(source, 'h2@limits.test', `spread-${source}-${i}`)).status);
    }
    expect(statuses.every((s) => s === 401)).toBe(true);
    // Thirty failures: now a fresh address is refused for this account, even with the right password …
    const refused = await from('127.0.0.17', 'h2@limits.test', PASSWORD);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(3600);
    // … while other accounts are not affected.
    expect((await from('127.0.0.17', 'h1@limits.test', PASSWORD)).status).toBe(200);
  });
});
