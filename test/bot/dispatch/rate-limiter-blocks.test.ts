import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bulkLimit, RateLimiter } from '../../../src/bot/rate-limiter.js';
import { RateWindowRepo } from '../../../src/store/rate-window.repo.js';
import { eventually } from '../../helpers/channels.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.js';

let db: TestDatabase;
// A second replica's connection on PostgreSQL (dropping the database closes it); the one connection on PGlite.
let otherPrisma: TestDatabase['prisma'];
beforeAll(async () => {
  db = await createTestDatabase();
  otherPrisma = db.url ? (await db.openAnother()).prisma : db.prisma;
});
afterAll(async () => {
  await db?.drop();
});
beforeEach(async () => {
  await db.prisma.rateWindow.deleteMany();
});

/** The shared window table, counting the statements each limiter sends it. */
class CountingWindows extends RateWindowRepo {
  takes = 0;
  override async take(...args: Parameters<RateWindowRepo['take']>): Promise<boolean> {
    this.takes++;
    return super.take(...args);
  }
}

// Well inside one window, so every acquire of a test counts against the same second.
const windowStart = () => Math.floor(Date.now() / 1000) * 1000 + 10;

async function counted(key: string): Promise<number> {
  const rows = await db.prisma.rateWindow.findMany({ where: { key } });
  return rows.reduce((n, r) => n + r.count, 0);
}

describe('rate limiter reserving slots in blocks', () => {
  it('grants a second of sends with a few statements instead of one per send', async () => {
    const windows = new CountingWindows(db.prisma);
    const limiter = new RateLimiter(windows);
    const now = windowStart();
    const results = await Promise.all(Array.from({ length: 100 }, () => limiter.acquire('messenger:page:p', 250, 1, { now })));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(windows.takes).toBeLessThan(20);
    // Never fewer slots counted than used; what is held beyond them is at most one block (a tenth of the limit).
    const total = await counted('messenger:page:p');
    expect(total).toBeGreaterThanOrEqual(100);
    expect(total).toBeLessThanOrEqual(100 + 25);
  });

  it('never lets two replicas together exceed the limit, and loses at most a block each to slots held unused', async () => {
    const a = new RateLimiter(new RateWindowRepo(db.prisma));
    const b = new RateLimiter(new RateWindowRepo(otherPrisma));
    const now = windowStart();
    const results = await Promise.all(Array.from({ length: 120 }, (_, i) => (i % 2 ? a : b).acquire('zalo:app:x', 50, 1, { now })));
    const granted = results.filter((r) => r.ok).length;
    expect(granted).toBeLessThanOrEqual(50);
    expect(granted).toBeGreaterThanOrEqual(50 - 2 * 5);
    expect(await counted('zalo:app:x')).toBeLessThanOrEqual(50);
    expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.retryAfterMs > 0 && r.retryAfterMs <= 1200)).toBe(true);
  });

  it('keeps the replies’ reserve: once campaign sends have filled their share, a reply still gets a slot', async () => {
    const limiter = new RateLimiter(new RateWindowRepo(db.prisma));
    const now = windowStart();
    const bulk = await Promise.all(Array.from({ length: 60 }, () => limiter.acquire('messenger:page:q', 40, 1, { bulk: true, now })));
    expect(bulk.filter((r) => r.ok).length).toBeLessThanOrEqual(bulkLimit(40));
    expect(await limiter.acquire('messenger:page:q', 40, 1, { now })).toEqual({ ok: true });
  });

  it('starts each second afresh', async () => {
    const limiter = new RateLimiter(new RateWindowRepo(db.prisma));
    const now = windowStart();
    await Promise.all(Array.from({ length: 5 }, () => limiter.acquire('k', 5, 1, { now })));
    expect((await limiter.acquire('k', 5, 1, { now })).ok).toBe(false);
    expect(await limiter.acquire('k', 5, 1, { now: now + 1000 })).toEqual({ ok: true });
  });

  it('gives up a second that ended while a send waited for its take, instead of reopening it', async () => {
    // The first take is held open by the test; every take after it finds its window full.
    let release: (granted: boolean) => void = () => undefined;
    const windows = new (class extends RateWindowRepo {
      takes: number[] = [];
      override take(_key: string, windowStart: Date): Promise<boolean> {
        this.takes.push(windowStart.getTime());
        return this.takes.length === 1 ? new Promise((resolve) => (release = resolve)) : Promise.resolve(false);
      }
    })(db.prisma);
    const limiter = new RateLimiter(windows);
    const now = windowStart();
    const waiting = limiter.acquire('k', 5, 1, { now });
    await eventually(() => windows.takes.length === 1, 'the first take');
    // A later send already works in the next second.
    expect((await limiter.acquire('k', 5, 1, { now: now + 1000 })).ok).toBe(false);
    release(false);
    expect((await waiting).ok).toBe(false);
    expect(windows.takes.filter((t) => t === now - 10)).toHaveLength(1);
  });
});

