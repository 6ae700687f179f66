import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cancelBroadcast } from '../../../src/services/broadcasts/cancel-broadcast.js';
import { createBroadcast } from '../../../src/services/broadcasts/create-broadcast.js';
import { expandDueBroadcasts } from '../../../src/services/broadcasts/expand-broadcast.js';
import { createRepos, inTransaction, type Repos } from '../../../src/store/repos.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.js';
import { BroadcastFixtures } from './fixtures.js';

let db: TestDatabase;
let fx: BroadcastFixtures;
let repos: Repos;
beforeAll(async () => {
  db = await createTestDatabase();
  fx = new BroadcastFixtures(db.prisma);
  repos = createRepos(db.prisma, { direct: db.direct });
});
afterAll(async () => {
  await db?.drop();
});

const NOW = new Date();

/** A class broadcast to three Messenger parents, expanded; returns its code and id. */
async function expanded(): Promise<{ id: string; code: string }> {
  const s = await fx.school();
  const classId = s.classes[0]!.id;
  for (let i = 0; i < 3; i++) await fx.contact({ channel: 'messenger', schoolId: s.id, classId });
  const out = await createBroadcast(
    repos,
    {
      audience: { schoolIds: [], classIds: [classId], roles: ['parent'], onlyUnpledged: false, includeGroups: false },
      messages: [{ type: 'text', text: 'Nhắc phụ huynh ký cam kết an toàn giao thông.' }],
      sendAt: NOW,
      author: { kind: 'staff', staffId: 'console' },
    },
    NOW,
  );
  if (!out.ok) throw new Error(out.reason);
  await expandDueBroadcasts((fn) => inTransaction(db.prisma, fn), { owner: 'x', now: NOW });
  return out.broadcast;
}

describe('cancelling a broadcast while its messages are being sent', () => {
  it('ends the rows being sent that come back to the queue (deferred, or their lease expired) as cancelled; a sent one stays sent', async () => {
    const b = await expanded();
    const claimed = await repos.outbox.claim('d', 10, 60, 'messenger', { recover: false });
    expect(claimed).toHaveLength(3);
    expect(await cancelBroadcast(repos, { code: b.code, by: { kind: 'staff', staffId: 'console' }, now: NOW })).toMatchObject({ ok: true });
    const [sent, deferred, lost] = claimed;
    await repos.outbox.recordMany('d', [
      { id: sent!.id, result: { status: 'sent', outcome: 'sent' } },
      { id: deferred!.id, result: { status: 'pending', outcome: 'rate_limited', reason: 'local rate limit', retryAt: new Date(Date.now() + 1000), refundAttempt: true } },
    ]);
    // The third one's dispatcher died: its lease expires and recovery would queue it again.
    await db.prisma.delivery.update({ where: { id: lost!.id }, data: { leaseUntil: new Date(Date.now() - 60_000) } });
    await repos.outbox.recoverExpiredLeases();
    const rows = await db.prisma.delivery.findMany({ where: { broadcastId: b.id }, orderBy: { id: 'asc' } });
    expect(rows.map((r) => [r.status, r.outcome])).toEqual([['sent', 'sent'], ['skipped', 'cancelled'], ['skipped', 'cancelled']]);
  });

  it('cancels an expanded broadcast with nothing queued while catch-up may still send it, so no one is caught up', async () => {
    const b = await expanded();
    const rows = await db.prisma.delivery.findMany({ where: { broadcastId: b.id } });
    await db.prisma.delivery.updateMany({ where: { broadcastId: b.id }, data: { status: 'skipped', outcome: 'window_closed' } });
    expect(await cancelBroadcast(repos, { code: b.code, by: { kind: 'staff', staffId: 'console' }, now: NOW })).toEqual({ ok: true, stopped: 0 });
    expect(await repos.broadcasts.catchUp(rows[0]!.contactId!, new Date())).toBe(0);
  });
});
