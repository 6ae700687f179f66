// Phase 4 of npm run bench: one signed Messenger webhook carrying BENCH_BATCH_ITEMS messaging items (default 2 000, a
// new sender each), then /healthz probed every 50 ms and the event loop's delay sampled until every item's turn has
// run. On the embedded database this shows whether the database's work stalls HTTP (DESIGN.md §7: lag < 100 ms).
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { BenchApp } from './bench-app.js';
import { signature } from './messenger-body.js';
import { percentile } from './stats.js';

/** What the batch phase measured. */
export interface BatchResult {
  items: number;
  ackStatus: number;
  ackMs: number;
  processedMs: number;
  processed: number;
  healthz: { probes: number; p50: number; p99: number; max: number; failed: number };
  loopDelayMs: { p99: number; max: number };
}

/** Posts one big batch and watches the server stay responsive while it is processed. */
export async function runBatch(bench: BenchApp, items: number, secret: string, deadlineMs: number): Promise<BatchResult> {
  const now = Date.now();
  const messaging = Array.from({ length: items }, (_, i) => ({
    sender: { id: `81${String(i).padStart(12, '0')}` },
    recipient: { id: bench.pageId },
    timestamp: now,
    message: { mid: `batch-${now}-${i}`, text: 'xin chào' },
  }));
  const body = JSON.stringify({ object: 'page', entry: [{ id: bench.pageId, time: now, messaging }] });
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const started = Date.now();
  const res = await fetch(`${bench.app.url}/webhooks/messenger`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature(body, secret) },
    body,
  });
  await res.text();
  const ackMs = Date.now() - started;
  const probes: number[] = [];
  let failed = 0;
  let processed = 0;
  const end = started + deadlineMs;
  while (Date.now() < end) {
    const t = Date.now();
    const ok = await fetch(`${bench.app.url}/healthz`).then((r) => r.ok, () => false);
    probes.push(Date.now() - t);
    if (!ok) failed++;
    const [row] = await bench.db.prisma.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS "n" FROM "InboundEvent" WHERE "dedupeKey" LIKE ${`batch-${now}-%`} AND "status" = 'done'`;
    processed = row?.n ?? 0;
    if (processed >= items) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  loop.disable();
  const sorted = [...probes].sort((a, b) => a - b);
  return {
    items,
    ackStatus: res.status,
    ackMs,
    processedMs: Date.now() - started,
    processed,
    healthz: { probes: probes.length, p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), max: sorted.at(-1) ?? 0, failed },
    loopDelayMs: { p99: Math.round(loop.percentile(99) / 1e6), max: Math.round(loop.max / 1e6) },
  };
}
