// npm run bench: prints figures and ratios for DESIGN.md §7 (no pass/fail on time).
//   1. Webhook ingest: bare node:http verify-only, express 5 verify-only, and the real app (verify, parse, persist,
//      then ack), side by side, each for BENCH_SECONDS at BENCH_CONNECTIONS; then the stored rows are counted.
//   2. Turn latency: BENCH_CONTACTS contacts each holding a 3-message conversation; receivedAt → first outbox row.
//      Paced, then saturated; during the saturated run a separate open-loop stream of BENCH_INGEST_RPS webhooks/s
//      from other senders (the load generator) measures ingest acks while turns run flat out.
//   3. RSS after each phase.
//   4. One webhook with BENCH_BATCH_ITEMS items: ack, /healthz and event-loop delay until every turn ran.
//   5. Drain: BENCH_DRAIN_ROWS replies (default 24 000) for BENCH_DRAIN_CONTACTS contacts (default 2 000, window open)
//      queued through the outbox repository; a dispatcher wired like the app's sends them to the Send API double at
//      MESSENGER_RATE_PER_SECOND = BENCH_DRAIN_RATE (default 250): sends/s against that rate, and every claim timed.
//   6. Priority: BENCH_PRIORITY_BULK campaign rows (default 20 000, idempotency keys) behind a slow rate limit
//      (BENCH_PRIORITY_RATE, default 40/s), then BENCH_PRIORITY_REPLIES replies (default 100) 600 ms apart, so they
//      stay within the replies' reserve of each second's slots; each reply's dispatch latency, Delivery.createdAt →
//      the double receiving the send, with a dispatcher wired like the app's (its claims timed: the wait splits into
//      "until the claim returned the reply" and "claim → send"), and the event loop's delay meanwhile.
//   7. Expansion: one broadcast to BENCH_EXPANSION_RECIPIENTS parents of one class (default 100 000) written into the
//      outbox in the app's chunks (seconds, rows/s; §7 target ≤ 5 s on PostgreSQL); on the embedded database an
//      open-loop stream of BENCH_INGEST_RPS webhooks/s from other senders meanwhile (ack p99).
//   9. Console (PostgreSQL only): a province (300 schools, 10 000 classes, 500 000 contacts, 1 000 000 outbox rows) seeded
//      into a database of its own (bench/console-province.ts), then the dashboard of an office admin and of a school,
//      the tips inbox and the periodic report, 20 runs each: median and p95 server time (target < 200 ms); and the
//      dashboard page itself, GET /admin through HTTP signed in as the office admin and as a school admin.
// BENCH_PHASES=ingest,turns,batch,drain,priority,expansion,broadcast,console picks phases (default all). BENCH_DIAGNOSE=0 skips case c0 (the app
// with worker and dispatcher off). BENCH_LOG_LEVEL=silent mutes the app.
// The app runs on the embedded database, or on a fresh PostgreSQL schema when DATABASE_URL is set.
// Every server listens on 127.0.0.1; the load generator is a child process (bench/load-client.ts).
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeDatabase, MESSENGER_APP_SECRET, startBenchApp, type BenchApp } from './bench-app.js';
import { startBareServer, startExpressServer } from './ceilings.js';
import { runLoad, startLoad, type LoadRun, type LoadSpec } from './load.js';
import { ratio, row, rssMb } from './stats.js';
import { runTurns, type TurnResult } from './turns.js';
import { runBatch } from './batch.js';
import { runDrain } from './drain.js';
import { runPriority } from './priority.js';
import { runExpansion } from './expansion.js';
import { runBroadcastDispatch } from './broadcast-dispatch.js';
import { runConsoleProvince } from './console-province.js';

function num(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
}

const SECONDS = num('BENCH_SECONDS', 8);
const WARMUP_SECONDS = num('BENCH_WARMUP_SECONDS', 1);
const CONNECTIONS = Math.round(num('BENCH_CONNECTIONS', 50));
const CONTACTS = Math.round(num('BENCH_CONTACTS', 200));
// Each turn-latency run stops sending after this long (what was sent is still measured).
const TURN_DEADLINE_SECONDS = num('BENCH_TURN_DEADLINE_SECONDS', 30);
const LOG_LEVEL = process.env.BENCH_LOG_LEVEL === 'silent' ? 'silent' : 'warn';
// Also load the app with worker and dispatcher off, to separate the ingest path from the turns competing with it.
const DIAGNOSE = process.env.BENCH_DIAGNOSE !== '0';
// Which phases to run: BENCH_PHASES=ingest,turns,batch,drain,priority,expansion,broadcast,console (default all).
const PHASES = new Set((process.env.BENCH_PHASES ?? 'ingest,turns,batch,drain,priority,expansion,broadcast,console').split(',').map((p) => p.trim()));
const BATCH_ITEMS = Math.round(num('BENCH_BATCH_ITEMS', 2000));
// Webhooks per second from other senders while the saturated turn run goes.
const INGEST_RPS = num('BENCH_INGEST_RPS', 50);
const DRAIN_ROWS = Math.round(num('BENCH_DRAIN_ROWS', 24_000));
const DRAIN_CONTACTS = Math.round(num('BENCH_DRAIN_CONTACTS', 2_000));
const DRAIN_RATE = Math.round(num('BENCH_DRAIN_RATE', 250));
const PRIORITY_BULK = Math.round(num('BENCH_PRIORITY_BULK', 20_000));
const PRIORITY_RATE = Math.round(num('BENCH_PRIORITY_RATE', 40));
const PRIORITY_REPLIES = Math.round(num('BENCH_PRIORITY_REPLIES', 100));
const EXPANSION_RECIPIENTS = Math.round(num('BENCH_EXPANSION_RECIPIENTS', 100_000));
// Phase 8: one broadcast expanded and sent at this Messenger rate against the Send API double.
const BROADCAST_RECIPIENTS = Math.round(num('BENCH_BROADCAST_RECIPIENTS', 10_000));
const BROADCAST_RATE = Math.round(num('BENCH_BROADCAST_RATE', 250));
// A hard stop, whatever happens: the bench is meant to take five to seven minutes on one database.
const HARD_LIMIT_MS = 15 * 60_000;

const rss: [string, number][] = [];
// Every figure by name (e.g. `ingest.postgres.ratioToExpress`), written to bench/results/<timestamp>.json at the end.
const DB_LABEL = process.env.DATABASE_URL ? 'postgres' : 'embedded';
const figures: Record<string, number | string> = {};
const record = (name: string, value: number | string) => {
  figures[`${name.split('.')[0]}.${DB_LABEL}.${name.split('.').slice(1).join('.')}`] = value;
};
const noteRss = (phase: string) => {
  const mb = rssMb();
  rss.push([phase, mb]);
  console.log(`  RSS after ${phase}: ${mb} MB`);
};

function loadSpec(port: number, runTag: string, pageId: string): LoadSpec {
  return {
    port,
    connections: CONNECTIONS,
    warmupMs: WARMUP_SECONDS * 1000,
    durationMs: SECONDS * 1000,
    secret: MESSENGER_APP_SECRET,
    pageId,
    runTag,
    timeoutMs: 30_000,
  };
}

const W = [40, 7, 7, 7, 7, 7, 8, 7, 22];
function printLoadHeader(): void {
  console.log(row(['case', 'req/s', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'non-2xx', 'errors', 'CPU server/client/rest'], W));
}
function printLoad(name: string, r: LoadRun): void {
  const cpu = `${r.cpu.server.toFixed(2)}/${r.cpu.client.toFixed(2)}/${r.cpu.other.toFixed(2)}`;
  console.log(row([name, r.rps, r.latencyMs.p50, r.latencyMs.p90, r.latencyMs.p99, r.latencyMs.max, r.measured.non2xx, r.total.errors + r.total.timeouts, cpu], W));
}

/** Loads one fresh app, then checks that every 2xx answer left a stored row. */
async function loadApp(label: string, runTag: string, background: boolean): Promise<{ result: LoadRun; notes: string[] }> {
  let bench: BenchApp | undefined;
  const notes: string[] = [];
  try {
    bench = await startBenchApp(LOG_LEVEL, background);
    console.log(`  ${label}: database ${describeDatabase(bench.db)}; worker + dispatcher ${background ? 'on' : 'OFF'}; Send API double on ${bench.double.url}`);
    const before = await countMessengerEvents(bench);
    const result = await runLoad(loadSpec(bench.app.port, runTag, bench.pageId));
    const after = await countMessengerEvents(bench);
    const stored = after.rows - before.rows;
    const acked = result.total.ok;
    const lost = result.total.errors + result.total.timeouts;
    const verdict =
      stored === acked ? 'equal' : stored > acked && stored - acked <= lost ? `differ by ${stored - acked}, within the ${lost} requests whose answer was lost` : 'MISMATCH';
    notes.push(`${label}: persisted before ack: InboundEvent rows stored = ${stored}, 2xx answers (warm-up + measured) = ${acked} → ${verdict}`);
    if (background) {
      notes.push(`${label}: the worker finished ${after.done - before.done} of those ${stored} turns during the run (${after.deliveries} outbox rows); ${after.rows - after.done} were still queued when the load stopped`);
    }
    noteRss(`${label} (running)`);
    return { result, notes };
  } finally {
    await bench?.close();
    noteRss(`${label} (stopped, database dropped)`);
  }
}

async function ingestPhase(): Promise<void> {
  console.log(`\n== 1. Webhook ingest: ${CONNECTIONS} connections, ${WARMUP_SECONDS} s warm-up + ${SECONDS} s measured per case, a new sender and mid in every request ==`);
  const pageId = '100000000000001';

  const bare = await startBareServer(MESSENGER_APP_SECRET);
  let a: LoadRun;
  try {
    a = await runLoad(loadSpec(bare.port, '1', pageId));
  } finally {
    await bare.close();
  }
  noteRss('a. node:http');

  const exp = await startExpressServer(MESSENGER_APP_SECRET);
  let b: LoadRun;
  try {
    b = await runLoad(loadSpec(exp.port, '2', pageId));
  } finally {
    await exp.close();
  }
  noteRss('b. express');

  const c = await loadApp('c. app', '3', true);
  const c0 = DIAGNOSE ? await loadApp('c0. app, background off', '4', false) : undefined;

  console.log('');
  printLoadHeader();
  printLoad('a. node:http, verify only', a);
  printLoad('b. express 5 + raw, verify only', b);
  printLoad('c. app: verify, parse, persist, ack', c.result);
  if (c0) printLoad('c0. app as c, worker+dispatcher OFF', c0.result);
  console.log(`  ratios: c/b = ${ratio(c.result.rps, b.rps)} (§7 target on PostgreSQL: ≥ 0.5), c/a = ${ratio(c.result.rps, a.rps)}, b/a = ${ratio(b.rps, a.rps)}` +
    (c0 ? `, c0/b = ${ratio(c0.result.rps, b.rps)}` : ''));
  record('ingest.bareRps', a.rps);
  record('ingest.expressRps', b.rps);
  record('ingest.appRps', c.result.rps);
  record('ingest.ratioToExpress', Number(ratio(c.result.rps, b.rps)));
  record('ingest.appP99Ms', c.result.latencyMs.p99);
  console.log(`  app p99 = ${c.result.latencyMs.p99} ms (§7 target: < 100 ms); status codes of the app in the measured window: ${JSON.stringify(c.result.measured.statuses)}`);
  for (const note of [...c.notes, ...(c0?.notes ?? [])]) console.log(`  ${note}`);
  console.log(`  CPU columns: cores busy during the run (${a.cpu.cores} in the machine): this process (servers${process.env.DATABASE_URL ? '' : ', embedded database'}) / load generator / rest (${process.env.DATABASE_URL ? 'PostgreSQL, ' : ''}other processes, OS)`);
  console.log(`  load generator RSS: ${[a, b, c.result, ...(c0 ? [c0.result] : [])].map((r) => `${r.clientRssMb} MB`).join(' / ')}`);
}

async function countMessengerEvents(bench: BenchApp): Promise<{ rows: number; done: number; deliveries: number }> {
  const [events] = await bench.db.prisma.$queryRaw<{ rows: number; done: number }[]>`
    SELECT count(*)::int AS "rows", (count(*) FILTER (WHERE "status" = 'done'))::int AS "done"
    FROM "InboundEvent" WHERE "channel" = 'messenger'`;
  const [deliveries] = await bench.db.prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS "n" FROM "Delivery"`;
  return { rows: events?.rows ?? 0, done: events?.done ?? 0, deliveries: deliveries?.n ?? 0 };
}

const TW = [44, 7, 7, 8, 8, 8, 8, 9];
const CONVERSATION_LABELS = ['1st (new contact)', '2nd', '3rd'];

function printTurns(name: string, r: TurnResult): void {
  console.log(row([name, r.events, r.withReply, r.latencyMs.p50, r.latencyMs.p90, r.latencyMs.p99, r.latencyMs.max, r.eventsPerSecond], TW));
  console.log(`    webhook ack as the contacts saw it: p50 ${r.ackMs.p50} ms, p99 ${r.ackMs.p99} ms, max ${r.ackMs.max} ms; wall time ${r.wallSeconds.toFixed(1)} s`);
  console.log(`    by step: ${r.byStep.map((s) => `${CONVERSATION_LABELS[s.step] ?? s.step} p50 ${s.p50} / p99 ${s.p99} ms (${s.events})`).join('; ')}`);
  if (r.webhookNon2xx || r.replyTimeouts || r.notSent || r.withReply < r.events) {
    console.log(`    ${r.webhookNon2xx} webhook non-2xx or no answer, ${r.replyTimeouts} replies not seen within the timeout, ${r.notSent} messages not sent (deadline ${TURN_DEADLINE_SECONDS} s), ${r.events - r.withReply} stored events without a reply`);
  }
}

async function turnPhase(): Promise<void> {
  console.log(`\n== 2. Turn latency: ${CONTACTS} contacts × 3 messages ('xin chào', payload ROLE:parent, 'NTT-6A1'), each sent after the previous reply reached the outbox ==`);
  let bench: BenchApp | undefined;
  const results: [string, TurnResult][] = [];
  let ingest: { run: LoadRun; stored: number; turnsInSpan: number } | undefined;
  try {
    bench = await startBenchApp(LOG_LEVEL);
    const { worker, dispatcher } = bench.app.config;
    console.log(`  app database: ${describeDatabase(bench.db)}; worker (concurrency ${worker.concurrency}) + dispatcher (concurrency ${dispatcher.concurrency}) on`);
    const base = { contacts: CONTACTS, replyTimeoutMs: 15_000, deadlineMs: TURN_DEADLINE_SECONDS * 1000 };
    results.push(['paced: 1 s ramp, think 0.5–1.5 s', await runTurns(bench, { ...base, tag: '1', rampMs: 1000, thinkMs: [500, 1500] })]);
    // Other senders keep writing while the saturated run goes: their acks are what Zalo and Meta would see.
    const stream = startLoad({ ...loadSpec(bench.app.port, '5', bench.pageId), connections: 100, warmupMs: 0, durationMs: TURN_DEADLINE_SECONDS * 1000, ratePerSecond: INGEST_RPS, timeoutMs: 10_000 });
    let saturated: TurnResult;
    try {
      saturated = await runTurns(bench, { ...base, tag: '2', rampMs: 0, thinkMs: [0, 0] });
    } finally {
      stream.stop();
    }
    results.push(['saturated: all at once, no think time', saturated]);
    ingest = { run: await stream.result, stored: await countLanes(bench, '%:75%'), turnsInSpan: await countTurnsIn(bench, saturated.span) };
    noteRss('2. turns (before stop)');
  } finally {
    await bench?.close();
  }
  noteRss('2. turns (stopped, database dropped)');
  console.log('');
  console.log(row(['run', 'events', 'replied', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'events/s'], TW));
  for (const [name, r] of results) printTurns(name, r);
  for (const [name, r] of results) {
    const key = name.startsWith('paced') ? 'paced' : 'saturated';
    record(`turns.${key}.p50Ms`, r.latencyMs.p50);
    record(`turns.${key}.p99Ms`, r.latencyMs.p99);
    record(`turns.${key}.eventsPerSecond`, r.eventsPerSecond);
    record(`turns.${key}.ackP99Ms`, r.ackMs.p99);
  }
  console.log('  latency = InboundEvent.receivedAt → createdAt of its first Delivery (millisecond timestamps); §7 target: p50 < 10 ms, p99 < 50 ms');
  console.log('  events/s = replied events / (last first-reply createdAt − first receivedAt); the paced run is bounded by its think time');
  console.log('  the latency starts once the event is stored: time spent waiting for the insert shows in the ack line, not in the columns');
  const paced = results.find(([name]) => name.startsWith('paced'))?.[1];
  const sat = results.find(([name]) => name.startsWith('saturated'))?.[1];
  if (paced) console.log(`  paced: p50 ${paced.latencyMs.p50} ms (§7 target on PostgreSQL: < 10 ms), p99 ${paced.latencyMs.p99} ms (target < 50 ms)`);
  if (sat) console.log(`  saturated: ${sat.eventsPerSecond} turns/s (§7 target: ≥ 500 on PostgreSQL, ≥ 150 embedded)`);
  if (ingest) {
    const { run: r, stored: ingestStored, turnsInSpan } = ingest;
    console.log(`  ingest during the saturated run: ${r.total.sent} webhooks from other senders, open loop at ${INGEST_RPS}/s (${r.rps}/s answered 2xx over ${r.measured.seconds.toFixed(1)} s), counted from each request's scheduled start:`);
    console.log(`    ack p50 ${r.latencyMs.p50} ms, p99 ${r.latencyMs.p99} ms (§7 target: < 1 s; Zalo's deadline 2 s), max ${r.latencyMs.max} ms; ${r.total.non2xx} non-2xx, ${r.total.errors} errors, ${r.total.timeouts} timeouts (10 s)`);
    console.log(`    persisted before ack: InboundEvent rows of these senders = ${ingestStored}, 2xx answers = ${r.total.ok} → ${ingestStored === r.total.ok ? 'equal' : 'MISMATCH'}; their turns ran beside the contacts' (not counted in the columns above)`);
    const spanSeconds = sat ? (sat.span.to - sat.span.from) / 1000 : 0;
    const allPerSecond = spanSeconds > 0 ? Math.round(turnsInSpan / spanSeconds) : 0;
    console.log(`    every turn the worker finished over the saturated run's span (contacts' and this stream's): ${turnsInSpan} in ${spanSeconds.toFixed(1)} s = ${allPerSecond} turns/s`);
    record('turns.saturated.allTurnsPerSecond', allPerSecond);
    record('turns.saturated.ingestRequests', r.total.sent);
    record('turns.saturated.ingestAckP50Ms', r.latencyMs.p50);
    record('turns.saturated.ingestAckP99Ms', r.latencyMs.p99);
    record('turns.saturated.ingestAckMaxMs', r.latencyMs.max);
    record('turns.saturated.ingestNon2xx', r.total.non2xx + r.total.errors + r.total.timeouts);
  }
}

/** Turns finished (InboundEvent.processedAt) within a span of epoch ms. */
async function countTurnsIn(bench: BenchApp, span: { from: number; to: number }): Promise<number> {
  if (!Number.isFinite(span.from) || !Number.isFinite(span.to)) return 0;
  const [r] = await bench.db.prisma.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS "n" FROM "InboundEvent" WHERE "processedAt" BETWEEN ${new Date(span.from)} AND ${new Date(span.to)}`;
  return r?.n ?? 0;
}

/** InboundEvent rows whose lane matches a LIKE pattern (one run's senders). */
async function countLanes(bench: BenchApp, pattern: string): Promise<number> {
  const [r] = await bench.db.prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS "n" FROM "InboundEvent" WHERE "laneKey" LIKE ${pattern}`;
  return r?.n ?? 0;
}

async function batchPhase(): Promise<void> {
  console.log(`\n== 4. One webhook with ${BATCH_ITEMS} items: ack, then /healthz every 50 ms and event-loop delay until every turn ran ==`);
  let bench: BenchApp | undefined;
  try {
    bench = await startBenchApp(LOG_LEVEL);
    const r = await runBatch(bench, BATCH_ITEMS, MESSENGER_APP_SECRET, 120_000);
    console.log(`  database: ${describeDatabase(bench.db)}`);
    console.log(`  ack: ${r.ackStatus} in ${r.ackMs} ms (Meta's deadline 5 s); ${r.processed} of ${r.items} turns done in ${(r.processedMs / 1000).toFixed(1)} s`);
    console.log(`  /healthz meanwhile: ${r.healthz.probes} probes, p50 ${r.healthz.p50} ms, p99 ${r.healthz.p99} ms, max ${r.healthz.max} ms, ${r.healthz.failed} failed (§7 target: < 100 ms)`);
    console.log(`  event-loop delay meanwhile: p99 ${r.loopDelayMs.p99} ms, max ${r.loopDelayMs.max} ms (§7 target: < 100 ms)`);
    record('batch.ackMs', r.ackMs);
    record('batch.healthzP99Ms', r.healthz.p99);
    record('batch.healthzMaxMs', r.healthz.max);
    record('batch.loopDelayP99Ms', r.loopDelayMs.p99);
    record('batch.loopDelayMaxMs', r.loopDelayMs.max);
    record('batch.processedSeconds', Math.round(r.processedMs / 100) / 10);
    noteRss('4. batch (before stop)');
  } finally {
    await bench?.close();
  }
}

async function drainPhase(): Promise<void> {
  console.log(`\n== 5. Drain: ${DRAIN_ROWS} replies queued for ${DRAIN_CONTACTS} contacts, Messenger rate limit ${DRAIN_RATE}/s, against the Send API double ==`);
  let bench: BenchApp | undefined;
  try {
    bench = await startBenchApp(LOG_LEVEL, false, { MESSENGER_RATE_PER_SECOND: String(DRAIN_RATE) });
    const giveUpMs = ((DRAIN_ROWS / DRAIN_RATE) * 3 + 60) * 1000;
    const r = await runDrain(bench, { rows: DRAIN_ROWS, contacts: DRAIN_CONTACTS, giveUpMs });
    console.log(`  database: ${describeDatabase(bench.db)}; dispatcher concurrency ${r.concurrency} (as the app's; app worker and dispatcher off); outbox filled in ${r.fillSeconds.toFixed(1)} s, then ANALYZE`);
    console.log(`  EXPLAIN ANALYZE of one reply claim of ${r.concurrency} rows at the full backlog: ${r.explainMs} ms`);
    console.log(`  the dispatcher's claim (both kinds, ${r.concurrency} rows) alone at the full backlog, 30 in a row on a quiet event loop: p50 ${r.probeMs.p50} ms, p99 ${r.probeMs.p99} ms, max ${r.probeMs.max} ms (§7 target: < 20 ms)`);
    console.log('');
    const DW = [36, 9, 9, 8, 8, 9, 9, 9, 9];
    console.log(row(['run', 'sent', 'seconds', 'sends/s', 'ratio', 'claims', 'p50 ms', 'p99 ms', 'max ms'], DW));
    console.log(row([`${r.rows} replies at ${r.ratePerSecond}/s`, r.sent, r.seconds.toFixed(1), r.sendsPerSecond, ratio(r.sendsPerSecond, r.ratePerSecond), r.claims, r.claimMs.p50, r.claimMs.p99, r.claimMs.max], DW));
    console.log(`  sends/s = Send API calls the double received / (last one − dispatcher start); ratio = sends/s ÷ ${r.ratePerSecond} (§7 target: ≥ 0.95)`);
    console.log(`  claim columns: each OutboxRepo.claim call of the dispatcher, timed around the call (lease recovery, reply and bulk claims), ${r.rowsPerClaim} rows per non-empty claim (§7 target: < 20 ms each); ${r.claimSeconds.toFixed(1)} s of the ${r.seconds.toFixed(1)} s were spent inside claims`);
    console.log(`  event-loop delay during the drain (sends, the double and claims share the loop): p50 ${r.loopDelayMs.p50} ms, p99 ${r.loopDelayMs.p99} ms, max ${r.loopDelayMs.max} ms`);
    console.log(`  the double received ${r.doubleCalls} sends of ${r.doubleDistinct} distinct messages; ${r.left} rows not sent${r.left > 0 ? ' (gave up: no progress for 30 s or past the time limit)' : ''}`);
    record('drain.rows', r.rows);
    record('drain.ratePerSecond', r.ratePerSecond);
    record('drain.seconds', Math.round(r.seconds * 10) / 10);
    record('drain.sendsPerSecond', r.sendsPerSecond);
    record('drain.ratioToLimit', Number(ratio(r.sendsPerSecond, r.ratePerSecond)));
    record('drain.notSent', r.left);
    record('drain.claims', r.claims);
    record('drain.claimP50Ms', r.claimMs.p50);
    record('drain.claimP99Ms', r.claimMs.p99);
    record('drain.claimMaxMs', r.claimMs.max);
    record('drain.claimExplainMs', r.explainMs);
    record('drain.claimAloneP50Ms', r.probeMs.p50);
    record('drain.claimAloneP99Ms', r.probeMs.p99);
    record('drain.eventLoopDelayP99Ms', r.loopDelayMs.p99);
    record('drain.claimSeconds', r.claimSeconds);
    noteRss('5. drain (before stop)');
  } finally {
    await bench?.close();
  }
}

async function priorityPhase(): Promise<void> {
  console.log(`\n== 6. Reply latency behind bulk: ${PRIORITY_BULK} campaign rows queued, Messenger rate limit ${PRIORITY_RATE}/s, then ${PRIORITY_REPLIES} replies 600 ms apart ==`);
  let bench: BenchApp | undefined;
  try {
    // The app without its own background work: the bench's dispatcher (wired as src/main.ts wires it) times its claims.
    bench = await startBenchApp(LOG_LEVEL, false, { MESSENGER_RATE_PER_SECOND: String(PRIORITY_RATE) });
    const r = await runPriority(bench, { bulk: PRIORITY_BULK, replies: PRIORITY_REPLIES, gapMs: 600, replyTimeoutMs: 30_000 });
    console.log(`  database: ${describeDatabase(bench.db)}; a dispatcher wired as the app's; each reply written through the outbox repository and signalled as a turn does`);
    console.log('');
    const PW = [36, 8, 8, 8, 8, 8];
    console.log(row(['latency (ms)', 'replies', 'sent', 'p50', 'p99', 'max'], PW));
    console.log(row(['createdAt → double received the send', r.replies, r.replied, r.dispatchMs.p50, r.dispatchMs.p99, r.dispatchMs.max], PW));
    console.log(row(['createdAt → sentAt recorded', r.replies, r.replied, r.sentAtMs.p50, r.sentAtMs.p99, r.sentAtMs.max], PW));
    console.log(row(['  of which: createdAt → claim returned', r.replies, r.replied, r.claimedMs.p50, r.claimedMs.p99, r.claimedMs.max], PW));
    console.log(row(['  the claim call itself', r.replies, r.replied, r.claimCallMs.p50, r.claimCallMs.p99, r.claimCallMs.max], PW));
    console.log(row(['  claim returned → double received', r.replies, r.replied, r.sendMs.p50, r.sendMs.p99, r.sendMs.max], PW));
    console.log(row(['event-loop delay meanwhile', '', '', r.loopDelayMs.p50, r.loopDelayMs.p99, r.loopDelayMs.max], PW));
    console.log(`  §7 target: p99 < 100 ms plus the send itself (the first row stops where the send starts)`);
    console.log(`  campaign rows sent meanwhile ${r.bulkSentMeanwhile} (the limit leaves replies a reserve of each second's slots), still queued after ${r.seconds.toFixed(1)} s: ${r.bulkPendingAfter} of ${r.bulk}`);
    record('priority.bulkRows', r.bulk);
    record('priority.ratePerSecond', r.ratePerSecond);
    record('priority.replies', r.replies);
    record('priority.repliesSent', r.replied);
    record('priority.replyDispatchP50Ms', r.dispatchMs.p50);
    record('priority.replyDispatchP99Ms', r.dispatchMs.p99);
    record('priority.replyDispatchMaxMs', r.dispatchMs.max);
    record('priority.replySentAtP99Ms', r.sentAtMs.p99);
    record('priority.replyClaimedP50Ms', r.claimedMs.p50);
    record('priority.replyClaimedP99Ms', r.claimedMs.p99);
    record('priority.replyClaimCallP99Ms', r.claimCallMs.p99);
    record('priority.replyClaimToSendP99Ms', r.sendMs.p99);
    record('priority.eventLoopDelayP99Ms', r.loopDelayMs.p99);
    record('priority.eventLoopDelayMaxMs', r.loopDelayMs.max);
    record('priority.bulkPendingAfter', r.bulkPendingAfter);
    noteRss('6. priority (before stop)');
  } finally {
    await bench?.close();
  }
}

async function expansionPhase(): Promise<void> {
  const embedded = !process.env.DATABASE_URL;
  console.log(`\n== 7. Expansion: one broadcast to ${EXPANSION_RECIPIENTS} parents of a class written into the outbox${embedded ? `, ${INGEST_RPS} webhooks/s from other senders meanwhile` : ''} ==`);
  let bench: BenchApp | undefined;
  try {
    bench = await startBenchApp(LOG_LEVEL, false);
    const stream = embedded ? { ...loadSpec(bench.app.port, '7', bench.pageId), connections: 100, warmupMs: 0, durationMs: 600_000, ratePerSecond: INGEST_RPS, timeoutMs: 10_000 } : undefined;
    const r = await runExpansion(bench, { recipients: EXPANSION_RECIPIENTS, ...(stream ? { stream } : {}) });
    console.log(`  database: ${describeDatabase(bench.db)}; app worker, dispatcher and expander off; contacts added in ${r.fillSeconds.toFixed(1)} s, then ANALYZE`);
    console.log(`  ${r.rows} rows in ${r.seconds.toFixed(2)} s = ${r.rowsPerSecond} rows/s (§7 target on PostgreSQL: ≤ 5 s for 100 000); ${r.chunks} chunks of ${r.chunkSize}, each p50 ${r.chunkMs.p50} ms, p99 ${r.chunkMs.p99} ms, max ${r.chunkMs.max} ms`);
    console.log(`  outbox rows of the broadcast afterwards: ${r.stored} for ${r.recipients} recipients → ${r.stored === r.recipients ? 'equal' : 'MISMATCH'}`);
    record('expansion.recipients', r.recipients);
    record('expansion.seconds', Math.round(r.seconds * 100) / 100);
    record('expansion.rowsPerSecond', r.rowsPerSecond);
    record('expansion.chunkSize', r.chunkSize);
    record('expansion.chunkP99Ms', r.chunkMs.p99);
    record('expansion.chunkMaxMs', r.chunkMs.max);
    record('expansion.mismatch', r.stored - r.recipients);
    if (r.acks) {
      const a = r.acks;
      console.log(`  webhook acks meanwhile: ${a.total.sent} requests, p50 ${a.latencyMs.p50} ms, p99 ${a.latencyMs.p99} ms, max ${a.latencyMs.max} ms; ${a.total.non2xx} non-2xx, ${a.total.errors} errors, ${a.total.timeouts} timeouts`);
      record('expansion.ingestRequests', a.total.sent);
      record('expansion.ingestAckP50Ms', a.latencyMs.p50);
      record('expansion.ingestAckP99Ms', a.latencyMs.p99);
      record('expansion.ingestAckMaxMs', a.latencyMs.max);
      record('expansion.ingestNon2xx', a.total.non2xx + a.total.errors + a.total.timeouts);
    }
    noteRss('7. expansion (before stop)');
  } finally {
    await bench?.close();
  }
}

async function broadcastPhase(): Promise<void> {
  console.log(`\n== 8. Broadcast dispatch: one broadcast to ${BROADCAST_RECIPIENTS} parents on Messenger, rate limit ${BROADCAST_RATE}/s, against the Send API double ==`);
  let bench: BenchApp | undefined;
  try {
    bench = await startBenchApp(LOG_LEVEL, false, { MESSENGER_RATE_PER_SECOND: String(BROADCAST_RATE) });
    const giveUpMs = ((BROADCAST_RECIPIENTS / BROADCAST_RATE) * 3 + 60) * 1000;
    const r = await runBroadcastDispatch(bench, { recipients: BROADCAST_RECIPIENTS, giveUpMs });
    console.log(`  database: ${describeDatabase(bench.db)}; expanded in ${r.expansionSeconds.toFixed(2)} s; one dispatcher wired as the app's (app worker and dispatcher off)`);
    console.log(`  sent ${r.calls} in ${r.seconds.toFixed(1)} s = ${r.sendsPerSecond}/s: ${ratio(r.sendsPerSecond, r.ratePerSecond)} of the configured ${r.ratePerSecond}/s (§7 target ≥ 0.95), ${ratio(r.sendsPerSecond, r.bulkPerSecond)} of the ${r.bulkPerSecond}/s campaign sends may use (the rest is kept for replies)`);
    console.log(`  duplicates (extra sends to one recipient): ${r.duplicates}; lost (never sent): ${r.lost}; outbox rows by status: ${JSON.stringify(r.statuses)}`);
    record('broadcast.recipients', r.recipients);
    record('broadcast.ratePerSecond', r.ratePerSecond);
    record('broadcast.sendsPerSecond', r.sendsPerSecond);
    record('broadcast.ratioToLimit', Number(ratio(r.sendsPerSecond, r.ratePerSecond)));
    record('broadcast.ratioToBulkShare', Number(ratio(r.sendsPerSecond, r.bulkPerSecond)));
    record('broadcast.duplicates', r.duplicates);
    record('broadcast.lost', r.lost);
    noteRss('8. broadcast dispatch (before stop)');
  } finally {
    await bench?.close();
  }
}

async function consolePhase(): Promise<void> {
  console.log('\n== 9. Staff console at a province\'s size: dashboard (office admin, one school), tips inbox, periodic report; 20 runs each, in-process server time; the dashboard page through HTTP ==');
  if (!process.env.DATABASE_URL) {
    console.log('  skipped: this phase seeds PostgreSQL (set DATABASE_URL)');
    return;
  }
  const r = await runConsoleProvince((line) => console.log(line));
  console.log(`  seeded in ${r.seedSeconds} s (a fresh schema of database ${process.env.BENCH_CONSOLE_DATABASE ?? 'bench_console'}, dropped afterwards); plans in ${path.relative(process.cwd(), r.explainFile)}`);
  const office = r.timings['dashboard.office'];
  if (office) console.log(`  office dashboard p95 ${office.p95Ms} ms, tips inbox p95 ${r.timings['tipsInbox.office']?.p95Ms} ms (target < 200 ms)`);
  const officePage = r.timings['dashboardPage.office'];
  if (officePage) console.log(`  office dashboard page through HTTP (session, scope, render): p50 ${officePage.p50Ms} ms, p95 ${officePage.p95Ms} ms (target < 200 ms)`);
  for (const [name, bytes] of Object.entries(r.pageBytes)) record(`console.${name}.bytes`, bytes);
  record('console.seedSeconds', r.seedSeconds);
  for (const [table, n] of Object.entries(r.rows)) record(`console.rows.${table}`, n);
  for (const [name, t] of Object.entries(r.timings)) {
    record(`console.${name}.p50Ms`, t.p50Ms);
    record(`console.${name}.p95Ms`, t.p95Ms);
    record(`console.${name}.maxMs`, t.maxMs);
  }
  for (const [i, e] of r.explain.slice(0, 3).entries()) record(`console.explain.slowest${i + 1}Ms`, e.executionMs);
  noteRss('9. console (after)');
}

/** Share of the machine's CPU busy over `ms` before we start: other work on the machine skews every figure. */
async function machineBusy(ms: number): Promise<number> {
  const busy = () => os.cpus().reduce((sum, c) => sum + c.times.user + c.times.nice + c.times.sys + c.times.irq, 0);
  const from = busy();
  await new Promise((resolve) => setTimeout(resolve, ms));
  return (busy() - from) / (ms * os.cpus().length);
}

async function main(): Promise<void> {
  const hard = setTimeout(() => {
    console.error(`bench: still running after ${HARD_LIMIT_MS / 60_000} minutes, giving up`);
    process.exit(2);
  }, HARD_LIMIT_MS);
  hard.unref();
  const cpus = os.cpus();
  console.log(`bench: node ${process.version}, ${cpus.length} × ${cpus[0]?.model.trim() ?? 'cpu'}, ${Math.round(os.totalmem() / 1073741824)} GB`);
  console.log(`database for the app: ${process.env.DATABASE_URL ? 'PostgreSQL (DATABASE_URL is set)' : 'embedded PGlite (DATABASE_URL is not set)'}`);
  const idle = await machineBusy(2000);
  console.log(`machine busy before start: ${Math.round(idle * 100)} % of ${cpus.length} cores${idle > 0.1 ? '  ← something else is running: figures will be low and noisy' : ''}`);
  const started = Date.now();
  noteRss('start');
  if (PHASES.has('ingest')) await ingestPhase();
  if (PHASES.has('turns')) await turnPhase();
  if (PHASES.has('batch')) await batchPhase();
  if (PHASES.has('drain')) await drainPhase();
  if (PHASES.has('priority')) await priorityPhase();
  if (PHASES.has('expansion')) await expansionPhase();
  if (PHASES.has('broadcast')) await broadcastPhase();
  if (PHASES.has('console')) await consolePhase();
  console.log(`\n== 3. Memory (RSS of the bench process, which hosts the servers${process.env.DATABASE_URL ? '' : ' and the embedded database'}) ==`);
  for (const [phase, mb] of rss) console.log(`  ${phase.padEnd(54)} ${String(mb).padStart(6)} MB`);
  for (const [phase, mb] of rss) figures[`rss.${DB_LABEL}.${phase.replace(/[^a-z0-9]+/gi, '_')}`] = mb;
  const dir = path.join(import.meta.dirname, 'results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${DB_LABEL}.json`);
  writeFileSync(file, JSON.stringify({ machine: { node: process.version, cpus: cpus.length, model: cpus[0]?.model.trim(), busyBeforeStart: Math.round(idle * 100) / 100 }, figures }, null, 2) + '\n');
  console.log(`\nbench finished in ${Math.round((Date.now() - started) / 1000)} s; figures written to ${path.relative(process.cwd(), file)}`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
