import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Audience, BroadcastDraft } from '../../../src/services/broadcasts/broadcast-types.js';
import { broadcastFigures } from '../../../src/services/broadcasts/broadcast-figures.js';
import { cancelBroadcast } from '../../../src/services/broadcasts/cancel-broadcast.js';
import { createBroadcast } from '../../../src/services/broadcasts/create-broadcast.js';
import { expandDueBroadcasts, type RunInTransaction } from '../../../src/services/broadcasts/expand-broadcast.js';
import { laneKeyOf } from '../../../src/store/lane-key.js';
import { createRepos, inTransaction, type Repos } from '../../../src/store/repos.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.js';
import { BroadcastFixtures } from './fixtures.js';

let db: TestDatabase;
let fx: BroadcastFixtures;
let repos: Repos;
let run: RunInTransaction;
beforeAll(async () => {
  db = await createTestDatabase();
  fx = new BroadcastFixtures(db.prisma);
  repos = createRepos(db.prisma);
  run = (fn) => inTransaction(db.prisma, fn);
});
afterAll(async () => {
  await db?.drop();
});

const NOW = new Date('2026-10-05T03:00:00Z');
const LEASE = 60_000;
const MESSAGES = [
  { type: 'text' as const, text: 'Nhắc phụ huynh: ký cam kết an toàn giao thông trước thứ Sáu.' },
  { type: 'image' as const, url: 'https://example.org/poster.png', caption: 'Áp phích' },
];

/** A scheduled broadcast by a staff account (trusted: no approval) to these classes. */
async function broadcast(a: Partial<Audience>, more: Partial<BroadcastDraft> = {}): Promise<{ id: string; code: string }> {
  const out = await createBroadcast(
    repos,
    {
      audience: { schoolIds: [], classIds: [], roles: ['parent', 'student'], onlyUnpledged: false, includeGroups: false, ...a },
      messages: MESSAGES,
      sendAt: NOW,
      author: { kind: 'staff', staffId: 'console' },
      ...more,
    },
    NOW,
  );
  if (!out.ok) throw new Error(out.reason);
  return out.broadcast;
}

/** A class with `n` subscribed contacts (alternating Zalo and Messenger) plus those given. */
async function classWith(n: number): Promise<{ schoolId: string; classId: string; otherClassId: string; contacts: string[] }> {
  const s = await fx.school();
  const classId = s.classes[0]!.id;
  const contacts = [];
  for (let i = 0; i < n; i++) contacts.push(await fx.contact({ schoolId: s.id, classId, channel: i % 2 ? 'messenger' : 'zalo', role: i % 3 ? 'parent' : 'student' }));
  return { schoolId: s.id, classId, otherClassId: s.classes[1]!.id, contacts };
}

const rowsOf = (broadcastId: string) =>
  db.prisma.delivery.findMany({ where: { broadcastId }, orderBy: { id: 'asc' } });

describe('expanding a broadcast into the outbox', () => {
  it('writes one bulk row per recipient and message, skips opted-out people and unhealthy groups with their reason', async () => {
    const k = await classWith(4);
    const out = await fx.contact({ schoolId: k.schoolId, classId: k.classId, subscribed: false });
    const healthy = await fx.group(k.classId, 'ok');
    const broken = await fx.group(k.otherClassId, 'not_member', '-403');
    // Outside the audience: another class's parent (not addressed), and a self-declared teacher of the class.
    const b = await broadcast({ classIds: [k.classId, k.otherClassId], includeGroups: true });
    await fx.contact({ classId: (await fx.school()).classes[0]!.id });
    await fx.contact({ classId: k.classId, role: 'teacher' });

    expect(await expandDueBroadcasts(run, { owner: 'a', now: NOW, chunkSize: 2 })).toEqual({ broadcasts: 1, rows: 14 });
    const rows = await rowsOf(b.id);
    expect(rows).toHaveLength(14);
    const contacts = await db.prisma.contact.findMany({ where: { id: { in: [...k.contacts, out] } } });
    for (const c of contacts) {
      const mine = rows.filter((r) => r.contactId === c.id);
      expect(mine.map((r) => [r.idempotencyKey, r.message])).toEqual([
        [`broadcast:${b.id}:${c.id}:0`, MESSAGES[0]],
        [`broadcast:${b.id}:${c.id}:1`, MESSAGES[1]],
      ]);
      for (const r of mine) {
        expect(r).toMatchObject({ kind: 'bulk', broadcastId: b.id, channel: c.channel, accountId: c.accountId, recipient: c.userId, laneKey: laneKeyOf(c.channel, c.accountId, c.userId) });
        expect([r.status, r.outcome]).toEqual(c.subscribed ? ['pending', null] : ['skipped', 'opted_out']);
      }
      // The first message before the second in the person's lane.
      expect(mine[0]!.id < mine[1]!.id).toBe(true);
    }
    const group = rows.filter((r) => r.recipient === `group:${healthy}`);
    expect(group.map((r) => [r.channel, r.accountId, r.laneKey, r.contactId, r.status, r.idempotencyKey])).toEqual([
      ['zalo', 'oa', laneKeyOf('zalo', 'oa', `group:${healthy}`), null, 'pending', `broadcast:${b.id}:group:${healthy}:0`],
      ['zalo', 'oa', laneKeyOf('zalo', 'oa', `group:${healthy}`), null, 'pending', `broadcast:${b.id}:group:${healthy}:1`],
    ]);
    const skipped = rows.filter((r) => r.recipient === `group:${broken}`);
    expect(skipped.map((r) => [r.status, r.outcome, r.reason, r.platformCode])).toEqual([
      ['skipped', 'group_unhealthy', 'not_member', '-403'],
      ['skipped', 'group_unhealthy', 'not_member', '-403'],
    ]);
    const stored = await db.prisma.broadcast.findUniqueOrThrow({ where: { id: b.id } });
    expect([stored.status, stored.audienceSize, stored.leaseOwner]).toEqual(['expanded', 7, null]);
    // The pass's clock starts at the `now` given and moves on with the wall clock.
    expect(stored.expandedAt!.getTime()).toBeGreaterThanOrEqual(NOW.getTime());
    expect(await broadcastFigures(repos, b.code)).toMatchObject({ audienceSize: 7, queued: 5, sent: 0, skipped: { opted_out: 1, group_unhealthy: 1 } });
  });

  it('writes nothing more when run again, or when the same broadcast is expanded a second time from the start', async () => {
    const k = await classWith(5);
    const b = await broadcast({ classIds: [k.classId] });
    expect(await expandDueBroadcasts(run, { owner: 'a', now: NOW, chunkSize: 2 })).toEqual({ broadcasts: 1, rows: 10 });
    expect(await expandDueBroadcasts(run, { owner: 'b', now: NOW, chunkSize: 2 })).toEqual({ broadcasts: 0, rows: 0 });
    // As if the cursor had been lost: every row is already there, none is added.
    await db.prisma.broadcast.update({ where: { id: b.id }, data: { status: 'scheduled', expansionCursor: null, audienceSize: null } });
    expect(await expandDueBroadcasts(run, { owner: 'c', now: NOW, chunkSize: 3 })).toEqual({ broadcasts: 1, rows: 0 });
    expect(await db.prisma.delivery.count({ where: { broadcastId: b.id } })).toBe(10);
  });

  it('shares one broadcast between two replicas racing, each row written once', async () => {
    const k = await classWith(40);
    const b = await broadcast({ classIds: [k.classId] });
    const [x, y] = await Promise.all([
      expandDueBroadcasts((fn) => inTransaction(db.prisma, fn), { owner: 'x', now: NOW, chunkSize: 4 }),
      expandDueBroadcasts((fn) => inTransaction(db.prisma, fn), { owner: 'y', now: NOW, chunkSize: 4 }),
    ]);
    expect(x.broadcasts + y.broadcasts).toBe(1);
    expect(x.rows + y.rows).toBe(80);
    const rows = await rowsOf(b.id);
    expect(new Set(rows.map((r) => r.idempotencyKey)).size).toBe(80);
    expect(new Set(rows.map((r) => r.contactId))).toEqual(new Set(k.contacts));
  });

  it('goes on from the last chunk written after a replica stops mid-way, once its lease expires', async () => {
    const k = await classWith(9);
    const b = await broadcast({ classIds: [k.classId] });
    const crash = expandDueBroadcasts(run, {
      owner: 'crashed',
      now: NOW,
      chunkSize: 4,
      leaseMs: LEASE,
      onChunk: () => {
        throw new Error('process killed');
      },
    });
    await expect(crash).rejects.toThrow('process killed');
    const half = await db.prisma.broadcast.findUniqueOrThrow({ where: { id: b.id } });
    expect([half.status, half.leaseOwner, half.audienceSize, half.expansionCursor?.startsWith('c:')]).toEqual(['expanding', 'crashed', 4, true]);
    expect(await db.prisma.delivery.count({ where: { broadcastId: b.id } })).toBe(8);
    // Another replica leaves it alone while the lease lasts, and takes it over once it has expired.
    expect(await expandDueBroadcasts(run, { owner: 'other', now: new Date(NOW.getTime() + 1000), chunkSize: 4 })).toEqual({ broadcasts: 0, rows: 0 });
    expect(await expandDueBroadcasts(run, { owner: 'other', now: new Date(NOW.getTime() + LEASE + 1000), chunkSize: 4 })).toEqual({ broadcasts: 1, rows: 10 });
    const done = await db.prisma.broadcast.findUniqueOrThrow({ where: { id: b.id } });
    expect([done.status, done.audienceSize]).toEqual(['expanded', 9]);
    expect(await db.prisma.delivery.count({ where: { broadcastId: b.id } })).toBe(18);
  });

  it('counts the audience once when a replica stops after the last chunk but before marking the broadcast expanded', async () => {
    const k = await classWith(3);
    await fx.group(k.classId, 'ok');
    const b = await broadcast({ classIds: [k.classId], includeGroups: true }, { messages: [MESSAGES[0]!] });
    let chunks = 0;
    // The contacts' chunk, then the groups' (the last): the process dies right after it commits.
    const crash = expandDueBroadcasts(run, { owner: 'crashed', now: NOW, leaseMs: LEASE, onChunk: () => { if (++chunks === 2) throw new Error('process killed'); } });
    await expect(crash).rejects.toThrow('process killed');
    expect((await db.prisma.broadcast.findUniqueOrThrow({ where: { id: b.id } })).status).toBe('expanding');
    expect(await expandDueBroadcasts(run, { owner: 'other', now: new Date(NOW.getTime() + LEASE + 1000) })).toEqual({ broadcasts: 1, rows: 0 });
    const done = await db.prisma.broadcast.findUniqueOrThrow({ where: { id: b.id } });
    expect([done.status, done.audienceSize]).toEqual(['expanded', 4]);
  });

  it('gives the lease back when stopped between chunks, so another replica goes on at once', async () => {
    const k = await classWith(6);
    const b = await broadcast({ classIds: [k.classId] });
    const stop = new AbortController();
    const first = await expandDueBroadcasts(run, { owner: 'stopping', now: NOW, chunkSize: 2, signal: stop.signal, onChunk: () => stop.abort() });
    expect(first).toEqual({ broadcasts: 0, rows: 4 });
    expect((await db.prisma.broadcast.findUniqueOrThrow({ where: { id: b.id } })).leaseUntil).toBeNull();
    expect(await expandDueBroadcasts(run, { owner: 'next', now: NOW, chunkSize: 2 })).toEqual({ broadcasts: 1, rows: 8 });
  });

  it('stops a broadcast cancelled during expansion: what was written is skipped, nothing more is written', async () => {
    const k = await classWith(6);
    const b = await broadcast({ classIds: [k.classId] });
    const out = await expandDueBroadcasts(run, {
      owner: 'a',
      now: NOW,
      chunkSize: 2,
      onChunk: async () => {
        expect(await run((r) => cancelBroadcast(r, { code: b.code, by: { kind: 'staff', staffId: 'console' }, now: NOW }))).toEqual({ ok: true, stopped: 2 });
      },
    });
    expect(out).toEqual({ broadcasts: 0, rows: 4 });
    const rows = await rowsOf(b.id);
    expect(rows.map((r) => [r.status, r.outcome])).toEqual(Array(4).fill(['skipped', 'cancelled']));
    expect((await db.prisma.broadcast.findUniqueOrThrow({ where: { id: b.id } })).status).toBe('cancelled');
    expect(await broadcastFigures(repos, b.code)).toMatchObject({ status: 'cancelled', cancelled: 2, queued: 0 });
  });

  it('expands only what is due and approved, and leaves out those who pledged when asked', async () => {
    const k = await classWith(3);
    const later = await broadcast({ classIds: [k.classId] }, { sendAt: new Date(NOW.getTime() + 3600_000) });
    expect(await expandDueBroadcasts(run, { owner: 'a', now: NOW })).toEqual({ broadcasts: 0, rows: 0 });
    expect(await expandDueBroadcasts(run, { owner: 'a', now: new Date(NOW.getTime() + 3600_000) })).toEqual({ broadcasts: 1, rows: 6 });
    expect((await db.prisma.broadcast.findUniqueOrThrow({ where: { code: later.code } })).status).toBe('expanded');

    const campaign = await fx.campaign();
    await fx.pledge(campaign, k.contacts[0]!, k.classId, k.schoolId);
    const unpledged = await broadcast({ classIds: [k.classId], onlyUnpledged: true });
    expect((await db.prisma.broadcast.findUniqueOrThrow({ where: { id: unpledged.id } })).campaignId).toBe(campaign);
    expect(await expandDueBroadcasts(run, { owner: 'a', now: NOW })).toEqual({ broadcasts: 1, rows: 4 });
    expect(new Set((await rowsOf(unpledged.id)).map((r) => r.contactId))).toEqual(new Set(k.contacts.slice(1)));
  });

  it('reaches verified teachers and linked staff of a school by those roles', async () => {
    const k = await classWith(2);
    const teacher = await fx.contact({ role: 'teacher' });
    await fx.verify(teacher, k.schoolId, k.classId);
    const admin = await fx.contact({ role: null, channel: 'messenger' });
    await fx.staff({ role: 'school_admin', schoolId: k.schoolId, chatContactId: admin });
    const b = await broadcast({ schoolIds: [k.schoolId], roles: ['teacher', 'staff'] }, { messages: [MESSAGES[0]!] });
    expect(await expandDueBroadcasts(run, { owner: 'a', now: NOW })).toEqual({ broadcasts: 1, rows: 2 });
    expect(new Set((await rowsOf(b.id)).map((r) => r.contactId))).toEqual(new Set([teacher, admin]));
  });

  it('refreshes the outbox statistics after a large broadcast, so the claim plans for the rows it wrote', async () => {
    const s = await fx.school();
    const classId = s.classes[0]!.id;
    await db.prisma.contact.createMany({
      data: Array.from({ length: 600 }, (_, i) => ({ channel: 'messenger', accountId: 'page', userId: `stats-${i}`, role: 'parent', schoolId: s.id, classId, lastInteractionAt: NOW })),
    });
    const estimate = async () => Number((await db.prisma.$queryRawUnsafe<{ n: number }[]>(`SELECT reltuples::float8 AS "n" FROM pg_class WHERE oid = '"Delivery"'::regclass`))[0]!.n);
    const before = await estimate();
    await broadcast({ classIds: [classId], roles: ['parent'] });
    const { rows } = await expandDueBroadcasts(run, { owner: 'a', now: NOW });
    expect(rows).toBe(1_200);
    const total = await db.prisma.delivery.count();
    expect(before).toBeLessThan(total - 1_000);
    expect(await estimate()).toBe(total);
  });
});
