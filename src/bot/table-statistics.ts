import type { Logger } from '../logger.js';

/**
 * The embedded database has no autovacuum, so nothing keeps a queue table's planner statistics current: this counts the
 * events stored and, once `every` more arrived since the last refresh, refreshes one table's statistics in the
 * background (one at a time, never in a webhook's path). PostgreSQL's autovacuum does the same there, so it is only
 * wired on the embedded database: for the inbox every 1 000 events, for the outbox (about two replies an event) every
 * 5 000.
 */
export class TableStatistics {
  private stored = 0;
  private running: Promise<void> | undefined;

  constructor(
    private readonly refresh: () => Promise<void>,
    private readonly log: Logger,
    private readonly every = 1000,
  ) {}

  /** Counts `n` events stored; starts a refresh when enough arrived since the last one. */
  count(n: number): void {
    this.stored += n;
    if (this.stored < this.every || this.running) return;
    this.stored = 0;
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
