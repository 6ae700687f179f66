import type { Logger } from '../logger.js';
import type { InboxRepo } from '../store/inbox.repo.js';
import type { ContactKeyer } from './log-keys.js';
import type { Signals } from './signals.js';
import type { TurnProcessor } from './turn-processor.js';

const MAX_ATTEMPTS = 5;

/** Options of the inbox worker. */
export interface InboxWorkerOptions {
  owner: string;
  concurrency: number;
  leaseSeconds: number;
  pollIntervalMs: number;
}

/**
 * Claims stored events and runs their turns: one contact at a time and in order (the claim only returns the oldest
 * unfinished event of each lane), different contacts in parallel up to `concurrency`.
 */
export class InboxWorker {
  private readonly inFlight = new Set<Promise<void>>();
  private stopping = new AbortController();
  private loop: Promise<void> | undefined;

  constructor(
    private readonly deps: { inbox: InboxRepo; processor: TurnProcessor; signals: Signals; log: Logger; contactKey: ContactKeyer },
    private readonly opts: InboxWorkerOptions,
  ) {}

  /** Starts claiming in the background. */
  start(): void {
    this.stopping = new AbortController();
    this.loop ??= this.run();
  }

  /** Stops claiming, waits for turns in flight, then returns any leases still held. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.loop;
    this.loop = undefined;
    await Promise.allSettled([...this.inFlight]);
    await this.deps.inbox.releaseLeases(this.opts.owner).catch(() => 0);
  }

  /** Claims and processes what is due right now; returns how many events it took (tests and benchmarks). */
  async drainOnce(): Promise<number> {
    const events = await this.deps.inbox.claim(this.opts.owner, this.opts.concurrency, this.opts.leaseSeconds, MAX_ATTEMPTS);
    await Promise.all(events.map((e) => this.handle(e)));
    return events.length;
  }

  private async run(): Promise<void> {
    const abort = this.stopping.signal;
    while (!abort.aborted) {
      const free = this.opts.concurrency - this.inFlight.size;
      let claimed = 0;
      if (free > 0) {
        try {
          const events = await this.deps.inbox.claim(this.opts.owner, free, this.opts.leaseSeconds, MAX_ATTEMPTS);
          claimed = events.length;
          for (const e of events) {
            const p = this.handle(e).finally(() => this.inFlight.delete(p));
            this.inFlight.add(p);
          }
        } catch (err) {
          this.deps.log.error({ err }, 'inbox claim failed');
        }
      }
      if (claimed > 0 && free - claimed > 0) continue;
      if (this.inFlight.size >= this.opts.concurrency) await Promise.race([...this.inFlight]);
      else if (claimed === 0) await this.deps.signals.wait('inbox', this.opts.pollIntervalMs, abort);
    }
  }

  private async handle(event: Awaited<ReturnType<InboxRepo['claim']>>[number]): Promise<void> {
    const log = this.deps.log.child({ eventId: String(event.id), channel: event.channel, contactKey: this.deps.contactKey(event.laneKey) });
    try {
      const result = await this.deps.processor.process(event, this.opts.owner);
      if (!result.ok) log.warn({ reason: result.reason }, 'event not processed');
      // Nothing at all is logged about a sensitive turn (the tip flow), not even that it happened.
      else if (!result.sensitive) log.debug({ replies: result.replies }, 'turn processed');
    } catch (err) {
      log.error({ err: errorSummary(err), attempt: event.attempts }, 'turn failed; will retry');
      const backoff = Math.min(60, 2 ** event.attempts);
      await this.deps.inbox.fail(event.id, this.opts.owner, errorSummary(err), MAX_ATTEMPTS, backoff).catch(() => {});
    } finally {
      this.deps.signals.emit('processed');
      this.deps.signals.emit('outbox');
      // The next event of this contact's lane has just become claimable.
      this.deps.signals.emit('inbox');
    }
  }
}

// Error messages may quote SQL parameters (message text); keep only the error's class and code.
function errorSummary(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return `${err.name}${code ? ` ${String(code)}` : ''}`;
  }
  return 'unknown error';
}
