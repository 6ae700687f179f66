import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Ingest } from '../../src/bot/ingest.js';
import type { FlushInfo } from '../../src/bot/ingest-batcher.js';
import type { AppError } from '../../src/errors.js';
import { Signals } from '../../src/bot/signals.js';
import type { Database } from '../../src/store/database.js';
import { InboxRepo, type NewInboundEvent } from '../../src/store/inbox.repo.js';
import { eventually } from '../helpers/channels.js';
import { createTestDatabase, PG_URL, type TestDatabase } from '../helpers/db.js';

let db: TestDatabase;
// Reads that prove a row is committed: another connection on PostgreSQL; on PGlite (one connection, autocommit) the same.
let reader: Database;
beforeAll(async () => {
  db = await createTestDatabase();
  reader = PG_URL ? await db.openAnother() : db;
});
afterAll(async () => {
  await db?.drop();
});
beforeEach(async () => {
  await db.prisma.inboundEvent.deleteMany();
});

const ev = (key: string, payload: unknown = { text: key }): NewInboundEvent => ({
  channel: 'messenger',
  accountId: 'page',
  dedupeKey: key,
  laneKey: `messenger:page:${key}`,
  payload,
});

/** An Ingest on the test database as the app builds it, whose flushes are recorded; `inbox` may wrap the real repository. */
function ingestWith(opts: { maxEvents?: number; inbox?: InboxRepo } = {}) {
  const flushes: FlushInfo[] = [];
  const ingest = new Ingest({
    inbox: opts.inbox ?? new InboxRepo(db.prisma, db.ingestQuery),
    signals: new Signals(),
    batch: { maxEvents: opts.maxEvents ?? 256, waitMs: 0 },
    onFlush: (info) => flushes.push(info),
  });
  return { ingest, flushes };
}

/** The real repository, with `insertEach` passed through `around` (to alter a flush on its way to the database). */
function wrappedInbox(around: (events: NewInboundEvent[], real: (events: NewInboundEvent[]) => ReturnType<InboxRepo['insertEach']>) => ReturnType<InboxRepo['insertEach']>): InboxRepo {
  const real = new InboxRepo(db.prisma, db.ingestQuery);
  return new Proxy(real, {
    get: (target, prop, receiver) => (prop === 'insertEach' ? (events: NewInboundEvent[]) => around(events, (e) => target.insertEach(e)) : Reflect.get(target, prop, receiver)),
  });
}

async function keysOf(ids: bigint[]): Promise<string[]> {
  const rows = await reader.prisma.inboundEvent.findMany({ where: { id: { in: ids } }, select: { dedupeKey: true } });
  return rows.map((r) => r.dedupeKey).sort();
}

describe('ingest group commit', () => {
  it('stores requests that arrive together with one insert, and gives each request the ids of its own events', async () => {
    const { ingest, flushes } = ingestWith();
    const requests = Array.from({ length: 20 }, (_, r) => [ev(`r${r}-a`), ev(`r${r}-b`)]);
    const results = await Promise.all(requests.map((events) => ingest.store(events)));
    expect(flushes).toEqual([{ requests: 20, events: 40 }]);
    for (const [r, result] of results.entries()) {
      expect([result.duplicates, result.rejected]).toEqual([0, []]);
      expect(await keysOf(result.inserted)).toEqual([`r${r}-a`, `r${r}-b`]);
    }
    expect(await reader.prisma.inboundEvent.count()).toBe(40);
  });

  it('flushes at the size limit, taking whole requests', async () => {
    const { ingest, flushes } = ingestWith({ maxEvents: 4 });
    const results = await Promise.all(Array.from({ length: 6 }, (_, r) => ingest.store([ev(`s${r}-a`), ev(`s${r}-b`)])));
    expect(flushes).toEqual([
      { requests: 2, events: 4 },
      { requests: 2, events: 4 },
      { requests: 2, events: 4 },
    ]);
    expect(results.map((r) => r.inserted.length)).toEqual([2, 2, 2, 2, 2, 2]);
  });

  it('sends requests that arrive while a flush runs in the next flush, together', async () => {
    let late: Promise<unknown>[] = [];
    const ref: { ingest?: Ingest } = {};
    const inbox = wrappedInbox((events, real) => {
      // While the first flush is out, three more requests arrive.
      if (late.length === 0) late = [1, 2, 3].map((n) => ref.ingest?.store([ev(`late-${n}`)]) ?? Promise.reject(new Error('no ingest')));
      return real(events);
    });
    const { ingest, flushes } = ingestWith({ inbox });
    ref.ingest = ingest;
    await ingest.store([ev('first')]);
    await Promise.all(late);
    expect(flushes).toEqual([
      { requests: 1, events: 1 },
      { requests: 3, events: 3 },
    ]);
  });

  it('reports a duplicate per request, whether stored before or sent by another request of the same flush', async () => {
    const { ingest, flushes } = ingestWith();
    await ingest.store([ev('old')]);
    const [a, b, c] = await Promise.all([ingest.store([ev('k1'), ev('k2')]), ingest.store([ev('k2'), ev('k3')]), ingest.store([ev('old'), ev('k1')])]);
    expect(flushes).toHaveLength(2);
    expect([await keysOf(a?.inserted ?? []), a?.duplicates]).toEqual([['k1', 'k2'], 0]);
    expect([await keysOf(b?.inserted ?? []), b?.duplicates]).toEqual([['k3'], 1]);
    expect([c?.inserted, c?.duplicates]).toEqual([[], 2]);
    expect(await reader.prisma.inboundEvent.count()).toBe(4);
  });

  it('costs no other request its rows when the database refuses one row of a flush, and reports it by index', async () => {
    // Ingest makes text storable, so the bad value is put in on the way to the database: the database really refuses it.
    const inbox = wrappedInbox((events, real) => real(events.map((e) => (e.dedupeKey === 'bad' ? { ...e, payload: { text: 'a\u0000b' } } : e))));
    const { ingest, flushes } = ingestWith({ inbox });
    const [a, b, c] = await Promise.all([ingest.store([ev('a1'), ev('a2')]), ingest.store([ev('b1'), ev('bad'), ev('b2')]), ingest.store([ev('c1')])]);
    expect(flushes).toEqual([{ requests: 3, events: 6 }]);
    expect(await keysOf(a?.inserted ?? [])).toEqual(['a1', 'a2']);
    expect([await keysOf(b?.inserted ?? []), b?.rejected]).toEqual([['b1', 'b2'], [{ index: 1, reason: 'refused by the database (SQLSTATE 22P05)' }]]);
    expect([await keysOf(c?.inserted ?? []), c?.rejected]).toEqual([['c1'], []]);
  });

  it('fails exactly the requests of a flush the database could not take, and stores the next flush', async () => {
    let calls = 0;
    let late: Promise<unknown> | undefined;
    const ref: { ingest?: Ingest } = {};
    const inbox = wrappedInbox((events, real) => {
      calls++;
      if (calls > 1) return real(events);
      late = ref.ingest?.store([ev('late')]);
      return Promise.reject(new Error('connection lost'));
    });
    const { ingest, flushes } = ingestWith({ inbox });
    ref.ingest = ingest;
    const settled = await Promise.allSettled([ingest.store([ev('x1')]), ingest.store([ev('x2'), ev('x3')])]);
    // Each fails as "unavailable" (a webhook answers 503, so the platform retries), caused by the database's error.
    expect(settled.map((s) => (s.status === 'rejected' ? [(s.reason as AppError).code, ((s.reason as Error).cause as Error).message] : 'stored'))).toEqual([
      ['unavailable', 'connection lost'],
      ['unavailable', 'connection lost'],
    ]);
    expect(await late).toMatchObject({ duplicates: 0, rejected: [] });
    expect(flushes).toEqual([
      { requests: 2, events: 3 },
      { requests: 1, events: 1 },
    ]);
    expect((await reader.prisma.inboundEvent.findMany()).map((r) => r.dedupeKey)).toEqual(['late']);
  });

  it('resolves a request only once its rows are committed', async () => {
    const order: string[] = [];
    const { ingest, flushes } = ingestWith();
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let holding!: () => void;
    const held = new Promise<void>((r) => (holding = r));
    // Another transaction holds what the insert needs: the key's index entry on PostgreSQL, the connection on PGlite.
    const holder = db.prisma
      .$transaction(async (tx) => {
        await tx.$executeRaw`INSERT INTO "InboundEvent" ("channel", "accountId", "dedupeKey", "laneKey", "payload") VALUES ('messenger', 'page', 'held', 'lane', '{}'::jsonb)`;
        holding();
        await released;
        await tx.$queryRaw`SELECT 1`;
        order.push('holder rolls back');
        throw new Error('roll back');
      })
      .catch(() => undefined);
    await held;
    const stored = ingest.store([ev('held')]).then(async (result) => {
      order.push('request resolved');
      return { result, visible: await keysOf(result.inserted) };
    });
    await eventually(() => flushes.length === 1, 'the flush to start');
    release();
    await holder;
    const { result, visible } = await stored;
    expect(order).toEqual(['holder rolls back', 'request resolved']);
    expect([result.inserted.length, visible]).toEqual([1, ['held']]);
  });
});

