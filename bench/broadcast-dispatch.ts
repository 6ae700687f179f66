// Broadcast dispatch: one broadcast to `recipients` Messenger parents of a class (window open), expanded as the app
// expands it, then sent by a dispatcher wired like the app's against the Send API double at a configured rate.
// Counts sends per recipient at the double: duplicates (a recipient sent twice) and losses (never sent).
import { bulkLimit } from '../src/bot/rate-limiter.js';
import { OutboxRepo } from '../src/store/outbox.repo.js';
import type { BenchApp } from './bench-app.js';
import { startDispatcher, waitForSends } from './drain.js';
import { runExpansion } from './expansion.js';
import { sleep } from './outbox-fill.js';

export interface BroadcastDispatchResult {
  recipients: number;
  ratePerSecond: number;
  /** What bulk sends may use of the rate (the rest is kept for replies). */
  bulkPerSecond: number;
  expansionSeconds: number;
  seconds: number;
  sendsPerSecond: number;
  /** Send API calls the double received for the broadcast. */
  calls: number;
  /** Recipients the double received the broadcast for more than once (their extra calls). */
  duplicates: number;
  /** Recipients the double never received it for. */
  lost: number;
  /** Outbox rows of the broadcast by status afterwards. */
  statuses: Record<string, number>;
}

/** Expands one broadcast to `recipients` and dispatches it; gives up after `giveUpMs` or 30 s without progress. */
export async function runBroadcastDispatch(bench: BenchApp, opts: { recipients: number; giveUpMs: number }): Promise<BroadcastDispatchResult> {
  const ratePerSecond = bench.app.config.channels.messenger!.ratePerSecond;
  const expansion = await runExpansion(bench, { recipients: opts.recipients });
  bench.double.reset();
  const startedAt = Date.now();
  const { dispatcher } = startDispatcher(bench, new OutboxRepo(bench.db.prisma, bench.db.direct), 'bench-broadcast');
  try {
    await waitForSends(bench, opts.recipients, startedAt + opts.giveUpMs);
    // Sends still in flight when the last expected one arrived would show as duplicates: let them land.
    await sleep(500);
  } finally {
    await dispatcher.stop();
  }
  const sends = bench.double.sent();
  const perRecipient = new Map<string, number>();
  for (const s of sends) perRecipient.set(s.recipientId, (perRecipient.get(s.recipientId) ?? 0) + 1);
  const duplicates = [...perRecipient.values()].reduce((sum, n) => sum + (n - 1), 0);
  const lastAt = sends.at(-1)?.at ?? startedAt;
  const seconds = Math.max(0.001, (lastAt - startedAt) / 1000);
  const grouped = await bench.db.prisma.delivery.groupBy({ by: ['status'], where: { kind: 'bulk' }, _count: { _all: true } });
  return {
    recipients: opts.recipients,
    ratePerSecond,
    bulkPerSecond: bulkLimit(ratePerSecond),
    expansionSeconds: expansion.seconds,
    seconds,
    sendsPerSecond: Math.round(sends.length / seconds),
    calls: sends.length,
    duplicates,
    lost: opts.recipients - perRecipient.size,
    statuses: Object.fromEntries(grouped.map((g) => [g.status, g._count._all])),
  };
}
