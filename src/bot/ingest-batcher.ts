import type { InsertOutcome, NewInboundEvent } from '../store/inbox.repo.js';

/** How the batcher groups requests: at most `maxEvents` per flush, and how long an idle batcher waits for company. */
export interface IngestBatchSettings {
  /** A flush takes whole requests up to this many events (a larger request is a flush of its own). */
  maxEvents: number;
  /** How long an event may wait for others before it is flushed when no flush is running; 0 flushes on the next turn. */
  waitMs: number;
}

/** What one flush stored, for counters and tests: how many requests and events went into its one statement. */
export interface FlushInfo {
  requests: number;
  events: number;
}

interface Waiting {
  events: NewInboundEvent[];
  since: number;
  resolve: (outcomes: InsertOutcome[]) => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit: the events of requests that arrive together are stored by one multi-row insert (one commit), and each
 * request gets back the outcomes of its own events once that statement has committed. One flush runs at a time; while
 * it runs, requests queue and go together in the next flush as soon as it ends ("natural batching"), so a lone request
 * is not held back and a burst costs a commit per flush instead of one per request.
 */
export class IngestBatcher {
  private readonly queue: Waiting[] = [];
  private queuedEvents = 0;
  private flushing = false;
  private cancelTimer: (() => void) | undefined;

  constructor(
    private readonly deps: { insert: (events: NewInboundEvent[]) => Promise<InsertOutcome[]>; onFlush?: (info: FlushInfo) => void },
    private readonly settings: IngestBatchSettings,
  ) {}

  /**
   * Queues the events of one request; resolves with their outcomes in order once the flush that carried them has
   * committed, or rejects with that flush's error (a database that is down): then none of them is known to be stored.
   */
  submit(events: NewInboundEvent[]): Promise<InsertOutcome[]> {
    if (events.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      this.queue.push({ events, since: performance.now(), resolve, reject });
      this.queuedEvents += events.length;
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.flushing || this.queue.length === 0) return;
    if (this.queuedEvents >= this.settings.maxEvents) return this.flush();
    if (this.cancelTimer) return;
    const oldest = this.queue[0] as Waiting;
    const delay = this.settings.waitMs - (performance.now() - oldest.since);
    // setImmediate rather than a 0 ms timer: requests whose bodies arrived in this turn of the loop join the flush.
    if (delay <= 0) {
      const handle = setImmediate(() => this.flush());
      this.cancelTimer = () => clearImmediate(handle);
    } else {
      const handle = setTimeout(() => this.flush(), delay);
      this.cancelTimer = () => clearTimeout(handle);
    }
  }

  private flush(): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    const batch: Waiting[] = [];
    let size = 0;
    while (this.queue.length > 0) {
      const next = this.queue[0] as Waiting;
      if (batch.length > 0 && size + next.events.length > this.settings.maxEvents) break;
      batch.push(next);
      size += next.events.length;
      this.queue.shift();
    }
    this.queuedEvents -= size;
    this.flushing = true;
    const info: FlushInfo = { requests: batch.length, events: size };
    // Inside the chain, so a throw anywhere fails this flush's requests instead of stopping the batcher.
    void Promise.resolve()
      .then(() => {
        this.deps.onFlush?.(info);
        return this.deps.insert(batch.flatMap((w) => w.events));
      })
      .then(
        (outcomes) => {
          let at = 0;
          for (const w of batch) {
            w.resolve(outcomes.slice(at, at + w.events.length));
            at += w.events.length;
          }
        },
        (err: unknown) => {
          for (const w of batch) w.reject(err);
        },
      )
      .finally(() => {
        this.flushing = false;
        this.schedule();
      });
  }
}
