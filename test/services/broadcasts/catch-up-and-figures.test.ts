import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { broadcastFigures, listBroadcastsBy } from '../../../src/services/broadcasts/broadcast-figures.js';
import { catchUpBroadcasts } from '../../../src/services/broadcasts/catch-up.js';
import { createBroadcast } from '../../../src/services/broadcasts/create-broadcast.js';
import { expandDueBroadcasts } from '../../../src/services/broadcasts/expand-broadcast.js';
import type { BroadcastAuthor } from '../../../src/services/broadcasts/broadcast-types.js';
import { createRepos, inTransaction, type Repos } from '../../../src/store/repos.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.js';
import { BroadcastFixtures, TEXT } from './fixtures.js';

let db: TestDatabase;
let fx: BroadcastFixtures;
let repos: Repos;
beforeAll(async () => {
  db = await createTestDatabase();
  fx = new BroadcastFixtures(db.prisma);
  repos = createRepos(db.prisma);
});
afterAll(async () => {
  await db?.drop();
});

const NOW = new Date('2026-10-05T03:00:00Z');
const DAY = 86_400_000;

/** An expanded broadcast to a class of `n` contacts, its rows then set as a dispatcher would have recorded them. */
async function expanded(n: number, author: BroadcastAuthor = { kind: 'staff', staffId: 'console' }, messages = TEXT) {
  const s = await fx.school();
  const contacts = [];
  for (let i = 0; i < n; i++) contacts.push(await fx.contact({ classId: s.classes[0]!.id }));
  const out = await createBroadcast(repos, { audience: { schoolIds: [], classIds: [s.classes[0]!.id], roles: ['parent'], onlyUnpledged: false, includeGroups: false }, messages, sendAt: NOW, author }, NOW);
  if (!out.ok) throw new Error(out.reason);
  await expandDueBroadcasts((fn) => inTransaction(db.prisma, fn), { owner: 'a', now: NOW });
  const rowOf = async (contactId: string, n = 0) => (await db.prisma.delivery.findUniqueOrThrow({ where: { idempotencyKey: `broadcast:${out.broadcast.id}:${contactId}:${n}` } })).id;
  return { ...out.broadcast, contacts, rowOf };
}

async function skipAsWindowClosed(id: bigint): Promise<void> {
  await db.prisma.delivery.update({ where: { id }, data: { status: 'skipped', outcome: 'window_closed', reason: 'Zalo 7-day interaction window closed: last message 200 h ago' } });
}

describe('catch-up when a contact writes again', () => {
  it('queues a message skipped for a closed window again, once, and leaves other outcomes alone', async () => {
    const b = await expanded(3, undefined, [...TEXT, { type: 'text', text: 'Phần 2' }]);
    const [c0, c1] = b.contacts;
    await skipAsWindowClosed(await b.rowOf(c0!, 0));
    await skipAsWindowClosed(await b.rowOf(c0!, 1));
    await db.prisma.delivery.update({ where: { id: await b.rowOf(c1!) }, data: { status: 'skipped', outcome: 'opted_out' } });
    const at = new Date(NOW.getTime() + DAY);
    expect(await catchUpBroadcasts(repos, c0!, at)).toBe(2);
    const row = await db.prisma.delivery.findUniqueOrThrow({ where: { id: await b.rowOf(c0!) } });
    expect([row.status, row.outcome, row.reason, row.notBefore, row.caughtUpAt]).toEqual(['pending', null, null, at, at]);
    expect(await catchUpBroadcasts(repos, c1!, at)).toBe(0);
    // Skipped again (the window closed once more before it went out): not a second time.
    await skipAsWindowClosed(await b.rowOf(c0!));
    expect(await catchUpBroadcasts(repos, c0!, new Date(at.getTime() + DAY))).toBe(0);
    expect(await broadcastFigures(repos, b.code)).toMatchObject({ caughtUp: 1, skipped: { window_closed: 1, opted_out: 1 }, queued: 1 });
  });

  it('does not catch up a cancelled broadcast, nor after its catch-up time', async () => {
    const b = await expanded(2);
    for (const c of b.contacts) await skipAsWindowClosed(await b.rowOf(c));
    const until = (await db.prisma.broadcast.findUniqueOrThrow({ where: { id: b.id } })).catchUpUntil!;
    expect(await catchUpBroadcasts(repos, b.contacts[0]!, until)).toBe(0);
    await db.prisma.broadcast.update({ where: { id: b.id }, data: { status: 'cancelled' } });
    expect(await catchUpBroadcasts(repos, b.contacts[1]!, NOW)).toBe(0);
  });
});

describe('the figures of a broadcast', () => {
  it('counts each recipient once by outcome, with delivered, seen and caught up', async () => {
    const b = await expanded(8, undefined, [...TEXT, { type: 'text', text: 'Phần 2' }]);
    const set = async (i: number, data: Record<string, unknown>) => db.prisma.delivery.update({ where: { id: await b.rowOf(b.contacts[i]!) }, data });
    await set(0, { status: 'sent', sentAt: NOW, deliveredAt: NOW, seenAt: NOW });
    await set(1, { status: 'sent', sentAt: NOW, deliveredAt: NOW });
    await set(2, { status: 'sent', sentAt: NOW, caughtUpAt: NOW });
    await set(3, { status: 'skipped', outcome: 'window_closed' });
    await set(4, { status: 'failed', outcome: 'user_unavailable' });
    await set(5, { status: 'skipped', outcome: 'cancelled' });
    await set(6, { status: 'sending' });
    expect(await broadcastFigures(repos, b.code.toLowerCase())).toEqual({
      code: b.code,
      status: 'expanded',
      audienceSize: 8,
      queued: 2,
      sent: 3,
      delivered: 2,
      seen: 1,
      skipped: { window_closed: 1 },
      failed: { user_unavailable: 1 },
      caughtUp: 1,
      cancelled: 1,
    });
    expect(await broadcastFigures(repos, 'TB-99999x')).toBeNull();
  });

  it('lists an author\'s broadcasts newest first with their figures', async () => {
    const s = await fx.school();
    const t = await fx.contact({ role: 'teacher' });
    await fx.verify(t, s.id, s.classes[0]!.id);
    await fx.contact({ classId: s.classes[0]!.id });
    const codes = [];
    for (let i = 0; i < 3; i++) {
      const out = await createBroadcast(repos, { audience: { schoolIds: [], classIds: [s.classes[0]!.id], roles: ['parent'], onlyUnpledged: false, includeGroups: false }, messages: TEXT, sendAt: new Date(NOW.getTime() + i * DAY), author: { kind: 'contact', contactId: t } }, NOW);
      if (!out.ok) throw new Error(out.reason);
      codes.push(out.broadcast.code);
    }
    await expandDueBroadcasts((fn) => inTransaction(db.prisma, fn), { owner: 'a', now: NOW });
    const list = await listBroadcastsBy(repos, { kind: 'contact', contactId: t }, 2);
    expect(list.map((f) => [f.code, f.status, f.audienceSize, f.queued])).toEqual([
      [codes[2], 'scheduled', 0, 0],
      [codes[1], 'scheduled', 0, 0],
    ]);
    expect((await listBroadcastsBy(repos, { kind: 'contact', contactId: t }, 10)).map((f) => [f.code, f.queued])).toEqual([
      [codes[2], 0],
      [codes[1], 0],
      [codes[0], 1],
    ]);
    expect(await listBroadcastsBy(repos, { kind: 'contact', contactId: s.id }, 10)).toEqual([]);
  });
});
