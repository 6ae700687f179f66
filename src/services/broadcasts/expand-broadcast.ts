import type { Repos } from '../../store/repos.js';
import { memberSpecOf, parseAudience } from './audience.js';

/** Runs `fn` in one short transaction with repositories bound to it. */
export type RunInTransaction = <T>(fn: (repos: Repos) => Promise<T>) => Promise<T>;

/** Options of one expansion pass. */
export interface ExpandOptions {
  /** This replica's lease owner (the dispatcher's owner string does). */
  owner: string;
  /** The time of the pass: broadcasts with `sendAt` ≤ now are due; later times move on from it with the wall clock. */
  now: Date;
  /** Recipients per transaction (default 500): each chunk holds the database only briefly. */
  chunkSize?: number;
  /** How long a lease on a broadcast lasts without a chunk renewing it (default 60 s). */
  leaseMs?: number;
  /** Called after each chunk is committed (the caller wakes the dispatcher); a throw stops the pass. */
  onChunk?: (chunk: { broadcastId: string; rows: number }) => void | Promise<void>;
  /** Checked between chunks: once aborted, the lease is given back and the pass ends (the cursor keeps its place). */
  signal?: AbortSignal;
}

const DEFAULT_CHUNK = 500;
/** After a broadcast this large, the outbox's planner statistics are refreshed (see `OutboxRepo.refreshStatistics`). */
const REFRESH_STATISTICS_AFTER_ROWS = 1_000;
const DEFAULT_LEASE_MS = 60_000;

/**
 * Expands every due broadcast into the outbox. Each one is leased (status `expanding`; two replicas never take the
 * same one, and a lease left by a stopped replica is taken over once expired), then its audience is written in
 * chunks of short transactions in a stable order, the cursor saved with each chunk so a restart goes on where it
 * stopped; at the end it is `expanded`. One bulk row per recipient per message (see `BroadcastRepo.expandChunk`):
 * running this twice, at once or after a crash writes each row once. Returns the broadcasts finished and rows written.
 */
export async function expandDueBroadcasts(run: RunInTransaction, opts: ExpandOptions): Promise<{ broadcasts: number; rows: number }> {
  const t0 = Date.now();
  const clock = () => new Date(opts.now.getTime() + (Date.now() - t0));
  const leaseMs = opts.leaseMs ?? DEFAULT_LEASE_MS;
  const chunkSize = Math.max(1, opts.chunkSize ?? DEFAULT_CHUNK);
  const seen = new Set<string>();
  let broadcasts = 0;
  let rows = 0;
  while (!opts.signal?.aborted) {
    const at = clock();
    const [b] = await run((repos) => repos.broadcasts.leaseDue(opts.owner, at, new Date(at.getTime() + leaseMs), 1));
    // The same one again in one pass: its last step failed to record; leave it to the next pass.
    if (!b || seen.has(b.id)) break;
    seen.add(b.id);
    const audience = parseAudience(b.audience);
    const spec = await run((repos) => memberSpecOf(repos, audience, b.campaignId));
    for (;;) {
      if (opts.signal?.aborted) {
        await run((repos) => repos.broadcasts.releaseLease(b.id, opts.owner));
        return { broadcasts, rows };
      }
      const chunkAt = clock();
      const r = await run((repos) => repos.broadcasts.expandChunk(b.id, opts.owner, spec, chunkSize, chunkAt, new Date(chunkAt.getTime() + leaseMs)));
      // Cancelled meanwhile, or the lease went to another replica: nothing more to write here.
      if (!r.ok) break;
      rows += r.rows;
      if (r.rows > 0) await opts.onChunk?.({ broadcastId: b.id, rows: r.rows });
      if (r.done) {
        if (await run((repos) => repos.broadcasts.finishExpansion(b.id, opts.owner, clock()))) broadcasts += 1;
        break;
      }
    }
  }
  if (rows >= REFRESH_STATISTICS_AFTER_ROWS) await run((repos) => repos.outbox.refreshStatistics());
  return { broadcasts, rows };
}
