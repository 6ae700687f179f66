// npm run bench:claim: the outbox claim at depth. Fills Delivery with BENCH_CLAIM_ROWS rows (default 1 000 000: mostly
// sent history, 100 000 campaign rows pending of which half not due yet, 24 000 replies for 2 000 contacts), prints
// the claim's EXPLAIN ANALYZE, then times claims of 32 rows (each followed by recording them sent) until the replies
// are drained. Embedded database, or a fresh PostgreSQL schema when DATABASE_URL is set. Figures, never pass/fail;
// written to bench/results/claim-<timestamp>.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { OutboxRepo } from '../src/store/outbox.repo.js';
import { createTestDatabase } from '../test/helpers/db.js';
import { percentile } from './stats.js';

const ROWS = Number(process.env.BENCH_CLAIM_ROWS ?? 1_000_000);
const REPLY_LANES = 2_000;
const REPLIES_PER_LANE = 12;
const BULK = Math.min(100_000, Math.floor(ROWS / 5));
const BATCH = 32;

async function main(): Promise<void> {
  const db = await createTestDatabase();
  const label = db.url ? 'postgres' : 'embedded';
  try {
    const replies = REPLY_LANES * REPLIES_PER_LANE;
    const history = Math.max(0, ROWS - BULK - replies);
    const t0 = Date.now();
    // History: sent rows of past conversations and campaigns, ~175 per lane, on the same lanes as the pending replies.
    await db.prisma.$executeRawUnsafe(`
      INSERT INTO "Delivery" ("channel", "accountId", "recipient", "laneKey", "message", "status", "outcome", "kind", "sentAt", "createdAt", "notBefore")
      SELECT 'messenger', 'page', 'r' || (g % 5000), 'messenger:page:r' || (g % 5000), '{"type":"text","text":"old"}'::jsonb, 'sent', 'sent',
        CASE WHEN g % 3 = 0 THEN 'bulk' ELSE 'reply' END, now() - interval '1 day', now() - interval '1 day', now() - interval '1 day'
      FROM generate_series(1, ${history}) g`);
    // Campaign rows: half due now, half deferred to tomorrow morning (quiet hours).
    await db.prisma.$executeRawUnsafe(`
      INSERT INTO "Delivery" ("channel", "accountId", "recipient", "laneKey", "message", "kind", "idempotencyKey", "notBefore")
      SELECT 'messenger', 'page', 'u' || g, 'messenger:page:u' || g, '{"type":"text","text":"campaign"}'::jsonb, 'bulk', 'b:' || g,
        CASE WHEN g % 2 = 0 THEN now() + interval '10 hours' ELSE now() - interval '1 minute' END
      FROM generate_series(1, ${BULK}) g`);
    // The replies, interleaved across lanes as turns write them.
    await db.prisma.$executeRawUnsafe(`
      INSERT INTO "Delivery" ("channel", "accountId", "recipient", "laneKey", "message", "notBefore")
      SELECT 'messenger', 'page', 'r' || (g % ${REPLY_LANES}), 'messenger:page:r' || (g % ${REPLY_LANES}), '{"type":"text","text":"reply"}'::jsonb, now() - interval '1 second'
      FROM generate_series(1, ${replies}) g`);
    await db.prisma.$executeRawUnsafe(`ANALYZE "Delivery"`);
    const fillMs = Date.now() - t0;
    console.log(`outbox claim on ${label}: ${ROWS} rows (${history} sent, ${BULK} campaign pending, ${replies} replies for ${REPLY_LANES} contacts), filled in ${(fillMs / 1000).toFixed(1)} s`);

    const outbox = new OutboxRepo(db.prisma);
    const planText = await outbox.explainClaim('reply', 'messenger', BATCH);
    console.log(planText);
    // The whole statement the dispatcher runs (both kinds, then the UPDATE by primary key), as planned at this depth.
    const statementPlan = await outbox.explainClaimStatement(BATCH, 'messenger');
    console.log('\nthe claim statement as the dispatcher runs it (EXPLAIN):');
    console.log(statementPlan);

    const claimMs: number[] = [];
    let claimedReplies = 0;
    let claimedBulk = 0;
    const drainStart = Date.now();
    while (claimedReplies < replies) {
      const s = process.hrtime.bigint();
      const rows = await outbox.claim('bench', BATCH, 60, 'messenger');
      claimMs.push(Number(process.hrtime.bigint() - s) / 1e6);
      if (rows.length === 0) break;
      for (const r of rows) {
        if (r.kind === 'reply') claimedReplies++;
        else claimedBulk++;
      }
      await db.prisma.delivery.updateMany({ where: { id: { in: rows.map((r) => r.id) } }, data: { status: 'sent', outcome: 'sent', leaseOwner: null, leaseUntil: null } });
    }
    const drainMs = Date.now() - drainStart;
    const sorted = [...claimMs].sort((a, b) => a - b);
    const figures = {
      database: label,
      rows: ROWS,
      claims: claimMs.length,
      claimMs: { p50: round(percentile(sorted, 0.5)), p90: round(percentile(sorted, 0.9)), p99: round(percentile(sorted, 0.99)), max: round(sorted.at(-1) ?? 0) },
      repliesClaimed: claimedReplies,
      bulkClaimedBeforeRepliesDrained: claimedBulk,
      repliesPerSecondClaimed: Math.round((claimedReplies / drainMs) * 1000),
    };
    console.log(`claims of ${BATCH}: p50 ${figures.claimMs.p50} ms, p90 ${figures.claimMs.p90} ms, p99 ${figures.claimMs.p99} ms, max ${figures.claimMs.max} ms over ${figures.claims} claims`);
    console.log(`replies claimed ${claimedReplies} (${figures.repliesPerSecondClaimed}/s claim ceiling, with recording), campaign rows claimed meanwhile ${claimedBulk}`);
    const dir = path.join(import.meta.dirname, 'results');
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `claim-${label}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, JSON.stringify({ ...figures, plan: planText, statementPlan }, null, 2) + '\n');
    console.log(`written to ${path.relative(process.cwd(), file)}`);
  } finally {
    await db.drop();
  }
}

const round = (n: number) => Math.round(n * 100) / 100;

await main();
