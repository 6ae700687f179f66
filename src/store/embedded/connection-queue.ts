/** Who asks for the connection: a webhook's inbox insert goes ahead of everything else that waits. */
export type ConnectionPriority = 'ingest' | 'normal';

/**
 * PGlite has one connection, held by one statement or one transaction at a time. PGlite's own lock serves callers in
 * arrival order, so a webhook's insert would wait behind every turn and dispatch that asked before it. This queue
 * hands the connection out instead: a waiting ingest insert runs as soon as the current holder lets go, ahead of
 * every queued transaction; everything else keeps its order. The running transaction is never interrupted (a
 * statement cannot run beside an open transaction on one connection).
 */
export class ConnectionQueue {
  private held = false;
  private readonly waiting: Record<ConnectionPriority, (() => void)[]> = { ingest: [], normal: [] };

  /** Waits for the connection; call the returned function exactly once to give it back. */
  async acquire(priority: ConnectionPriority): Promise<() => void> {
    if (this.held) await new Promise<void>((resolve) => this.waiting[priority].push(resolve));
    // Ownership is handed over by `release`, which leaves `held` set for the next holder.
    this.held = true;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.release();
    };
  }

  /** Runs `work` while holding the connection. */
  async run<T>(priority: ConnectionPriority, work: () => Promise<T>): Promise<T> {
    const release = await this.acquire(priority);
    try {
      return await work();
    } finally {
      release();
    }
  }

  private release(): void {
    const next = this.waiting.ingest.shift() ?? this.waiting.normal.shift();
    if (next) next();
    else this.held = false;
  }
}
