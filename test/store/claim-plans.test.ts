import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InboxRepo } from '../../src/store/inbox.repo.js';
import { OutboxRepo } from '../../src/store/outbox.repo.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

// The claims run on every turn and every send: their plans must stay index-driven however large the tables grow
// (the inbox keeps every event's dedupe key; the outbox its history). Measured before: joined as a table, the
// outbox claim's UPDATE hash-joined a full scan of "Delivery" at 8 000 rows; the inbox claim walked the primary key
// from the oldest event, done ones included.
const ROWS = 20_000;

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  await db.prisma.$executeRawUnsafe(`
    INSERT INTO "Delivery" ("channel", "accountId", "recipient", "laneKey", "message", "status", "kind", "notBefore")
    SELECT 'messenger', 'page', 'r' || (g % 2000), 'messenger:page:r' || (g % 2000), '{"type":"text","text":"x"}'::jsonb,
      CASE WHEN g % 4 = 0 THEN 'pending' ELSE 'sent' END, CASE WHEN g % 3 = 0 THEN 'bulk' ELSE 'reply' END, now()
    FROM generate_series(1, ${ROWS}) g`);
  await db.prisma.$executeRawUnsafe(`
    INSERT INTO "InboundEvent" ("channel", "accountId", "dedupeKey", "laneKey", "payload", "status")
    SELECT 'messenger', 'page', 'm_' || g, 'messenger:page:r' || (g % 2000), '{}'::jsonb, CASE WHEN g > ${ROWS - 2000} THEN 'pending' ELSE 'done' END
    FROM generate_series(1, ${ROWS}) g`);
  await db.prisma.$executeRawUnsafe('ANALYZE "Delivery"');
  await db.prisma.$executeRawUnsafe('ANALYZE "InboundEvent"');
}, 120_000);
afterAll(async () => {
  await db?.drop();
});

const fullScans = (plan: string, table: string) => plan.split('\n').filter((line) => line.includes(`Seq Scan on "${table}"`));

describe('claim plans at depth', () => {
  it(`the outbox claim reads "Delivery" through its indexes at ${ROWS} rows`, async () => {
    const plan = await new OutboxRepo(db.prisma).explainClaimStatement(75, 'messenger');
    expect(plan).toContain('Delivery_pkey');
    expect(fullScans(plan, 'Delivery')).toEqual([]);
  });

  it(`the inbox claim finds pending events by their status, not by walking ${ROWS - 2000} done ones`, async () => {
    const plan = await new InboxRepo(db.prisma).explainClaimStatement(16);
    // Before: an index scan of the primary key from the oldest event, filtering on the status row by row.
    expect(plan).toMatch(/Index Cond: \(status = 'pending'::text\)/);
    expect(plan).toMatch(/Index Cond: \(status = 'processing'::text\)/);
    expect(fullScans(plan, 'InboundEvent')).toEqual([]);
  });
});
