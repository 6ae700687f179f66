import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PGliteThread } from '../../../src/store/embedded/pglite-proxy.js';
import { InboxRepo } from '../../../src/store/inbox.repo.js';
import { eventually } from '../../helpers/channels.js';
import { createTestDatabase, PG_URL, type TestDatabase } from '../../helpers/db.js';

// PGlite has one connection: a turn's transaction holds it. A webhook's insert must not wait behind the turns queued
// after the one running, only behind the running one. The database's own sequence records the order things ran in.
describe.skipIf(PG_URL)('embedded database: ingest goes first', () => {
  let db: TestDatabase;
  const posted: string[] = [];
  beforeAll(async () => {
    db = await createTestDatabase();
    // Counts the calls that reached the thread, so the test knows the turns are queued there (no clock involved).
    const thread = db.adapterFactory as PGliteThread;
    const call = thread.call.bind(thread);
    thread.call = ((c: Parameters<typeof call>[0]) => {
      posted.push(c.op);
      return call(c);
    }) as typeof thread.call;
  });
  afterAll(async () => {
    await db?.drop();
  });

  const insertAs = (key: string) =>
    db.prisma.$executeRaw`INSERT INTO "InboundEvent" ("channel", "accountId", "dedupeKey", "laneKey", "payload") VALUES ('simulator', 'zalo', ${key}, ${key}, '{}'::jsonb)`;

  it('stores a webhook right after the running transaction, ahead of every transaction queued before it', async () => {
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let holding!: () => void;
    const held = new Promise<void>((r) => (holding = r));
    const running = db.prisma.$transaction(async (tx) => {
      await tx.$executeRaw`INSERT INTO "InboundEvent" ("channel", "accountId", "dedupeKey", "laneKey", "payload") VALUES ('simulator', 'zalo', 'running', 'running', '{}'::jsonb)`;
      holding();
      await released;
    });
    await held;
    const beginsBefore = posted.filter((op) => op === 'begin').length;
    const turns = Array.from({ length: 10 }, (_, i) =>
      db.prisma.$transaction(async (tx) => {
        await tx.$executeRaw`INSERT INTO "InboundEvent" ("channel", "accountId", "dedupeKey", "laneKey", "payload") VALUES ('simulator', 'zalo', ${`turn-${i}`}, ${`turn-${i}`}, '{}'::jsonb)`;
      }),
    );
    await eventually(() => posted.filter((op) => op === 'begin').length === beginsBefore + 10, 'the ten turns to wait in the thread');
    const webhook = new InboxRepo(db.prisma, db.ingestQuery).insertMany([{ channel: 'simulator', accountId: 'zalo', dedupeKey: 'webhook', laneKey: 'webhook', payload: {} }]);
    await eventually(() => posted.includes('ingest'), 'the webhook insert to reach the thread');
    // Any other autocommit statement keeps its place in the queue, behind the turns.
    const plain = insertAs('plain');
    release();
    await Promise.all([running, webhook, plain, ...turns]);

    const rows = await db.prisma.inboundEvent.findMany({ orderBy: { id: 'asc' }, select: { dedupeKey: true } });
    expect(rows.map((r) => r.dedupeKey)).toEqual(['running', 'webhook', ...Array.from({ length: 10 }, (_, i) => `turn-${i}`), 'plain']);
  });
});
