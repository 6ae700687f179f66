import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ERASED, OutboxRepo, type NewDelivery } from '../../src/store/outbox.repo.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

let db: TestDatabase;
let outbox: OutboxRepo;
beforeAll(async () => {
  db = await createTestDatabase();
  outbox = new OutboxRepo(db.prisma);
});
afterAll(async () => {
  await db?.drop();
});
beforeEach(async () => {
  await db.prisma.delivery.deleteMany();
});

const msg = (lane: string, text: string, extra: Partial<NewDelivery> = {}): NewDelivery => ({
  contactId: null,
  channel: 'simulator',
  accountId: 'zalo',
  recipient: lane,
  laneKey: lane,
  message: { type: 'text', text },
  ...extra,
});

// Every behaviour holds through Prisma and on the direct path the app's worker and dispatcher use (database.ts).
for (const direct of [false, true]) {
  describe(`outbox repository ${direct ? 'on the direct path' : 'through Prisma'}`, () => {
    beforeAll(() => {
      outbox = new OutboxRepo(db.prisma, direct ? db.direct : undefined);
    });

    it('hands out one message per recipient at a time, in the order they were written', async () => {
      await outbox.enqueue([msg('a', 'a1'), msg('a', 'a2'), msg('b', 'b1')]);
      const first = await outbox.claim('d1', 10, 60, 'simulator');
      expect(first.map((d) => (d.message as any).text).sort()).toEqual(['a1', 'b1']);
      const a1 = first.find((d) => (d.message as any).text === 'a1')!;
      expect(await outbox.record(a1.id, 'd1', { status: 'sent', outcome: 'sent' })).toBe(true);
      const second = await outbox.claim('d2', 10, 60, 'simulator');
      expect(second.map((d) => (d.message as any).text)).toEqual(['a2']);
    });

    it('keeps a retried message at the head of its lane until its retry time', async () => {
      await outbox.enqueue([msg('a', 'first'), msg('a', 'second')]);
      const [d] = await outbox.claim('d', 1, 60, 'simulator');
      await outbox.record(d!.id, 'd', { status: 'pending', outcome: 'rate_limited', reason: '-32', retryAt: new Date(Date.now() + 3_600_000) });
      // The second message must not overtake the first.
      expect(await outbox.claim('d', 10, 60, 'simulator')).toEqual([]);
      const row = await db.prisma.delivery.findUniqueOrThrow({ where: { id: d!.id } });
      expect(row).toMatchObject({ status: 'pending', outcome: 'rate_limited', reason: '-32' });
    });

    it('records skips and failures with their reason and lets the lane move on', async () => {
      await outbox.enqueue([msg('a', 'x'), msg('a', 'y')]);
      const [d] = await outbox.claim('d', 1, 60, 'simulator');
      await outbox.record(d!.id, 'd', { status: 'skipped', outcome: 'window_closed', reason: 'no interaction for 8 days', platformCode: '-230' });
      const [next] = await outbox.claim('d', 1, 60, 'simulator');
      expect((next!.message as any).text).toBe('y');
      expect(await db.prisma.delivery.findUniqueOrThrow({ where: { id: d!.id } })).toMatchObject({ status: 'skipped', platformCode: '-230' });
    });

    it('re-offers a message whose dispatcher died after its lease expired, and ignores the dead one\'s late result', async () => {
      await outbox.enqueue([msg('a', 'z')]);
      const [d] = await outbox.claim('dead', 1, 60, 'simulator');
      await db.prisma.delivery.update({ where: { id: d!.id }, data: { leaseUntil: new Date(Date.now() - 1) } });
      const [again] = await outbox.claim('alive', 1, 60, 'simulator');
      expect(again?.id).toBe(d!.id);
      expect(await outbox.record(d!.id, 'dead', { status: 'sent', outcome: 'sent' })).toBe(false);
      expect(await outbox.record(d!.id, 'alive', { status: 'sent', outcome: 'sent' })).toBe(true);
    });

    it('erases a sensitive message once it is sent, keeping the fact that it was', async () => {
      await outbox.enqueue([msg('a', 'Mã tin báo: T-7K2Q, mã PIN: 4821', { sensitive: true }), msg('b', 'ordinary')]);
      const claimed = await outbox.claim('d', 10, 60, 'simulator');
      for (const d of claimed) await outbox.record(d.id, 'd', { status: 'sent', outcome: 'sent' });
      const rows = await db.prisma.delivery.findMany({ orderBy: { id: 'asc' } });
      expect(rows.map((r) => [r.status, (r.message as any).text])).toEqual([['sent', ERASED.text], ['sent', 'ordinary']]);
    });

    it('erases a sensitive message that is failed because its lease expired on every attempt', async () => {
      await outbox.enqueue([msg('a', 'Mã tin báo: T-7K2Q', { sensitive: true })]);
      const [d] = await outbox.claim('d', 1, 60, 'simulator');
      await db.prisma.delivery.update({ where: { id: d!.id }, data: { attempts: 10, leaseUntil: new Date(Date.now() - 1) } });
      await outbox.claim('d', 1, 60, 'simulator', { maxAttempts: 10 });
      const row = await db.prisma.delivery.findUniqueOrThrow({ where: { id: d!.id } });
      expect([row.status, (row.message as any).text]).toEqual(['failed', ERASED.text]);
    });

    it('only claims messages of the channels this replica has enabled, and only once due', async () => {
      await outbox.enqueue([msg('a', 'zalo', { channel: 'zalo' }), msg('b', 'later', { notBefore: new Date(Date.now() + 60_000) }), msg('c', 'now')]);
      const claimed = await outbox.claim('d', 10, 60, 'simulator');
      expect(claimed.map((d) => (d.message as any).text)).toEqual(['now']);
    });

    it('hands out a reply before any bulk row, whatever their age', async () => {
      await outbox.enqueue(Array.from({ length: 50 }, (_, i) => msg(`bulk-${i}`, `campaign ${i}`, { kind: 'bulk', idempotencyKey: `b:${i}` })));
      await outbox.enqueue([msg('someone', 'reply')]);
      const [first] = await outbox.claim('d', 1, 60, 'simulator');
      expect([(first!.message as any).text, first!.kind]).toEqual(['reply', 'reply']);
    });

    it('never holds a reply behind a campaign message to the same person, and keeps each kind in order', async () => {
      await outbox.enqueue([
        msg('p', 'campaign 1', { kind: 'bulk', idempotencyKey: 'c1' }),
        msg('p', 'campaign 2', { kind: 'bulk', idempotencyKey: 'c2', notBefore: new Date(Date.now() + 3_600_000) }),
      ]);
      await outbox.enqueue([msg('p', 'reply 1'), msg('p', 'reply 2')]);
      const first = await outbox.claim('d', 10, 60, 'simulator');
      expect(first.map((d) => (d.message as any).text).sort()).toEqual(['campaign 1', 'reply 1']);
      for (const d of first) await outbox.record(d.id, 'd', { status: 'sent', outcome: 'sent' });
      // campaign 2 is not due: it holds nothing back; reply 2 follows reply 1.
      expect((await outbox.claim('d', 10, 60, 'simulator')).map((d) => (d.message as any).text)).toEqual(['reply 2']);
    });

    it('adds a bulk row once however often it is enqueued (idempotency key)', async () => {
      const row = msg('x', 'campaign', { kind: 'bulk', idempotencyKey: 'broadcast:1:x' });
      expect(await outbox.enqueue([row])).toBe(1);
      expect(await outbox.enqueue([row, msg('y', 'other', { kind: 'bulk', idempotencyKey: 'broadcast:1:y' })])).toBe(1);
      expect(await db.prisma.delivery.count()).toBe(2);
    });

    it('says whether the contact of a claimed row still takes campaign messages', async () => {
      const contact = await db.prisma.contact.create({ data: { channel: 'simulator', accountId: 'zalo', userId: `opted-out-${direct}`, subscribed: false, lastInteractionAt: new Date('2026-11-30T10:00:00.000Z') } });
      await outbox.enqueue([msg('o', 'campaign', { kind: 'bulk', idempotencyKey: 'k', contactId: contact.id })]);
      const [d] = await outbox.claim('d', 1, 60, 'simulator');
      expect(d).toMatchObject({ subscribed: false, kind: 'bulk', lastInteractionAt: new Date('2026-11-30T10:00:00.000Z') });
      expect(typeof d!.id).toBe('bigint');
    });
  });
}
