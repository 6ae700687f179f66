import type { Logger } from '../logger.js';
import type { Latch } from './signals.js';

/** One source of leased work: its own slots, how it claims, how it handles one item. */
export interface LeaseQueue<T> {
  /** A name for logs. */
  name: string;
  /** Most items of this queue handled at once. */
  slots: number;
  /**
   * While some items are in flight, claim only once this many slots are free: under load one query then leases a
   * batch instead of one row per query. With nothing in flight, or after a signal (new work, maybe urgent), it claims
   * whatever is free.
   */
  batch: number;
  /** Leases up to `free` items (fewer, or none, when fewer are due; none without a query while paused). */
  claim(free: number): Promise<T[]>;
  /** Handles one leased item; should record its own outcome and not throw (a throw is logged). */
  handle(item: T): Promise<void>;
  /** Milliseconds until this queue may have work without any signal (a pause ending), or undefined. */
  nextWakeMs?(): number | undefined;
}

/** Options of a lease loop. */
export interface LeaseLoopOptions<T> {
  queues: LeaseQueue<T>[];
  /** A fresh wake-up latch for one run (signals from the HTTP edge, the worker or the dispatcher). */
  latch: () => Latch;
  /** Claims again after this long even without a signal (other replicas' work, expired leases). */
  pollIntervalMs: number;
  /** Gives back the leases still held, once stopped (graceful shutdown). */
  releaseLeases: () => Promise<unknown>;
  /**
   * Extends the leases of the items being handled, every `everyMs` while any is (until `stop` has waited for them):
   * a handler that takes longer than a lease (a send of several parts to a slow platform) keeps its item, which
   * another claim would otherwise take and handle again. A process that stops renewing (killed, or its event loop
   * stuck) loses its leases as before.
   */
  renew?: { everyMs: number; leases: (items: T[]) => Promise<unknown> };
  log: Logger;
}

/** While claims keep failing (the database is gone), the wait between tries doubles up to this. */
const MAX_FAILURE_WAIT_MS = 5_000;
/** A claim failure is logged once per streak, then at most this often, so an outage does not flood the log. */
const FAILURE_LOG_EVERY_MS = 30_000;

interface Running<T> {
  queue: LeaseQueue<T>;
  inFlight: Set<Promise<void>>;
  /** The items those handlers hold. */
  held: Set<T>;
}

/**
 * The claim loop shared by the inbox worker and the dispatcher: claims up to the free slots of each queue, runs the
 * handlers in the background, and sleeps until a signal, a finished handler (a slot, and maybe its lane, is free), the
 * poll interval or a queue's own wake time. `stop` stops claiming, waits for the handlers in flight and returns the
 * leases still held.
 */
export class LeaseLoop<T> {
  private readonly running: Running<T>[];
  private abort = new AbortController();
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private woken = false;
  /** Claims failed in a row (any queue), and when that was last logged. */
  private failures = 0;
  private failureLoggedAt = 0;
  private renewTimer: NodeJS.Timeout | undefined;
  private renewing = false;

  constructor(private readonly opts: LeaseLoopOptions<T>) {
    this.running = opts.queues.map((queue) => ({ queue, inFlight: new Set(), held: new Set() }));
  }

  /** Starts claiming in the background (again, after a stop). */
  start(): void {
    if (this.loop) return;
    this.abort = new AbortController();
    this.loop = this.run();
    const renew = this.opts.renew;
    if (renew && !this.renewTimer) {
      this.renewTimer = setInterval(() => void this.renewHeld(renew), renew.everyMs);
      this.renewTimer.unref();
    }
  }

  /** Stops claiming, waits for the handlers in flight, then returns the leases still held. */
  async stop(): Promise<void> {
    this.abort.abort();
    this.wake();
    await this.loop;
    this.loop = undefined;
    await Promise.allSettled(this.running.flatMap((r) => [...r.inFlight]));
    clearInterval(this.renewTimer);
    this.renewTimer = undefined;
    await this.opts.releaseLeases().catch((err: unknown) => this.opts.log.warn({ err: errorName(err) }, 'could not return leases on stop'));
  }

  /** How many items are being handled now (tests). */
  inFlight(): number {
    return this.running.reduce((n, r) => n + r.inFlight.size, 0);
  }

  private async run(): Promise<void> {
    const abort = this.abort.signal;
    const latch = this.opts.latch();
    let signalled = false;
    try {
      while (!abort.aborted) {
        let claimed = 0;
        for (const r of this.running) {
          if (abort.aborted) break;
          claimed += await this.claimFor(r, signalled);
        }
        signalled = false;
        // Something was claimed: more may be due, claim again at once (a full or paused queue is skipped).
        if (claimed > 0) continue;
        signalled = await this.sleep(latch);
      }
    } finally {
      latch.close();
    }
  }

  private async claimFor(r: Running<T>, signalled: boolean): Promise<number> {
    const free = r.queue.slots - r.inFlight.size;
    if (free <= 0 || (free < r.queue.batch && r.inFlight.size > 0 && !signalled)) return 0;
    let items: T[];
    try {
      items = await r.queue.claim(free);
    } catch (err) {
      // Found by `npm run chaos` (database gone): a claim every poll interval, each logged, is tens of lines a second.
      this.failures++;
      const now = Date.now();
      if (this.failures === 1 || now - this.failureLoggedAt >= FAILURE_LOG_EVERY_MS) {
        this.failureLoggedAt = now;
        this.opts.log.error({ err, queue: r.queue.name, failures: this.failures }, 'claim failed; trying again less often while it fails');
      }
      return 0;
    }
    if (this.failures > 0) {
      this.opts.log.warn({ queue: r.queue.name, failures: this.failures }, 'claims work again');
      this.failures = 0;
    }
    for (const item of items) {
      r.held.add(item);
      const p: Promise<void> = r.queue
        .handle(item)
        .catch((err: unknown) => this.opts.log.error({ err: errorName(err), queue: r.queue.name }, 'handler threw'))
        .finally(() => {
          r.inFlight.delete(p);
          r.held.delete(item);
          this.wake();
        });
      r.inFlight.add(p);
    }
    return items.length;
  }

  /** One renewal of every lease held, skipped while the previous one still runs; a failure is logged, never thrown. */
  private async renewHeld(renew: NonNullable<LeaseLoopOptions<T>['renew']>): Promise<void> {
    const items = this.running.flatMap((r) => [...r.held]);
    if (items.length === 0 || this.renewing) return;
    this.renewing = true;
    try {
      await renew.leases(items);
    } catch (err) {
      this.opts.log.warn({ err: errorName(err), items: items.length }, 'could not renew leases');
    } finally {
      this.renewing = false;
    }
  }

  /**
   * Until a signal, the poll interval, a finished handler or stop; at once if a handler finished while the loop was
   * claiming. A finished handler ends the latch's wait through its abort signal, so no wait is left behind. True when
   * a signal ended it.
   */
  private async sleep(latch: Latch): Promise<boolean> {
    if (this.woken) {
      this.woken = false;
      return false;
    }
    const early = new AbortController();
    this.wakeUp = () => early.abort();
    const signalled = await latch.wait(this.waitMs(), early.signal);
    this.wakeUp = undefined;
    return signalled;
  }

  private wake(): void {
    const wakeUp = this.wakeUp;
    this.wakeUp = undefined;
    if (wakeUp) wakeUp();
    else this.woken = true;
  }

  private waitMs(): number {
    // Backs off while claims fail; a signal (new work) still wakes the loop at once.
    if (this.failures > 0) return Math.min(MAX_FAILURE_WAIT_MS, this.opts.pollIntervalMs * 2 ** Math.min(this.failures, 16));
    const hints = this.running.map((r) => r.queue.nextWakeMs?.()).filter((ms): ms is number => ms !== undefined);
    return Math.max(1, Math.min(this.opts.pollIntervalMs, ...hints));
  }
}

function errorName(err: unknown): string {
  return err instanceof Error ? err.name : 'unknown';
}
