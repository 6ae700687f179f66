import type { Logger } from '../logger.js';

/**
 * Keeps a queue table's planner statistics current: counts the events stored and, once `every` more arrived since the
 * last refresh, refreshes one table's statistics in the background (one at a time, never in a webhook's path). The
 * embedded database has no autovacuum; PostgreSQL's comes a minute or more into a burst, and until then the claims plan
 * with statistics from before it, when almost nothing was pending (measured mid-burst on PostgreSQL: each inbox claim
 * read every pending event, and the worker finished 380–530 turns in a 10 s run instead of 900–1 300). Wired for the
 * inbox every 1 000 stored inbound events and for the outbox (about two replies an event) every 5 000, each at most
 * every 10 s.
 */
export class TableStatistics {
  private stored = 0;
  private running: Promise<void> | undefined;
  private lastStart = Number.NEGATIVE_INFINITY;

  /**
   * `every` events between refreshes, and at least `minIntervalMs` between their starts: in a long burst the refreshes
   * do not run back to back (each makes every connection plan the table's statements again).
   */
  constructor(
    private readonly refresh: () => Promise<void>,
    private readonly log: Logger,
    private readonly opts: { every?: number; minIntervalMs?: number; now?: () => number } = {},
  ) {}

  /** Counts `n` events stored; starts a refresh when enough arrived since the last one and it began long enough ago. */
  count(n: number): void {
    this.stored += n;
    const now = (this.opts.now ?? Date.now)();
    if (this.stored < (this.opts.every ?? 1000) || this.running || now - this.lastStart < (this.opts.minIntervalMs ?? 0)) return;
    this.stored = 0;
    this.lastStart = now;
    this.running = this.refresh()
      .catch((err: unknown) => this.log.warn({ err: err instanceof Error ? err.name : 'unknown' }, 'could not refresh the planner statistics'))
      .finally(() => {
        this.running = undefined;
      });
  }

  /** The refresh in flight, if any (shutdown waits for it). */
  idle(): Promise<void> {
    return this.running ?? Promise.resolve();
  }
}
