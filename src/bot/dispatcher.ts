import { pino } from 'pino';
import { OutMessageSchema } from '../content/messages.schema.js';
import type { Logger } from '../logger.js';
import type { ClaimedDelivery, DeliveryResult, OutboxRepo } from '../store/outbox.repo.js';
import type { Channel, ChannelId, SendOutcome } from './channels/channel.js';
import type { ContactKeyer } from './log-keys.js';
import type { Signals } from './signals.js';

const MAX_ATTEMPTS = 8;
const SILENT = pino({ level: 'silent' });
const BASE_BACKOFF_MS = 2_000;
const MAX_BACKOFF_MS = 30 * 60_000;

/** Options of the dispatcher. */
export interface DispatcherOptions {
  owner: string;
  concurrency: number;
  leaseSeconds: number;
  pollIntervalMs: number;
}

/** Exponential backoff with full jitter: a random delay up to base·2^(attempt-1), capped. */
export function backoffMs(attempt: number, random = Math.random): number {
  const ceiling = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** Turns a send outcome into what is recorded on the delivery. */
export function resultOf(outcome: SendOutcome, attempts: number, now: Date): DeliveryResult {
  if (outcome.ok) {
    return {
      status: 'sent',
      outcome: 'sent',
      ...(outcome.platformCode ? { platformCode: outcome.platformCode } : {}),
      ...(outcome.platformMessageId ? { platformMessageId: outcome.platformMessageId } : {}),
    };
  }
  const code = outcome.platformCode ? { platformCode: outcome.platformCode } : {};
  switch (outcome.outcome) {
    case 'rate_limited':
    case 'transient':
    case 'token_expired':
    case 'quiet_hours': {
      if (outcome.throttled) {
        return { status: 'pending', outcome: outcome.outcome, reason: outcome.detail, retryAt: new Date(now.getTime() + (outcome.retryAfterMs ?? 1000)), refundAttempt: true };
      }
      if (attempts >= MAX_ATTEMPTS && outcome.outcome !== 'quiet_hours') {
        return { status: 'failed', outcome: outcome.outcome, reason: `gave up after ${attempts} attempts: ${outcome.detail}`, ...code };
      }
      const wait = outcome.retryAfterMs ?? backoffMs(attempts);
      return { status: 'pending', outcome: outcome.outcome, reason: outcome.detail, retryAt: new Date(now.getTime() + wait), ...code };
    }
    case 'window_closed':
      return { status: 'skipped', outcome: outcome.outcome, reason: outcome.detail, ...code };
    case 'user_unavailable':
    case 'invalid':
      return { status: 'failed', outcome: outcome.outcome, reason: outcome.detail, ...code };
  }
}

/**
 * The only code that talks to a platform's send API. Claims due outbox rows (one per recipient lane at a time, so a
 * person's messages keep their order), applies the channel's policy, sends, and records every outcome.
 */
export class Dispatcher {
  private readonly inFlight = new Set<Promise<void>>();
  private stopping = new AbortController();
  private loop: Promise<void> | undefined;

  constructor(
    private readonly deps: { outbox: OutboxRepo; channels: Map<ChannelId, Channel>; signals: Signals; log: Logger; contactKey: ContactKeyer },
    private readonly opts: DispatcherOptions,
  ) {}

  /** Starts dispatching in the background. */
  start(): void {
    this.stopping = new AbortController();
    this.loop ??= this.run();
  }

  /** Stops claiming, waits for sends in flight, returns leases still held. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.loop;
    this.loop = undefined;
    await Promise.allSettled([...this.inFlight]);
    await this.deps.outbox.releaseLeases(this.opts.owner).catch(() => 0);
  }

  private async run(): Promise<void> {
    const abort = this.stopping.signal;
    const channels = [...this.deps.channels.keys()];
    while (!abort.aborted) {
      const free = this.opts.concurrency - this.inFlight.size;
      let claimed = 0;
      if (free > 0 && channels.length > 0) {
        try {
          const rows = await this.deps.outbox.claim(this.opts.owner, free, this.opts.leaseSeconds, channels);
          claimed = rows.length;
          for (const row of rows) {
            const p = this.deliver(row).finally(() => this.inFlight.delete(p));
            this.inFlight.add(p);
          }
        } catch (err) {
          this.deps.log.error({ err }, 'outbox claim failed');
        }
      }
      if (claimed > 0 && free - claimed > 0) continue;
      if (this.inFlight.size >= this.opts.concurrency) await Promise.race([...this.inFlight]);
      else if (claimed === 0) await this.deps.signals.wait('outbox', this.opts.pollIntervalMs, abort);
    }
  }

  private async deliver(row: ClaimedDelivery): Promise<void> {
    // Nothing is logged about a tip-flow message: not even which contact it was for (DESIGN.md §4).
    const log = row.sensitive ? SILENT : this.deps.log.child({ deliveryId: String(row.id), channel: row.channel, contactKey: this.deps.contactKey(row.laneKey) });
    const now = new Date();
    let result: DeliveryResult;
    try {
      result = await this.attempt(row, now);
    } catch (err) {
      log.error({ err: err instanceof Error ? err.name : 'unknown' }, 'send threw; will retry');
      result = resultOf({ ok: false, outcome: 'transient', detail: 'send threw an exception' }, row.attempts, now);
    }
    try {
      const recorded = await this.deps.outbox.record(row.id, this.opts.owner, result);
      if (!recorded) log.warn('delivery lease lost before its outcome was recorded');
      if (result.status !== 'sent') log.info({ status: result.status, outcome: result.outcome, code: result.platformCode }, 'delivery not sent');
    } catch (err) {
      // The lease will expire and the row will be tried again: a possible duplicate, never a loss.
      log.error({ err: err instanceof Error ? err.name : 'unknown' }, 'could not record delivery outcome');
    } finally {
      this.deps.signals.emit('delivered');
      // The next message of this recipient's lane is claimable now.
      this.deps.signals.emit('outbox');
    }
  }

  private async attempt(row: ClaimedDelivery, now: Date): Promise<DeliveryResult> {
    const channel = this.deps.channels.get(row.channel as ChannelId);
    if (!channel) return { status: 'pending', outcome: 'transient', reason: 'channel not enabled here', retryAt: new Date(now.getTime() + 60_000) };
    const message = OutMessageSchema.safeParse(row.message);
    if (!message.success) return { status: 'failed', outcome: 'invalid', reason: 'stored message does not match the message schema' };
    const delivery = {
      id: row.id,
      accountId: row.accountId,
      recipient: row.recipient,
      message: message.data,
      attempts: row.attempts,
      lastInteractionAt: row.lastInteractionAt,
    };
    const decision = channel.policy(delivery, now);
    if (decision.kind === 'skip') return { status: 'skipped', outcome: 'window_closed', reason: decision.reason };
    if (decision.kind === 'defer') return { status: 'pending', outcome: 'quiet_hours', reason: decision.reason, retryAt: decision.until, refundAttempt: true };
    return resultOf(await channel.send(delivery), row.attempts, now);
  }
}
