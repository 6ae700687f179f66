import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InboxRepo } from '../../src/store/inbox.repo.js';
import { OutboxRepo } from '../../src/store/outbox.repo.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

// The claims run on every turn and every send: their plans must stay index-driven however large the tables grow
// (the inbox keeps every event's dedupe key; the outbox its history). Measured before: joined as a table, the
// outbox claim's UPDATE hash-joined a full scan of "Delivery" at 8 000 rows.
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
    SELECT 'messenger', 'page', 'm_' || g, 'messenger:page:r' || (g % 2000), '{}'::jsonb, CASE WHEN g % 10 = 0 THEN 'pending' ELSE 'done' END
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

  it(`the inbox claim reads "InboundEvent" through its indexes at ${ROWS} rows`, async () => {
    const plan = await new InboxRepo(db.prisma).explainClaimStatement(16);
    expect(plan).toContain('InboundEvent_pkey');
    expect(fullScans(plan, 'InboundEvent')).toEqual([]);
  });
});
