// Priority: `bulk` campaign rows queued behind a slow rate limit, then replies written one at a time; each reply's
// dispatch latency, Delivery.createdAt → the Send API double receiving it, while the app's own dispatcher runs.
import { OutboxRepo } from '../src/store/outbox.repo.js';
import type { BenchApp } from './bench-app.js';
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
  bulkSentMeanwhile: number;
  bulkPendingAfter: number;
  seconds: number;
}

/**
 * Queues `bulk` campaign rows (with idempotency keys) for as many contacts, lets the app's own dispatcher saturate
 * the rate limit with them, then writes `replies` replies one at a time `gapMs` apart (each signalled as the inbox
 * worker signals a turn's replies) and measures how long each waited before the double received it.
 */
export async function runPriority(bench: BenchApp, opts: { bulk: number; replies: number; gapMs: number; replyTimeoutMs: number }): Promise<PriorityResult> {
  const ratePerSecond = bench.app.config.channels.messenger!.ratePerSecond;
  const outbox = new OutboxRepo(bench.db.prisma, bench.db.direct);
  const campaign = await addContacts(bench, '5', opts.bulk);
  const asked = await addContacts(bench, '4', opts.replies);
  bench.double.reset();
  await enqueueAll(outbox, campaign.map((c, i) => delivery(bench, c, `campaign ${i}`, { kind: 'bulk', idempotencyKey: `bench:campaign:${i}` })));
  bench.app.signals.emit('outbox');
  const started = Date.now();
  // The limiter is full of campaign sends before the first reply is written.
  while (bench.double.sent().length < ratePerSecond && Date.now() - started < 60_000) await sleep(50);

  const ids: bigint[] = [];
  for (const [i, contact] of asked.entries()) {
    await outbox.enqueue([delivery(bench, contact, `reply ${i}`)]);
    bench.app.signals.emit('outbox');
    const row = await bench.db.prisma.delivery.findFirst({ where: { recipient: contact.userId, kind: 'reply' }, select: { id: true } });
    if (row) ids.push(row.id);
    await sleep(opts.gapMs);
  }
  const waitUntil = Date.now() + opts.replyTimeoutMs;
  while (Date.now() < waitUntil && (await bench.db.prisma.delivery.count({ where: { id: { in: ids }, status: 'sent' } })) < ids.length) await sleep(50);
  const seconds = (Date.now() - started) / 1000;

  const rows = await bench.db.prisma.delivery.findMany({ where: { id: { in: ids } }, select: { recipient: true, createdAt: true, sentAt: true } });
  const arrived = new Map(bench.double.sent().filter((s) => String(s.message.text).startsWith('reply ')).map((s) => [s.recipientId, s.at]));
  const dispatch: number[] = [];
  const recorded: number[] = [];
  for (const r of rows) {
    const at = arrived.get(r.recipient);
    if (at !== undefined) dispatch.push(at - r.createdAt.getTime());
    if (r.sentAt) recorded.push(r.sentAt.getTime() - r.createdAt.getTime());
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
    bulkSentMeanwhile,
    bulkPendingAfter,
    seconds,
  };
}
