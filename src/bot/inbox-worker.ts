import type { Logger } from '../logger.js';
import type { ClaimedEvent, InboxRepo } from '../store/inbox.repo.js';
import { LeaseLoop } from './lease-loop.js';
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
 * While this many webhook requests or more are waiting for their insert, the worker runs one turn at a time:
 * acknowledging a webhook in time (Zalo gives 2 s) comes before answering it, since an acknowledged event is durable
 * in the inbox and its turn runs once the burst has passed; the one turn keeps the inbox moving meanwhile. Measured on
 * PostgreSQL (`npm run bench`, ingest with the worker on): 0.29–0.36 of express with a quarter of the slots, 0.40–0.42
 * with one.
 */
export const INGEST_BUSY_REQUESTS = 8;

/**
 * Claims stored events and runs their turns: one contact at a time and in order (the claim only returns the oldest
 * unfinished event of each lane), different contacts in parallel up to `concurrency`.
 */
export class InboxWorker {
  private readonly loop: LeaseLoop<ClaimedEvent>;

  constructor(
    private readonly deps: { inbox: InboxRepo; processor: TurnProcessor; signals: Signals; log: Logger; contactKey: ContactKeyer; ingestBusy?: () => boolean },
    private readonly opts: InboxWorkerOptions,
  ) {
    this.loop = new LeaseLoop({
      queues: [
        {
          name: 'inbox',
          // Read at every claim: one turn at a time while webhooks are waiting for their insert.
          get slots() {
            return deps.ingestBusy?.() ? 1 : opts.concurrency;
          },
          // Under load, one claim leases a quarter of the slots at once rather than one event per query.
          batch: Math.max(1, Math.floor(opts.concurrency / 4)),
          claim: (free) => deps.inbox.claim(opts.owner, free, opts.leaseSeconds, MAX_ATTEMPTS),
          handle: (event) => this.handle(event),
        },
      ],
      latch: () => deps.signals.latch('inbox'),
      pollIntervalMs: opts.pollIntervalMs,
      releaseLeases: () => deps.inbox.releaseLeases(opts.owner),
      log: deps.log,
    });
  }

  /** Starts claiming in the background. */
  start(): void {
    this.loop.start();
  }

  /** Stops claiming, waits for turns in flight, then returns any leases still held. */
  async stop(): Promise<void> {
    await this.loop.stop();
  }

  /** Claims and processes what is due right now; returns how many events it took (tests and benchmarks). */
  async drainOnce(): Promise<number> {
    const events = await this.deps.inbox.claim(this.opts.owner, this.opts.concurrency, this.opts.leaseSeconds, MAX_ATTEMPTS);
    await Promise.all(events.map((e) => this.handle(e)));
    return events.length;
  }

  private async handle(event: ClaimedEvent): Promise<void> {
    // Built only when something is logged: the contact key is an HMAC, a cost on every turn otherwise.
    const log = () => this.deps.log.child({ eventId: String(event.id), channel: event.channel, contactKey: this.deps.contactKey(event.laneKey) });
    try {
      const result = await this.deps.processor.process(event, this.opts.owner);
      if (!result.ok) log().warn({ reason: result.reason }, 'event not processed');
      // Nothing at all is logged about a sensitive turn (the tip flow), not even that it happened.
      else if (!result.sensitive && this.deps.log.isLevelEnabled('debug')) log().debug({ replies: result.replies }, 'turn processed');
    } catch (err) {
      log().error({ err: errorSummary(err), attempt: event.attempts }, 'turn failed; will retry');
      const backoff = Math.min(60, 2 ** event.attempts);
      await this.deps.inbox.fail(event.id, this.opts.owner, errorSummary(err), MAX_ATTEMPTS, backoff).catch(() => {});
    } finally {
      this.deps.signals.emit('processed');
      this.deps.signals.emit('outbox');
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
