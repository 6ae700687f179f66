import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ERASED, OutboxRepo, type NewDelivery } from '../../../src/store/outbox.repo.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.js';

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
  recipient: `user-${lane}`,
  laneKey: lane,
  message: { type: 'text', text },
  ...extra,
});

async function claimByText(owner: string): Promise<Map<string, bigint>> {
  const rows = await outbox.claim(owner, 10, 60, 'simulator');
  return new Map(rows.map((r) => [(r.message as { text: string }).text, r.id]));
}

describe('recording several outcomes in one statement', () => {
  it("writes each row's own outcome: sent with its platform id, deferred with its retry time and refunded try, failed and skipped with their reasons", async () => {
    await outbox.enqueue([msg('a', 'sent'), msg('b', 'deferred'), msg('c', 'failed'), msg('d', 'skipped')]);
    const ids = await claimByText('d1');
    const retryAt = new Date(Date.now() + 3_600_000);
    const recorded = await outbox.recordMany('d1', [
      { id: ids.get('sent')!, result: { status: 'sent', outcome: 'sent', platformMessageId: 'm.1' } },
      { id: ids.get('deferred')!, result: { status: 'pending', outcome: 'quiet_hours', reason: 'quiet hours', retryAt, refundAttempt: true } },
      { id: ids.get('failed')!, result: { status: 'failed', outcome: 'invalid', reason: 'bad payload', platformCode: '100' } },
      { id: ids.get('skipped')!, result: { status: 'skipped', outcome: 'window_closed', reason: 'window closed', platformCode: '-230' } },
    ]);
    expect(recorded.map(String).sort()).toEqual([...ids.values()].map(String).sort());
    const rows = new Map((await db.prisma.delivery.findMany()).map((r) => [(r.message as { text: string }).text, r]));
    expect(rows.get('sent')).toMatchObject({ status: 'sent', outcome: 'sent', platformMessageId: 'm.1', attempts: 1, leaseOwner: null });
    expect(rows.get('sent')!.sentAt).not.toBeNull();
    expect(rows.get('deferred')).toMatchObject({ status: 'pending', outcome: 'quiet_hours', reason: 'quiet hours', attempts: 0, notBefore: retryAt, sentAt: null });
    expect(rows.get('failed')).toMatchObject({ status: 'failed', outcome: 'invalid', reason: 'bad payload', platformCode: '100', sentAt: null });
    expect(rows.get('skipped')).toMatchObject({ status: 'skipped', outcome: 'window_closed', reason: 'window closed', platformCode: '-230' });
  });

  it('anonymises the tip-flow rows that are done with, and only those, in the same statement', async () => {
    const interactionAt = new Date();
    await outbox.enqueue([
      msg('t1', 'Mã tin báo: T-7K2Q', { sensitive: true, interactionAt }),
      msg('t2', 'Cảm ơn em đã báo tin', { sensitive: true, interactionAt }),
      msg('p', 'plain'),
    ]);
    const ids = await claimByText('d1');
    await outbox.recordMany('d1', [
      { id: ids.get('Mã tin báo: T-7K2Q')!, result: { status: 'sent', outcome: 'sent', platformMessageId: 'm.tip' } },
      { id: ids.get('Cảm ơn em đã báo tin')!, result: { status: 'pending', outcome: 'transient', reason: 'timeout', retryAt: new Date(Date.now() + 60_000) } },
      { id: ids.get('plain')!, result: { status: 'sent', outcome: 'sent', platformMessageId: 'm.plain' } },
    ]);
    const done = await db.prisma.delivery.findUniqueOrThrow({ where: { id: ids.get('Mã tin báo: T-7K2Q')! } });
    expect(done).toMatchObject({ status: 'sent', message: ERASED, sensitive: false, recipient: '', laneKey: '', interactionAt: null, platformMessageId: null, sentAt: null });
    expect(done.createdAt.getTime() % 3_600_000).toBe(0);
    // Still to be sent: it keeps what the next attempt needs.
    const retried = await db.prisma.delivery.findUniqueOrThrow({ where: { id: ids.get('Cảm ơn em đã báo tin')! } });
    expect(retried).toMatchObject({ status: 'pending', sensitive: true, recipient: 'user-t2', laneKey: 't2', interactionAt });
    const plain = await db.prisma.delivery.findUniqueOrThrow({ where: { id: ids.get('plain')! } });
    expect(plain).toMatchObject({ status: 'sent', recipient: 'user-p', platformMessageId: 'm.plain', message: { type: 'text', text: 'plain' } });
  });

  it("leaves a row alone whose lease another dispatcher took over, and still records the others", async () => {
    await outbox.enqueue([msg('a', 'mine'), msg('b', 'taken over')]);
    const ids = await claimByText('d1');
    await db.prisma.delivery.update({ where: { id: ids.get('taken over')! }, data: { leaseOwner: 'd2' } });
    const recorded = await outbox.recordMany('d1', [
      { id: ids.get('mine')!, result: { status: 'sent', outcome: 'sent' } },
      { id: ids.get('taken over')!, result: { status: 'sent', outcome: 'sent' } },
    ]);
    expect(recorded).toEqual([ids.get('mine')]);
    expect(await db.prisma.delivery.findUniqueOrThrow({ where: { id: ids.get('taken over')! } })).toMatchObject({ status: 'sending', leaseOwner: 'd2' });
  });

  it('claims no more campaign rows than the bulk limit, and fills the rest with replies', async () => {
    await outbox.enqueue(Array.from({ length: 6 }, (_, i) => msg(`bulk-${i}`, `campaign ${i}`, { kind: 'bulk', idempotencyKey: `b:${i}` })));
    await outbox.enqueue([msg('r', 'reply')]);
    const rows = await outbox.claim('d1', 5, 60, 'simulator', { bulkLimit: 2 });
    expect(rows.map((r) => r.kind).sort()).toEqual(['bulk', 'bulk', 'reply']);
    expect(await outbox.claim('d1', 5, 60, 'simulator', { bulkLimit: 0 })).toEqual([]);
  });
});
