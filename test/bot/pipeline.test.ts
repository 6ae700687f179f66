import { randomBytes, randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel, OutboundDelivery } from '../../src/bot/channels/channel.js';
import { Dispatcher } from '../../src/bot/dispatcher.js';
import { InboxWorker } from '../../src/bot/inbox-worker.js';
import { Ingest } from '../../src/bot/ingest.js';
import { createContactKeyer, laneKeyOf } from '../../src/bot/log-keys.js';
import { Signals } from '../../src/bot/signals.js';
import { TurnProcessor } from '../../src/bot/turn-processor.js';
import { loadCatalogue } from '../../src/content/catalogue.js';
import { createFlowEngine } from '../../src/flows/index.js';
import type { Database } from '../../src/store/database.js';
import { seedDemoData } from '../../src/store/demo-seed.repo.js';
import { createRepos } from '../../src/store/repos.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { testTips } from '../helpers/tips.js';

const log = pino({ level: 'silent' });
const catalogue = loadCatalogue();
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  await seedDemoData(db.prisma);
});
afterAll(async () => {
  await db?.drop();
});

/** A channel that records every send, so duplicates would show. */
function recordingChannel(sent: OutboundDelivery[]): Channel {
  return {
    id: 'simulator',
    policy: () => ({ kind: 'send' }),
    async send(d) {
      sent.push(d);
      await new Promise((r) => setTimeout(r, Math.random() * 3));
      return { ok: true, outcome: 'sent' };
    },
  };
}

/** One replica: its own client (on PostgreSQL), its own worker and dispatcher, one owner id. */
function replica(database: Database, name: string, sent: OutboundDelivery[], leaseSeconds = 60) {
  const repos = createRepos(database.prisma);
  const signals = new Signals();
  const processor = new TurnProcessor({ prisma: database.prisma, engine: createFlowEngine({ ttlHours: 24 }), catalogue, log, tips: testTips(database.prisma), teacherInviteKey: randomBytes(32) });
  const worker = new InboxWorker({ inbox: repos.inbox, processor, signals, log, contactKey: createContactKeyer('test') }, { owner: name, concurrency: 6, leaseSeconds, pollIntervalMs: 20 });
  const dispatcher = new Dispatcher(
    { outbox: repos.outbox, channels: new Map([['simulator', recordingChannel(sent)]]), signals, log, contactKey: createContactKeyer('test') },
    { owner: name, concurrency: 6, leaseSeconds, pollIntervalMs: 20 },
  );
  return { repos, worker, dispatcher, ingest: new Ingest({ inbox: repos.inbox, signals }) };
}

function script(user: string, i: number) {
  // A conversation whose replies depend on the order of its messages.
  const steps = [{ kind: 'text', text: 'xin chào' }, { kind: 'payload', payload: 'ROLE:parent' }, { kind: 'text', text: 'NTT-6A1' }, { kind: 'text', text: 'tin' }];
  return {
    channel: 'simulator',
    accountId: 'zalo',
    dedupeKey: `${user}:${i}:${randomUUID()}`,
    laneKey: laneKeyOf('simulator', 'zalo', user),
    payload: { userId: user, input: steps[i % steps.length] },
  };
}

async function until(check: () => Promise<boolean>, what: string, ms = 60_000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('pipeline with two replicas on one database', () => {
  it('processes every event exactly once, in order per contact, and sends every reply exactly once', async () => {
    const second = db.url ? await db.openAnother() : db; // PGlite: one connection, two replicas in one process
    const sent: OutboundDelivery[] = [];
    const a = replica(db, 'replica-a', sent);
    const b = replica(second, 'replica-b', sent);
    const users = Array.from({ length: 12 }, (_, i) => `pipe-${i}`);
    for (const r of [a, b]) {
      r.worker.start();
      r.dispatcher.start();
    }
    // Both replicas receive webhooks: each contact's 4 messages arrive in order, spread over the two.
    for (let i = 0; i < 4; i++) {
      await Promise.all(users.map((u, k) => ((k + i) % 2 ? a : b).ingest.store([script(u, i)])));
    }
    await until(async () => (await a.repos.inbox.countByStatus()).done === users.length * 4, 'all events done');
    await until(async () => {
      const c = await a.repos.outbox.countByStatus();
      return c.pending + c.sending === 0;
    }, 'all deliveries sent');
    await Promise.all([a.worker.stop(), a.dispatcher.stop(), b.worker.stop(), b.dispatcher.stop()]);

    const deliveries = await db.prisma.delivery.findMany({ where: { recipient: { in: users } } });
    expect(deliveries.every((d) => d.status === 'sent')).toBe(true);
    // Exactly once: every delivery id was sent one time.
    const ids = sent.map((d) => String(d.id));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(deliveries.length);
    // In order: had any contact's events run out of order, "NTT-6A1" would not have linked the class.
    const contacts = await db.prisma.contact.findMany({ where: { userId: { in: users } }, include: { class: true, conversation: true } });
    expect(contacts).toHaveLength(users.length);
    for (const c of contacts) {
      expect([c.role, c.class?.code, c.conversation?.flowId]).toEqual(['parent', 'NTT-6A1', 'content']);
    }
    // And each person's messages went out in the order they were written.
    for (const u of users) {
      const mine = sent.filter((d) => d.recipient === u).map((d) => d.id);
      expect(mine).toEqual([...mine].sort((x, y) => (x < y ? -1 : 1)));
    }
    // Processed payloads are gone; dedupe keys stay.
    const events = await db.prisma.inboundEvent.findMany({ where: { laneKey: { in: users.map((u) => laneKeyOf('simulator', 'zalo', u)) } } });
    expect(events.every((e) => e.payload === null && e.dedupeKey.length > 0)).toBe(true);
  });

  it('finishes events a crashed replica had leased once the lease expires, and unsticks its deliveries', async () => {
    const sent: OutboundDelivery[] = [];
    const dead = replica(db, 'dead', sent);
    await dead.ingest.store([script('crash-1', 0), script('crash-2', 0)]);
    // The dead replica claimed both events and one delivery, then vanished without releasing anything.
    await dead.repos.inbox.claim('dead', 10, 1);
    await dead.repos.outbox.enqueue([{ contactId: null, channel: 'simulator', accountId: 'zalo', recipient: 'crash-3', laneKey: 'crash-3', message: { type: 'text', text: 'x' } }]);
    await dead.repos.outbox.claim('dead', 10, 1, 'simulator');
    const alive = replica(db, 'alive', sent);
    alive.worker.start();
    alive.dispatcher.start();
    await until(async () => {
      const rows = await db.prisma.inboundEvent.findMany({ where: { laneKey: { in: ['crash-1', 'crash-2'].map((u) => laneKeyOf('simulator', 'zalo', u)) } } });
      return rows.every((r) => r.status === 'done');
    }, 'leased events to be taken over');
    await until(async () => (await db.prisma.delivery.count({ where: { status: { in: ['pending', 'sending'] } } })) === 0, 'deliveries');
    await Promise.all([alive.worker.stop(), alive.dispatcher.stop()]);
    expect(sent.map((d) => d.recipient)).toEqual(expect.arrayContaining(['crash-1', 'crash-2', 'crash-3']));
  });

  it('rolls back a turn whose lease was lost meanwhile: its effects happen once, in the replica that holds the lease', async () => {
    const r = replica(db, 'slow', []);
    await r.ingest.store([script('lost-1', 0)]);
    const [mine] = await r.repos.inbox.claim('slow', 1, 60);
    // The lease expires (a long pause) and another replica takes the event over.
    await db.prisma.inboundEvent.update({ where: { id: mine!.id }, data: { leaseUntil: new Date(Date.now() - 1) } });
    const [theirs] = await r.repos.inbox.claim('fast', 1, 60);
    const processor = new TurnProcessor({ prisma: db.prisma, engine: createFlowEngine({ ttlHours: 24 }), catalogue, log, tips: testTips(db.prisma), teacherInviteKey: randomBytes(32) });
    expect(await processor.process(mine!, 'slow')).toEqual({ ok: false, reason: 'lease_lost' });
    expect(await db.prisma.delivery.count({ where: { inboundEventId: mine!.id } })).toBe(0);
    expect(await processor.process(theirs!, 'fast')).toMatchObject({ ok: true });
    expect(await db.prisma.delivery.count({ where: { inboundEventId: mine!.id } })).toBeGreaterThan(0);
  });

  it('finishes the turns in flight when stopped, then holds no lease', async () => {
    const sent: OutboundDelivery[] = [];
    const r = replica(db, 'stopping', sent);
    await r.ingest.store(['stop-1', 'stop-2', 'stop-3'].map((u) => script(u, 0)));
    r.worker.start();
    await until(async () => (await db.prisma.inboundEvent.count({ where: { leaseOwner: 'stopping' } })) > 0 || (await r.repos.inbox.countByStatus()).pending === 0, 'a claim');
    await r.worker.stop();
    const rows = await db.prisma.inboundEvent.findMany({ where: { laneKey: { in: ['stop-1', 'stop-2', 'stop-3'].map((u) => laneKeyOf('simulator', 'zalo', u)) } } });
    expect(rows.every((e) => e.status === 'done' || (e.status === 'pending' && e.leaseOwner === null))).toBe(true);
    expect(await db.prisma.inboundEvent.count({ where: { leaseOwner: 'stopping' } })).toBe(0);
  });

  it('returns its leases on a graceful stop so another replica can go on at once', async () => {
    const sent: OutboundDelivery[] = [];
    const r = replica(db, 'leaving', sent);
    await r.ingest.store([script('leave-1', 0)]);
    await r.repos.inbox.claim('leaving', 10, 600);
    await r.worker.stop();
    expect(await db.prisma.inboundEvent.count({ where: { leaseOwner: 'leaving' } })).toBe(0);
    expect((await r.repos.inbox.claim('next', 10, 60)).length).toBe(1);
  });
});
