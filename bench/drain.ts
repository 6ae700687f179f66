// Drain: `rows` replies queued for `contacts` contacts (window open) with the Messenger rate limit set high; a
// dispatcher wired like the app's drains them against the Send API double. Measures sends/s against the configured
// rate, and how long each outbox claim takes at that backlog (every claim timed, and EXPLAIN ANALYZE at the full one).
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { createMessengerChannel } from '../src/bot/channels/messenger/messenger-channel.js';
import { MessengerApi } from '../src/bot/channels/messenger/messenger-api.js';
import type { Channel, ChannelId } from '../src/bot/channels/channel.js';
import { Dispatcher } from '../src/bot/dispatcher.js';
import { createContactKeyer } from '../src/bot/log-keys.js';
import { RateLimiter } from '../src/bot/rate-limiter.js';
import { Signals } from '../src/bot/signals.js';
import { createLogger } from '../src/logger.js';
import { OutboxRepo, type ClaimedDelivery } from '../src/store/outbox.repo.js';
import { createRepos } from '../src/store/repos.js';
import type { BenchApp } from './bench-app.js';
import { addContacts, delivery, enqueueAll, sleep, spread, type Spread } from './outbox-fill.js';

const round = (x: number) => Math.round(x * 100) / 100;

/** The outbox as the dispatcher sees it, with every claim timed (the whole call: lease recovery and both kinds). */
export class TimedOutbox extends OutboxRepo {
  readonly claimMs: number[] = [];
  readonly claimRows: number[] = [];
  /** When (Date.now()) each claimed row's claim returned, and how long that claim took. */
  readonly claimedAt = new Map<bigint, { at: number; claimMs: number }>();

  override async claim(...args: Parameters<OutboxRepo['claim']>): Promise<ClaimedDelivery[]> {
    const start = performance.now();
    const rows = await super.claim(...args);
    const ms = performance.now() - start;
    this.claimMs.push(ms);
    this.claimRows.push(rows.length);
    const at = Date.now();
    for (const row of rows) this.claimedAt.set(row.id, { at, claimMs: ms });
    return rows;
  }
}

/** A dispatcher wired as src/main.ts wires the app's (same channel, limiter and options), over the given outbox. */
export function startDispatcher(bench: BenchApp, outbox: OutboxRepo, owner: string): { dispatcher: Dispatcher; signals: Signals } {
  const config = bench.app.config;
  const settings = config.channels.messenger!;
  const repos = createRepos(bench.db.prisma, { direct: bench.db.direct });
  const channel = createMessengerChannel({ settings, api: new MessengerApi(settings), limiter: new RateLimiter(repos.rateWindows) });
  const signals = new Signals();
  const dispatcher = new Dispatcher(
    { outbox, channels: new Map<ChannelId, Channel>([['messenger', channel]]), signals, log: createLogger(config.log, process.stderr).child({ component: 'dispatcher' }), contactKey: createContactKeyer(config.appSecret) },
    { owner, concurrency: config.dispatcher.concurrency, leaseSeconds: config.worker.leaseSeconds, pollIntervalMs: config.worker.pollIntervalMs },
  );
  dispatcher.start();
  return { dispatcher, signals };
}

/** Waits until the Send API double has received `expected` sends, `giveUpAt` passes, or 30 s go by without one. */
export async function waitForSends(bench: BenchApp, expected: number, giveUpAt: number): Promise<void> {
  let lastProgress = { n: 0, at: Date.now() };
  for (;;) {
    const n = bench.double.sent().length;
    const now = Date.now();
    if (n >= expected || now > giveUpAt) return;
    if (n > lastProgress.n) lastProgress = { n, at: now };
    else if (now - lastProgress.at > 30_000) return;
    await sleep(100);
  }
}

export interface DrainResult {
  rows: number;
  contacts: number;
  ratePerSecond: number;
  concurrency: number;
  fillSeconds: number;
  /** EXPLAIN ANALYZE of one reply claim of a dispatcher batch at the full backlog: the plan's execution time. */
  explainMs: number;
  plan: string;
  /**
   * The dispatcher's own claim (reply and bulk, `batch` rows) run back to back at the full backlog with nothing else
   * running, each call's leases handed back before the next: what a claim costs at that backlog by itself.
   */
  probeMs: Spread;
  /** The event loop's delay during the drain (the dispatcher's sends, the double and the claims share it). */
  loopDelayMs: Spread;
  sent: number;
  /** Rows still not sent when the drain gave up (0 when it finished). */
  left: number;
  seconds: number;
  sendsPerSecond: number;
  claims: number;
  rowsPerClaim: number;
  claimMs: Spread;
  /** Time spent inside claim calls, summed (the dispatcher's loop waits for each claim before the next). */
  claimSeconds: number;
  /** Send API calls the double received, and distinct messages among them (a duplicate send shows as a difference). */
  doubleCalls: number;
  doubleDistinct: number;
}

/** Queues `rows` replies for `contacts` contacts, then lets one dispatcher drain them and times it. */
export async function runDrain(bench: BenchApp, opts: { rows: number; contacts: number; giveUpMs: number }): Promise<DrainResult> {
  const config = bench.app.config;
  const ratePerSecond = config.channels.messenger!.ratePerSecond;
  const t0 = performance.now();
  const contacts = await addContacts(bench, '6', opts.contacts);
  const outbox = new TimedOutbox(bench.db.prisma, bench.db.direct);
  // Interleaved across lanes, as turns of many contacts write them.
  await enqueueAll(outbox, Array.from({ length: opts.rows }, (_, i) => delivery(bench, contacts[i % contacts.length]!, `drain ${i}`)));
  await bench.db.prisma.$executeRawUnsafe(`ANALYZE "Delivery"`);
  const fillSeconds = (performance.now() - t0) / 1000;
  const batch = config.dispatcher.concurrency;
  const plan = await outbox.explainClaim('reply', 'messenger', batch);
  const explainMs = Number(/Execution Time: ([\d.]+) ms/.exec(plan)?.[1] ?? NaN);

  const probeMs = await probeClaims(bench, batch, config.worker.leaseSeconds);

  bench.double.reset();
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const startedAt = Date.now();
  const { dispatcher } = startDispatcher(bench, outbox, 'bench-drain');
  try {
    await waitForSends(bench, opts.rows, startedAt + opts.giveUpMs);
  } finally {
    await dispatcher.stop();
    loop.disable();
  }
  const ms = (ns: number) => round(ns / 1e6);
  const loopDelayMs = { p50: ms(loop.percentile(50)), p99: ms(loop.percentile(99)), max: ms(loop.max) };
  const sends = bench.double.sent();
  const lastAt = sends.at(-1)?.at ?? startedAt;
  const seconds = Math.max(0.001, (lastAt - startedAt) / 1000);
  const sent = await bench.db.prisma.delivery.count({ where: { status: 'sent' } });
  const claimed = outbox.claimRows.filter((n) => n > 0);
  return {
    rows: opts.rows,
    contacts: contacts.length,
    ratePerSecond,
    concurrency: config.dispatcher.concurrency,
    fillSeconds,
    explainMs,
    plan,
    probeMs,
    loopDelayMs,
    sent,
    left: opts.rows - sent,
    seconds,
    sendsPerSecond: Math.round(sends.length / seconds),
    claims: outbox.claimMs.length,
    rowsPerClaim: claimed.length ? round(claimed.reduce((s, n) => s + n, 0) / claimed.length) : 0,
    claimMs: spread(outbox.claimMs),
    claimSeconds: round(outbox.claimMs.reduce((sum, ms) => sum + ms, 0) / 1000),
    doubleCalls: sends.length,
    doubleDistinct: new Set(sends.map((s) => String(s.message.text))).size,
  };
}

/**
 * Times `runs` claims as the dispatcher makes them (both kinds, `limit` rows, no lease recovery) at the full backlog,
 * one after another on a quiet event loop; each claim's rows are handed back untouched before the next.
 */
async function probeClaims(bench: BenchApp, limit: number, leaseSeconds: number, runs = 30): Promise<Spread> {
  const outbox = new OutboxRepo(bench.db.prisma, bench.db.direct);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await outbox.claim('bench-probe', limit, leaseSeconds, 'messenger', { recover: false });
    times.push(performance.now() - start);
    await bench.db.prisma.$executeRaw`
      UPDATE "Delivery" SET "status" = 'pending', "leaseOwner" = NULL, "leaseUntil" = NULL, "attempts" = "attempts" - 1
      WHERE "leaseOwner" = 'bench-probe'`;
  }
  return spread(times);
}
