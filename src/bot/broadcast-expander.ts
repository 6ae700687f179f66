import type { Logger } from '../logger.js';
import { expandDueBroadcasts, type RunInTransaction } from '../services/broadcasts/expand-broadcast.js';
import type { Signals } from './signals.js';

/** Options of the broadcast expander. */
export interface BroadcastExpanderOptions {
  owner: string;
  /** How often it looks for due broadcasts without a signal (other replicas' broadcasts, approvals in the console). */
  pollIntervalMs: number;
  /** Recipients per transaction. */
  chunkSize: number;
  leaseMs?: number;
}

/**
 * Recipients per expansion transaction: on the embedded database a webhook's insert waits for the chunk being
 * written, so chunks stay small there; PostgreSQL takes larger ones (bench phase `expansion` measures both).
 */
export function expansionChunkSize(database: 'embedded' | 'postgres'): number {
  return database === 'embedded' ? 500 : 2_000;
}

/** Never look again sooner than this after a pass (a due broadcast another replica holds would spin the loop). */
const MIN_WAIT_MS = 50;

/**
 * Expands due broadcasts into the outbox in the background: at once on a `broadcast` signal (a broadcast created
 * or approved here), when the next scheduled one is due, and every `pollIntervalMs` otherwise. Wakes the dispatcher
 * after every chunk, so sending starts while the rest is still being written.
 */
export class BroadcastExpander {
  private abort = new AbortController();
  private loop: Promise<void> | undefined;

  constructor(
    /** `clock`: when broadcasts are due and the time expansion stamps its rows with (default the wall clock). */
    private readonly deps: { run: RunInTransaction; nextDueAt: () => Promise<Date | null>; signals: Signals; log: Logger; clock?: () => Date },
    private readonly opts: BroadcastExpanderOptions,
  ) {}

  /** Starts in the background. */
  start(): void {
    if (this.loop) return;
    this.abort = new AbortController();
    this.loop = this.run();
  }

  /** Stops after the chunk being written (the lease is given back, another replica or the next start goes on). */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
    this.loop = undefined;
  }

  private async run(): Promise<void> {
    const signal = this.abort.signal;
    const clock = this.deps.clock ?? (() => new Date());
    const latch = this.deps.signals.latch('broadcast');
    let signalled = true;
    try {
      while (!signal.aborted) {
        let wait = this.opts.pollIntervalMs;
        try {
          // Idle, this is one indexed read per poll; the expansion pass (which writes) runs only when something is due.
          let next = await this.deps.nextDueAt();
          if (signalled || (next && next.getTime() <= clock().getTime())) {
            const r = await expandDueBroadcasts(this.deps.run, {
              owner: this.opts.owner,
              now: clock(),
              chunkSize: this.opts.chunkSize,
              ...(this.opts.leaseMs ? { leaseMs: this.opts.leaseMs } : {}),
              signal,
              onChunk: () => this.deps.signals.emit('outbox'),
            });
            if (r.broadcasts > 0) this.deps.log.info({ broadcasts: r.broadcasts, rows: r.rows }, 'broadcasts expanded');
            next = await this.deps.nextDueAt();
          }
          if (next) wait = Math.min(wait, Math.max(MIN_WAIT_MS, next.getTime() - clock().getTime()));
        } catch (err) {
          this.deps.log.error({ err: err instanceof Error ? err.name : 'unknown' }, 'broadcast expansion failed; will retry');
        }
        signalled = await latch.wait(wait, signal);
      }
    } finally {
      latch.close();
    }
  }
}
