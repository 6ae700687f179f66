// Priority: `bulk` campaign rows queued behind a slow rate limit, then replies written one at a time; each reply's
// dispatch latency, Delivery.createdAt → the Send API double receiving it, while a dispatcher wired as the app's runs
// (its claims timed, so each reply's wait splits into "until its claim returned" and "claim → the send arrived").
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { BenchApp } from './bench-app.js';
import { startDispatcher, TimedOutbox } from './drain.js';
import { addContacts, delivery, enqueueAll, sleep, spread, type Spread } from './outbox-fill.js';

export interface PriorityResult {
  bulk: number;
  ratePerSecond: number;
  replies: number;
  replied: number;
  /** Delivery.createdAt → the double receiving the send. */
  dispatchMs: Spread;
  /** Delivery.createdAt → Delivery.sentAt (the send's answer recorded). */
  sentAtMs: Spread;
  /** Delivery.createdAt → the dispatcher's claim returning the reply. */
  claimedMs: Spread;
  /** The claim call that returned each reply, alone. */
  claimCallMs: Spread;
  /** The claim returning → the double receiving the send (rate limiter, policy, HTTP). */
  sendMs: Spread;
  /** The event loop's delay while the replies were written and sent. */
  loopDelayMs: Spread;
  bulkSentMeanwhile: number;
  bulkPendingAfter: number;
  seconds: number;
}

/**
 * Queues `bulk` campaign rows (with idempotency keys) for as many contacts, lets the app's own dispatcher saturate
 * the rate limit with them, then writes `replies` replies one at a time `gapMs` apart (each signalled as the inbox
 * worker signals a turn's replies) and measures how long each waited before the double received it.
 */
export async function runPriority(bench: BenchApp, opts: { bulk: number; replies: number; gapMs: number; replyTimeoutMs: number; analyze?: boolean }): Promise<PriorityResult> {
  const ratePerSecond = bench.app.config.channels.messenger!.ratePerSecond;
  const outbox = new TimedOutbox(bench.db.prisma, bench.db.direct);
  const campaign = await addContacts(bench, '5', opts.bulk);
  const asked = await addContacts(bench, '4', opts.replies);
  bench.double.reset();
  await enqueueAll(outbox, campaign.map((c, i) => delivery(bench, c, `campaign ${i}`, { kind: 'bulk', idempotencyKey: `bench:campaign:${i}` })));
  // As a broadcast's expansion ends (expand-broadcast.ts): without fresh statistics the planner takes the new rows'
  // table for empty and checks each candidate's lane by walking every pending campaign row (measured: claims of
  // 100–500 ms, a reply's p99 over 600 ms).
  if (opts.analyze !== false) await outbox.refreshStatistics();
  const { dispatcher, signals } = startDispatcher(bench, outbox, 'bench-priority');
  try {
    return await measure(bench, outbox, signals, asked, ratePerSecond, opts);
  } finally {
    await dispatcher.stop();
  }
}

async function measure(
  bench: BenchApp,
  outbox: TimedOutbox,
  signals: { emit(topic: 'outbox'): void },
  asked: Awaited<ReturnType<typeof addContacts>>,
  ratePerSecond: number,
  opts: { bulk: number; replies: number; gapMs: number; replyTimeoutMs: number },
): Promise<PriorityResult> {
  signals.emit('outbox');
  const started = Date.now();
  // The limiter is full of campaign sends before the first reply is written.
  while (bench.double.sent().length < ratePerSecond && Date.now() - started < 60_000) await sleep(50);

  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const ids: bigint[] = [];
  for (const [i, contact] of asked.entries()) {
    await outbox.enqueue([delivery(bench, contact, `reply ${i}`)]);
    signals.emit('outbox');
    const row = await bench.db.prisma.delivery.findFirst({ where: { recipient: contact.userId, kind: 'reply' }, select: { id: true } });
    if (row) ids.push(row.id);
    await sleep(opts.gapMs);
  }
  const waitUntil = Date.now() + opts.replyTimeoutMs;
  while (Date.now() < waitUntil && (await bench.db.prisma.delivery.count({ where: { id: { in: ids }, status: 'sent' } })) < ids.length) await sleep(50);
  const seconds = (Date.now() - started) / 1000;
  loop.disable();
  const ms = (ns: number) => Math.round(ns / 1e4) / 100;

  const rows = await bench.db.prisma.delivery.findMany({ where: { id: { in: ids } }, select: { id: true, recipient: true, createdAt: true, sentAt: true } });
  const arrived = new Map(bench.double.sent().filter((s) => String(s.message.text).startsWith('reply ')).map((s) => [s.recipientId, s.at]));
  const dispatch: number[] = [];
  const recorded: number[] = [];
  const claimed: number[] = [];
  const claimCall: number[] = [];
  const send: number[] = [];
  for (const r of rows) {
    const at = arrived.get(r.recipient);
    const claim = outbox.claimedAt.get(r.id);
    if (at !== undefined) dispatch.push(at - r.createdAt.getTime());
    if (r.sentAt) recorded.push(r.sentAt.getTime() - r.createdAt.getTime());
    if (claim) {
      claimed.push(claim.at - r.createdAt.getTime());
      claimCall.push(Math.round(claim.claimMs * 100) / 100);
      if (at !== undefined) send.push(at - claim.at);
    }
  }
  const bulkSentMeanwhile = bench.double.sent().filter((s) => String(s.message.text).startsWith('campaign ')).length;
  const bulkPendingAfter = await bench.db.prisma.delivery.count({ where: { kind: 'bulk', status: { in: ['pending', 'sending'] } } });
  return {
    bulk: opts.bulk,
    ratePerSecond,
    replies: opts.replies,
    replied: dispatch.length,
    dispatchMs: spread(dispatch),
    sentAtMs: spread(recorded),
    claimedMs: spread(claimed),
    claimCallMs: spread(claimCall),
    sendMs: spread(send),
    loopDelayMs: { p50: ms(loop.percentile(50)), p99: ms(loop.percentile(99)), max: ms(loop.max) },
    bulkSentMeanwhile,
    bulkPendingAfter,
    seconds,
  };
}
