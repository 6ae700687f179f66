import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InboxRepo } from '../../src/store/inbox.repo.js';
import { TurnRepo, type TurnFinish } from '../../src/store/turn.repo.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

// Away from UTC, so a timestamp read in local time instead of UTC (node-postgres's and PGlite's default) shows.
process.env.TZ = 'Asia/Ho_Chi_Minh';

let db: TestDatabase;
let turns: TurnRepo;
let inbox: InboxRepo;
beforeAll(async () => {
  db = await createTestDatabase();
  turns = new TurnRepo(db.prisma);
  inbox = new InboxRepo(db.prisma);
});
afterAll(async () => {
  await db?.drop();
});

const who = (userId: string) => ({ channel: 'simulator', accountId: 'zalo', userId });

/** Stores one event for `userId` and leases it to `owner`. */
async function leased(userId: string, key: string, owner = 'w') {
  await inbox.insertMany([{ channel: 'simulator', accountId: 'zalo', dedupeKey: key, laneKey: `lane:${userId}`, payload: { userId, input: { kind: 'text', text: key } } }]);
  const [event] = await inbox.claim(owner, 1, 60);
  if (!event) throw new Error('nothing claimed');
  return event;
}

function finishOf(event: { id: bigint; attempts: number }, contactId: string, over: Partial<TurnFinish> = {}): TurnFinish {
  const now = new Date();
  return {
    eventId: event.id,
    owner: 'w',
    attempt: event.attempts,
    contactId,
    contactPatch: {},
    touchAt: null,
    conversation: { flowId: 'menu', stepId: 'main', version: 1, data: { a: 1 }, expiresAt: new Date(now.getTime() + 3600_000) },
    replies: { channel: 'simulator', accountId: 'zalo', recipient: 'u', laneKey: 'lane:u', messages: [{ type: 'text', text: 'một' }, { type: 'text', text: 'hai' }, { type: 'text', text: 'ba' }] },
    sensitive: false,
    interactionAt: null,
    followUps: [],
    now,
    ...over,
  };
}

describe('turn repository', () => {
  it('creates a contact on its first turn and reports that it did not exist before', async () => {
    const at = new Date('2026-11-30T08:15:00.000Z');
    const start = await turns.start(who('new-person'), at, new Date());
    expect(start.before).toBeNull();
    expect(start.conversation).toBeNull();
    expect({ locale: start.contact.locale, subscribed: start.contact.subscribed, lastInteractionAt: start.contact.lastInteractionAt }).toEqual({ locale: 'vi', subscribed: true, lastInteractionAt: at });
  });

  it('returns the contact times from before the touch, and a follow-up turn (no touch) leaves them alone', async () => {
    const first = new Date('2026-11-30T08:00:00.000Z');
    const second = new Date('2026-11-30T09:00:00.000Z');
    const a = await turns.start(who('returning'), first, new Date());
    const b = await turns.start(who('returning'), second, new Date());
    expect(b.contact.id).toBe(a.contact.id);
    expect(b.before?.lastInteractionAt).toEqual(first);
    expect(b.contact.lastInteractionAt).toEqual(second);
    const touched = (await db.prisma.contact.findUniqueOrThrow({ where: { id: a.contact.id } })).updatedAt;
    const followUp = await turns.start(who('returning'), null, new Date(Date.now() + 60_000));
    expect([followUp.before?.lastInteractionAt, followUp.before?.updatedAt]).toEqual([second, touched]);
    expect(followUp.contact.lastInteractionAt).toEqual(second);
    expect((await db.prisma.contact.findUniqueOrThrow({ where: { id: a.contact.id } })).updatedAt).toEqual(touched);
  });

  it('stores the state, the replies in order and the follow-ups, and completes the event', async () => {
    const { contact } = await turns.start(who('u'), new Date(), new Date());
    const event = await leased('u', 'e1');
    const ok = await turns.finish(finishOf(event, contact.id, { followUps: [{ dedupeKey: 'fx:1', payload: { userId: 'u', input: { kind: 'effect' } } }] }));
    expect(ok).toBe(true);
    const rows = await db.prisma.delivery.findMany({ where: { inboundEventId: event.id }, orderBy: { id: 'asc' } });
    expect(rows.map((r) => (r.message as { text: string }).text)).toEqual(['một', 'hai', 'ba']);
    expect(await inbox.status(event.id)).toBe('done');
    const followUp = await db.prisma.inboundEvent.findFirstOrThrow({ where: { dedupeKey: 'fx:1' } });
    expect({ lane: followUp.laneKey, status: followUp.status }).toEqual({ lane: 'lane:u', status: 'pending' });
    const again = await turns.start(who('u'), new Date(), new Date());
    expect(again.conversation).toMatchObject({ flowId: 'menu', stepId: 'main', version: 1, data: { a: 1 } });
  });

  it('ends the conversation when the state is null', async () => {
    const { contact } = await turns.start(who('ender'), new Date(), new Date());
    const first = await leased('ender', 'end1');
    await turns.finish(finishOf(first, contact.id));
    const second = await leased('ender', 'end2');
    expect(await turns.finish(finishOf(second, contact.id, { conversation: null, replies: { channel: 'simulator', accountId: 'zalo', recipient: 'ender', laneKey: 'lane:ender', messages: [] } }))).toBe(true);
    expect((await turns.start(who('ender'), new Date(), new Date())).conversation).toBeNull();
  });

  it('writes nothing when the lease was lost (another owner, or a stale attempt)', async () => {
    const { contact } = await turns.start(who('lost'), new Date(), new Date());
    const event = await leased('lost', 'lost1');
    expect(await turns.finish(finishOf(event, contact.id, { owner: 'someone-else' }))).toBe(false);
    expect(await turns.finish(finishOf(event, contact.id, { attempt: event.attempts + 1 }))).toBe(false);
    expect(await db.prisma.delivery.count({ where: { inboundEventId: event.id } })).toBe(0);
    expect(await db.prisma.conversation.count({ where: { contactId: contact.id } })).toBe(0);
    expect(await inbox.status(event.id)).toBe('processing');
  });

  it('marks a sensitive turn’s replies and leaves its event no lane or processing time', async () => {
    const { contact } = await turns.start(who('tipster'), new Date(), new Date());
    const event = await leased('tipster', 'tip1');
    const wrote = new Date('2026-11-30T10:20:00.000Z');
    expect(await turns.finish(finishOf(event, contact.id, { sensitive: true, interactionAt: wrote, conversation: 'keep' }))).toBe(true);
    const rows = await db.prisma.delivery.findMany({ where: { inboundEventId: event.id } });
    expect(rows.every((r) => r.sensitive && r.interactionAt?.getTime() === wrote.getTime())).toBe(true);
    const stored = await db.prisma.inboundEvent.findUniqueOrThrow({ where: { id: event.id } });
    expect({ lane: stored.laneKey, processedAt: stored.processedAt, minutes: stored.receivedAt.getUTCMinutes() }).toEqual({ lane: '', processedAt: null, minutes: 0 });
    expect(await db.prisma.conversation.count({ where: { contactId: contact.id } })).toBe(0);
  });

  it('writes the contact’s changes and touch with the turn’s last statement, and neither when the lease was lost', async () => {
    const { contact } = await turns.start(who('patched'), new Date('2026-11-30T07:00:00.000Z'), new Date('2026-11-30T07:00:00.000Z'));
    const lost = await leased('patched', 'patch1');
    const wrote = new Date('2026-11-30T11:00:00.000Z');
    const change = { contactPatch: { role: 'parent', locale: 'en', subscribed: false }, touchAt: wrote };
    expect(await turns.finish(finishOf(lost, contact.id, { ...change, owner: 'someone-else' }))).toBe(false);
    expect(await db.prisma.contact.findUniqueOrThrow({ where: { id: contact.id } })).toMatchObject({ role: null, locale: 'vi', subscribed: true, lastInteractionAt: new Date('2026-11-30T07:00:00.000Z') });
    expect(await turns.finish(finishOf(lost, contact.id, change))).toBe(true);
    expect(await db.prisma.contact.findUniqueOrThrow({ where: { id: contact.id } })).toMatchObject({ role: 'parent', locale: 'en', subscribed: false, lastInteractionAt: wrote, classId: null });
  });

  it('reads a known contact and its conversation without writing, and nothing for an unknown one', async () => {
    const { contact } = await turns.start(who('reader'), new Date('2026-11-30T07:00:00.000Z'), new Date('2026-11-30T07:00:00.000Z'));
    const event = await leased('reader', 'read1');
    await turns.finish(finishOf(event, contact.id));
    const before = await db.prisma.contact.findUniqueOrThrow({ where: { id: contact.id } });
    const read = await turns.read(who('reader'));
    expect(read?.contact.id).toBe(contact.id);
    expect(read?.conversation).toMatchObject({ flowId: 'menu', stepId: 'main', data: { a: 1 } });
    expect(await db.prisma.contact.findUniqueOrThrow({ where: { id: contact.id } })).toEqual(before);
    expect(await turns.read(who('nobody'))).toBeNull();
    expect(await db.prisma.contact.count({ where: { userId: 'nobody' } })).toBe(0);
  });
});

describe('turn repository on the direct path (outside Prisma)', () => {
  it('reads and writes what the Prisma path does: UTC times, JSON state, replies in order, the lease fence', async () => {
    const direct = new TurnRepo(db.prisma, db.direct);
    const prismaPath = new TurnRepo(db.prisma);
    const { contact } = await prismaPath.start(who('direct-1'), new Date('2026-11-30T07:00:00.000Z'), new Date('2026-11-30T07:00:00.000Z'));
    const event = await leased('direct-1', 'direct-e1');
    const wrote = new Date('2026-11-30T23:30:00.123Z');
    const expiresAt = new Date('2026-12-01T01:02:03.456Z');
    const finish = finishOf(event, contact.id, {
      touchAt: wrote,
      contactPatch: { role: 'student' },
      conversation: { flowId: 'quiz', stepId: 'q2', version: 3, data: { score: 2, picked: ['a', 'b'], name: 'Nguyễn Văn Á' }, expiresAt },
    });
    expect(await direct.finish({ ...finish, owner: 'someone-else' })).toBe(false);
    expect(await direct.finish(finish)).toBe(true);
    const viaDirect = await direct.read(who('direct-1'));
    expect(viaDirect).toEqual(await prismaPath.read(who('direct-1')));
    expect(viaDirect?.contact).toMatchObject({ role: 'student', lastInteractionAt: wrote });
    expect(viaDirect?.conversation).toMatchObject({ flowId: 'quiz', stepId: 'q2', version: 3, data: { score: 2, picked: ['a', 'b'], name: 'Nguyễn Văn Á' }, expiresAt });
    const rows = await db.prisma.delivery.findMany({ where: { inboundEventId: event.id }, orderBy: { id: 'asc' } });
    expect(rows.map((r) => (r.message as { text: string }).text)).toEqual(['một', 'hai', 'ba']);
    expect(rows[0]?.notBefore).toEqual(finish.now);
    expect(await inbox.status(event.id)).toBe('done');
    expect(await direct.read(who('direct-nobody'))).toBeNull();
  });
});
