import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/store/database.js';
import { InboxRepo, type NewInboundEvent } from '../../src/store/inbox.repo.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

let db: TestDatabase;
let inbox: InboxRepo;
beforeAll(async () => {
  db = await createTestDatabase();
  inbox = new InboxRepo(db.prisma);
});
afterAll(async () => {
  await db?.drop();
});
beforeEach(async () => {
  await db.prisma.inboundEvent.deleteMany();
});

const ev = (lane: string, key: string): NewInboundEvent => ({
  channel: 'simulator',
  accountId: 'zalo',
  dedupeKey: key,
  laneKey: lane,
  payload: { userId: lane, input: { kind: 'text', text: key } },
});

// Every behaviour holds through Prisma and on the direct path the app's worker and dispatcher use (database.ts).
for (const direct of [false, true]) {
  describe(`inbox repository ${direct ? 'on the direct path' : 'through Prisma'}`, () => {
    beforeAll(() => {
      inbox = new InboxRepo(db.prisma, undefined, direct ? db.direct : undefined);
    });

    it('stores an event once however often the platform retries it', async () => {
      const first = await inbox.insertMany([ev('a', 'm1')]);
      const again = await inbox.insertMany([ev('a', 'm1'), ev('a', 'm2')]);
      expect(first.inserted).toHaveLength(1);
      expect(again).toMatchObject({ duplicates: 1 });
      expect(await db.prisma.inboundEvent.count()).toBe(2);
    });

    it('stores a normal batch in one statement', async () => {
      let statements = 0;
      const counting = new Proxy(db.prisma, {
        get: (target, prop, receiver) => {
          const value = Reflect.get(target, prop, receiver);
          if (prop !== '$queryRaw' || typeof value !== 'function') return value;
          return (...args: unknown[]) => {
            statements++;
            return value.apply(target, args);
          };
        },
      }) as unknown as Db;
      const result = await new InboxRepo(counting).insertMany([ev('a', 'f1'), ev('b', 'f2'), ev('a', 'f3')]);
      expect([result.inserted.length, result.duplicates, result.refused, statements]).toEqual([3, 0, [], 1]);
    });

    it('stores the other rows of a batch when the database refuses one, and says which it refused', async () => {
      // Ingest normalises text first; these reach the database as they are to prove the last line of defence.
      const nul: NewInboundEvent = { ...ev('c', 'nul'), payload: { text: 'a\u0000b' } };
      const huge: NewInboundEvent = { ...ev('d', randomBytes(3000).toString('hex')) };
      const result = await inbox.insertMany([ev('a', 'r1'), nul, ev('b', 'r2'), huge, ev('a', 'r1')]);
      expect(result.refused).toEqual([
        { index: 1, code: '22P05' },
        { index: 3, code: '54000' },
      ]);
      expect([result.inserted.length, result.duplicates]).toEqual([2, 1]);
      const rows = await db.prisma.inboundEvent.findMany({ orderBy: { id: 'asc' } });
      expect(rows.map((r) => r.dedupeKey)).toEqual(['r1', 'r2']);
    });

    it('stores, deduplicates and refuses rows the same way on the ingest path outside Prisma', async () => {
      const direct = new InboxRepo(db.prisma, db.ingestQuery);
      await direct.insertMany([ev('a', 'd0')]);
      const nul: NewInboundEvent = { ...ev('c', 'nul'), payload: { text: 'a\u0000b' } };
      const outcomes = await direct.insertEach([ev('a', 'd1'), nul, ev('b', 'd0'), ev('a', 'd1'), { ...nul }]);
      const stored = await db.prisma.inboundEvent.findMany({ orderBy: { id: 'asc' } });
      expect(outcomes).toEqual([
        { kind: 'inserted', id: stored[1]?.id },
        { kind: 'refused', code: '22P05' },
        { kind: 'duplicate' },
        { kind: 'duplicate' },
        { kind: 'refused', code: '22P05' },
      ]);
      expect(stored.map((r) => r.dedupeKey)).toEqual(['d0', 'd1']);
      expect(await direct.insertMany([{ ...ev('a', 'solo'), laneKey: 'x\u0000' }])).toEqual({ inserted: [], duplicates: 0, refused: [{ index: 0, code: '22021' }] });
    });

    it('reports a single refused event without throwing, and rethrows errors that are not about the row', async () => {
      expect(await inbox.insertMany([{ ...ev('a', 'solo'), laneKey: 'x\u0000' }])).toEqual({ inserted: [], duplicates: 0, refused: [{ index: 0, code: '22021' }] });
      const broken = new Proxy(db.prisma, {
        get: (target, prop, receiver) => (prop === '$queryRaw' ? () => Promise.reject(new Error('connection lost')) : Reflect.get(target, prop, receiver)),
      }) as unknown as Db;
      await expect(new InboxRepo(broken).insertMany([ev('a', 'x1'), ev('a', 'x2')])).rejects.toThrow('connection lost');
    });

    it('claims only the oldest unfinished event of each lane', async () => {
      await inbox.insertMany([ev('a', '1'), ev('a', '2'), ev('b', '3'), ev('a', '4'), ev('b', '5')]);
      const first = await inbox.claim('w1', 10, 60);
      expect(first.map((e) => (e.payload as any).input.text).sort()).toEqual(['1', '3']);
      // While lane a's head is leased, nobody gets its next event.
      expect(await inbox.claim('w2', 10, 60)).toEqual([]);
      await inbox.complete(first[0]!.id, 'w1');
      const next = await inbox.claim('w2', 10, 60);
      expect(next).toHaveLength(1);
    });

    it('completes only for the lease owner and drops the payload, keeping the dedupe key', async () => {
      const { inserted } = await inbox.insertMany([ev('a', 'k')]);
      const [claimed] = await inbox.claim('w1', 1, 60);
      expect(await inbox.complete(claimed!.id, 'someone-else')).toBe(false);
      expect(await inbox.complete(claimed!.id, 'w1')).toBe(true);
      const row = await db.prisma.inboundEvent.findUniqueOrThrow({ where: { id: inserted[0]! } });
      expect(row).toMatchObject({ status: 'done', payload: null, dedupeKey: 'k', leaseOwner: null });
      expect((await inbox.insertMany([ev('a', 'k')])).duplicates).toBe(1);
    });

    it('makes an event claimable again when its lease expires (a crashed worker)', async () => {
      await inbox.insertMany([ev('a', 'x')]);
      const [claimed] = await inbox.claim('crashed', 1, 60);
      await db.prisma.inboundEvent.update({ where: { id: claimed!.id }, data: { leaseUntil: new Date(Date.now() - 1000) } });
      const [again] = await inbox.claim('w2', 1, 60);
      expect(again?.id).toBe(claimed!.id);
      expect(again?.attempts).toBe(2);
      expect(await inbox.complete(claimed!.id, 'crashed')).toBe(false);
    });

    it('retries a failed event later, then parks it as failed so its lane moves on', async () => {
      await inbox.insertMany([ev('a', 'bad'), ev('a', 'good')]);
      for (let attempt = 1; attempt <= 3; attempt++) {
        const [c] = await inbox.claim('w', 1, 60);
        expect((c!.payload as any).input.text).toBe('bad');
        await inbox.fail(c!.id, 'w', 'boom', 3, 0);
      }
      const [next] = await inbox.claim('w', 1, 60);
      expect((next!.payload as any).input.text).toBe('good');
      expect(await inbox.countByStatus()).toMatchObject({ failed: 1, processing: 1 });
    });

    it('does not hand an event back before its retry delay', async () => {
      await inbox.insertMany([ev('a', 'later')]);
      const [c] = await inbox.claim('w', 1, 60);
      await inbox.fail(c!.id, 'w', 'boom', 5, 3600);
      expect(await inbox.claim('w', 1, 60)).toEqual([]);
    });

    it('does not hand out an older event while a younger one of the same lane is leased (commit order differs from id order)', async () => {
      const { inserted } = await inbox.insertMany([ev('a', 'older'), ev('a', 'younger')]);
      // On PostgreSQL the younger row can commit, and be claimed, before the older one becomes visible.
      await db.prisma.inboundEvent.update({ where: { id: inserted[1]! }, data: { status: 'processing', leaseOwner: 'w1', leaseUntil: new Date(Date.now() + 60_000) } });
      expect(await inbox.claim('w2', 10, 60)).toEqual([]);
    });

    it('parks an event whose lease expired on every attempt, so its lane moves on', async () => {
      await inbox.insertMany([ev('a', 'poison'), ev('a', 'next')]);
      for (let i = 0; i < 3; i++) {
        const [c] = await inbox.claim('w', 1, 60, 3);
        expect((c!.payload as any).input.text).toBe('poison');
        await db.prisma.inboundEvent.update({ where: { id: c!.id }, data: { leaseUntil: new Date(Date.now() - 1) } });
      }
      const [next] = await inbox.claim('w', 1, 60, 3);
      expect((next!.payload as any).input.text).toBe('next');
      const parked = await db.prisma.inboundEvent.findFirstOrThrow({ where: { dedupeKey: 'poison' } });
      expect([parked.status, parked.payload, parked.lastError]).toEqual(['failed', null, 'lease expired on every attempt']);
    });

    it('refuses to complete a stale attempt of the same owner after its lease was taken again', async () => {
      await inbox.insertMany([ev('a', 'fence')]);
      const [first] = await inbox.claim('w', 1, 60);
      await db.prisma.inboundEvent.update({ where: { id: first!.id }, data: { leaseUntil: new Date(Date.now() - 1) } });
      const [second] = await inbox.claim('w', 1, 60);
      expect(await inbox.complete(first!.id, 'w', first!.attempts)).toBe(false);
      expect(await inbox.complete(second!.id, 'w', second!.attempts)).toBe(true);
    });

    it('returns its leases on shutdown', async () => {
      await inbox.insertMany([ev('a', '1'), ev('b', '2')]);
      await inbox.claim('leaving', 10, 60);
      expect(await inbox.releaseLeases('leaving')).toBe(2);
      expect(await inbox.claim('other', 10, 60)).toHaveLength(2);
    });
  });
}
