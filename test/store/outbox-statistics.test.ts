import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboxRepo } from '../../src/store/outbox.repo.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

// Found by a 30-minute soak on the embedded database (no autovacuum): the outbox's statistics were last refreshed
// after the broadcast's expansion, when nearly every row was a pending campaign row. As replies piled up, the claim
// kept planning for that table and checked each due reply's lane by walking the lane's whole history (7–10 ms a lane
// at 58 000 rows, reply latency p50 from 60 to 170 ms over the half hour). Refreshed, the check is one probe.
const LANES = 50;
const HISTORY = 100;

let db: TestDatabase;
let outbox: OutboxRepo;

/** Replies number `from` to `to` (exclusive) of every chat lane, with the given status. */
async function replies(from: number, to: number, status: string): Promise<void> {
  await db.prisma.$executeRawUnsafe(`
    INSERT INTO "Delivery" ("channel", "accountId", "recipient", "laneKey", "message", "status", "kind", "notBefore")
    SELECT 'messenger', 'page', 'r' || l, 'messenger:page:r' || l, ('{"type":"text","text":"' || repeat('x', 100) || '"}')::jsonb, '${status}', 'reply', now()
    FROM generate_series(${from}, ${to - 1}) n, generate_series(1, ${LANES}) l ORDER BY n, l`);
}
beforeAll(async () => {
  db = await createTestDatabase();
  outbox = new OutboxRepo(db.prisma);
  // A minute of chat, then a broadcast to 3 000 recipients, expanded: its statistics refreshed as the expansion does.
  await replies(0, 10, 'sent');
  await db.prisma.$executeRawUnsafe(`
    INSERT INTO "Delivery" ("channel", "accountId", "recipient", "laneKey", "message", "status", "kind", "notBefore")
    SELECT 'messenger', 'page', 'b' || g, 'messenger:page:b' || g, '{"type":"text","text":"x"}'::jsonb, 'pending', 'bulk', now()
    FROM generate_series(1, 3000) g`);
  await outbox.refreshStatistics();
  // Then the broadcast sent and a long chat: every lane's history sent, one reply due in each.
  await db.prisma.$executeRawUnsafe(`UPDATE "Delivery" SET "status" = 'sent'`);
  await replies(10, HISTORY, 'sent');
  await replies(HISTORY, HISTORY + 1, 'pending');
}, 600_000);
afterAll(async () => {
  await db?.drop();
});

/**
 * Scans of "Delivery" that do not find rows by their status: a sequential scan, or an index scan whose own condition
 * (the lines of that plan node, up to its first child) names no status, i.e. a walk through sent rows.
 */
function scansWithoutStatus(plan: string): string[] {
  const lines = plan.split('\n');
  const indent = (l: string) => l.search(/\S/);
  return lines.flatMap((line, i) => {
    if (/Seq Scan on "Delivery"/.test(line)) return [line.trim()];
    if (!/(Index|Index Only|Bitmap Heap) Scan (using "\w+" )?on "Delivery"/.test(line)) return [];
    const own: string[] = [];
    for (const next of lines.slice(i + 1)) {
      if (next.includes('->') || indent(next) <= indent(line)) break;
      own.push(next);
    }
    // A bitmap heap scan's condition is its index scan's, one node down.
    const cond = own.find((l) => /Index Cond:|Recheck Cond:/.test(l)) ?? '';
    return /status = /.test(cond) ? [] : [`${line.trim()} / ${cond.trim() || 'no index condition'}`];
  });
}

describe('the outbox statistics refresh', () => {
  it('keeps the claim checking a lane with one index probe on its pending rows, not a walk through its history', async () => {
    const stale = await outbox.explainClaim('reply', 'messenger', 4);
    // The soak's state, reproduced: each lane checked through "laneKey" and "id" alone, its sent rows filtered one by
    // one (PostgreSQL's autovacuum may refresh the statistics meanwhile, so this is checked on the embedded one only).
    if (db.kind === 'embedded') expect(scansWithoutStatus(stale)).toEqual([expect.stringContaining('Delivery_laneKey_id_idx')]);
    await outbox.refreshStatistics();
    const plan = await outbox.explainClaim('reply', 'messenger', 4);
    expect(scansWithoutStatus(plan)).toEqual([]);
  });

  it('samples only the claim columns, whose statistics target is small (the messages are never read for it)', async () => {
    const rows = await db.prisma.$queryRawUnsafe<{ attname: string; target: number | null }[]>(`
      SELECT attname, attstattarget::int AS target FROM pg_attribute
      WHERE attrelid = '"Delivery"'::regclass AND attname IN ('status', 'kind', 'channel', 'notBefore', 'laneKey', 'id', 'message') ORDER BY attname`);
    const target = Object.fromEntries(rows.map((r) => [r.attname, r.target]));
    expect([target.channel, target.id, target.kind, target.laneKey, target.notBefore, target.status]).toEqual([10, 10, 10, 10, 10, 10]);
    // The default (PostgreSQL 15 shows -1, 17 null): the whole-table ANALYZE of autovacuum keeps its usual sample.
    expect([-1, null]).toContain(target.message);
  });
});
