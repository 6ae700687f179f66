import { pino } from 'pino';
import { OutMessageSchema } from '../content/messages.schema.js';
import type { Logger } from '../logger.js';
import type { ClaimedDelivery, DeliveryKind, DeliveryResult, OutboxRepo } from '../store/outbox.repo.js';
import type { Channel, ChannelId, OutboundDelivery, PolicyDecision, SendOutcome } from './channels/channel.js';
import type { ContactKeyer } from './log-keys.js';
import { LeaseLoop, type LeaseQueue } from './lease-loop.js';
import type { Metrics } from './metrics/metrics.js';
import { OutcomeBatcher } from './outcome-batcher.js';
import type { Signals } from './signals.js';

const MAX_ATTEMPTS = 8;
/** Logged when a send finished after its lease was lost (its row went back to the queue): `npm run chaos` counts it. */
export const LEASE_LOST_MESSAGE = 'delivery lease lost before its outcome was recorded';
const SILENT = pino({ level: 'silent' });
const BASE_BACKOFF_MS = 2_000;
const MAX_BACKOFF_MS = 30 * 60_000;
/** How often expired leases (a crashed replica's sends) are given back: not on every claim, it costs a statement. */
const RECOVER_EVERY_MS = 5_000;
/** The share of a channel's slots that campaign sends leave free for replies (at least one). */
const REPLY_SLOT_SHARE = 0.05;

/** How many of a channel's `slots` bulk sends may hold at once: all but a reserve for replies (none with one slot). */
export function bulkSlots(slots: number): number {
  return slots < 2 ? slots : slots - Math.max(1, Math.round(slots * REPLY_SLOT_SHARE));
}

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

/** One channel's state: when its rate limit lets each kind be claimed again, and its campaign sends in flight. */
interface ChannelState {
  pausedUntil: Record<DeliveryKind, number>;
  bulkInFlight: number;
}

/**
 * The only code that talks to a platform's send API. Claims due outbox rows per channel (replies before campaign
 * messages; one row per recipient lane and kind at a time, so a person's messages keep their order), applies the
 * channel's policy, sends, and records every outcome. Each channel has its own slots and its own rate-limit pause,
 * so a slow or throttled platform never holds another one back.
 */
export class Dispatcher {
  private readonly loop: LeaseLoop<ClaimedDelivery>;
  private readonly outcomes: OutcomeBatcher;
  private readonly now: () => Date;
  private lastRecovery = 0;

  constructor(
    private readonly deps: {
      outbox: OutboxRepo;
      channels: Map<ChannelId, Channel>;
      signals: Signals;
      log: Logger;
      contactKey: ContactKeyer;
      /**
       * Told each outcome once it is recorded (never for a tip-flow row), e.g. a Zalo group's health. Called without
       * waiting: it must return at once and do its work in the background (its errors are its own).
       */
      onRecorded?: (row: ClaimedDelivery, result: DeliveryResult) => void;
      /**
       * The time policies decide by (quiet hours, reply windows) and rows must be due by. Default: the wall clock,
       * with due times checked against the database's own `now()`. Tests inject one to make it 21:59 in Vietnam; it
       * must never run behind the wall clock (rows are queued at wall-clock times).
       */
      clock?: () => Date;
      /** Counts each attempt's result (bot_deliveries_total). */
      metrics?: Metrics;
    },
    private readonly opts: DispatcherOptions,
  ) {
    this.now = deps.clock ?? (() => new Date());
    this.outcomes = new OutcomeBatcher((batch) => deps.outbox.recordMany(opts.owner, batch));
    this.loop = new LeaseLoop({
      queues: [...deps.channels.keys()].map((id) => this.channelQueue(id)),
      latch: () => deps.signals.latch('outbox'),
      pollIntervalMs: opts.pollIntervalMs,
      releaseLeases: () => deps.outbox.releaseLeases(opts.owner),
      // A send may be several platform calls (parts, a token refresh): its lease is extended while it runs.
      renew: { everyMs: (opts.leaseSeconds * 1000) / 3, leases: (rows) => deps.outbox.renewLeases(opts.owner, rows.map((r) => r.id), opts.leaseSeconds) },
      log: deps.log,
    });
  }

  /** Starts dispatching in the background. */
  start(): void {
    this.loop.start();
  }

  /** Stops claiming, waits for sends in flight, returns leases still held. */
  async stop(): Promise<void> {
    await this.loop.stop();
  }

  /**
   * One channel's queue: its own slots (campaign sends never hold the last few, so a new reply is sent at once behind
   * any broadcast), and its own pause per kind while its rate limit says no.
   */
  private channelQueue(id: ChannelId): LeaseQueue<ClaimedDelivery> {
    const state: ChannelState = { pausedUntil: { reply: 0, bulk: 0 }, bulkInFlight: 0 };
    const maxBulk = bulkSlots(this.opts.concurrency);
    return {
      name: `outbox:${id}`,
      slots: this.opts.concurrency,
      // With every slot busy, claiming a batch once a quarter is free costs far fewer queries than one row per query.
      batch: Math.max(1, Math.floor(this.opts.concurrency / 4)),
      claim: async (free) => {
        const now = Date.now();
        const kinds = (['reply', 'bulk'] as const).filter((k) => state.pausedUntil[k] <= now);
        if (kinds.length === 0) return [];
        const recover = now - this.lastRecovery >= RECOVER_EVERY_MS;
        if (recover) this.lastRecovery = now;
        const rows = await this.deps.outbox.claim(this.opts.owner, free, this.opts.leaseSeconds, id, { kinds, recover, bulkLimit: maxBulk - state.bulkInFlight, ...(this.deps.clock ? { now: this.now() } : {}) });
        state.bulkInFlight += rows.filter((r) => r.kind === 'bulk').length;
        return rows;
      },
      handle: async (row) => {
        try {
          await this.deliver(row, state);
        } finally {
          if (row.kind === 'bulk') state.bulkInFlight -= 1;
        }
      },
      // Sooner than the poll interval when a rate-limit pause ends.
      nextWakeMs: () => {
        const now = Date.now();
        const ends = Object.values(state.pausedUntil).filter((t) => t > now);
        return ends.length > 0 ? Math.max(10, Math.min(...ends) - now) : undefined;
      },
    };
  }

  private async deliver(row: ClaimedDelivery, state: ChannelState): Promise<void> {
    // Nothing is logged about a tip-flow message: not even which contact it was for (DESIGN.md §4).
    const log = row.sensitive ? SILENT : this.deps.log.child({ deliveryId: String(row.id), channel: row.channel, contactKey: this.deps.contactKey(row.laneKey) });
    const now = this.now();
    const wallNow = Date.now();
    let result: DeliveryResult;
    try {
      result = await this.attempt(row, now);
    } catch (err) {
      log.error({ err: err instanceof Error ? err.name : 'unknown' }, 'send threw; will retry');
      result = resultOf({ ok: false, outcome: 'transient', detail: 'send threw an exception' }, row.attempts, now);
    }
    this.deps.metrics?.delivery(row.channel, row.kind, result);
    // Our own rate limit said no: stop claiming this kind for this channel until the window turns, instead of taking
    // (and putting back) every queued row meanwhile.
    // The pause is kept in wall-clock time (the policy's clock may be set elsewhere): as long as the retry's wait.
    if (result.status === 'pending' && result.refundAttempt && result.outcome === 'rate_limited') {
      state.pausedUntil[row.kind] = Math.max(state.pausedUntil[row.kind], wallNow + (result.retryAt.getTime() - now.getTime()));
    }
    try {
      // Written together with the outcomes of other sends that finish meanwhile (one statement per batch).
      const recorded = await this.outcomes.record(row.id, result);
      if (!recorded) log.warn(LEASE_LOST_MESSAGE);
      else if (this.deps.onRecorded && !row.sensitive) this.notifyRecorded(row, result, log);
      if (result.status !== 'sent') log.info({ status: result.status, outcome: result.outcome, code: result.platformCode }, 'delivery not sent');
    } catch (err) {
      // The lease will expire and the row will be tried again: a possible duplicate, never a loss.
      log.error({ err: err instanceof Error ? err.name : 'unknown' }, 'could not record delivery outcome');
    } finally {
      // The next message of this recipient's lane is claimable now: the lease loop claims again as this returns.
      this.deps.signals.emit('delivered');
    }
  }

  private notifyRecorded(row: ClaimedDelivery, result: DeliveryResult, log: Logger): void {
    try {
      this.deps.onRecorded?.(row, result);
    } catch (err) {
      log.error({ err: err instanceof Error ? err.name : 'unknown' }, 'onRecorded hook threw');
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
      kind: row.kind,
    };
    const decision = policyFor(channel, delivery, row.subscribed, now);
    if (decision.kind === 'skip') return { status: 'skipped', outcome: decision.outcome, reason: decision.reason };
    if (decision.kind === 'defer') return { status: 'pending', outcome: decision.outcome, reason: decision.reason, retryAt: decision.until, refundAttempt: true };
    const outcome = await channel.send(delivery);
    // A retry waits from the answer, not from before the call: a slow call (or Retry-After) must not shorten the wait.
    return resultOf(outcome, row.attempts, this.now());
  }
}

/** The channel's policy, after the rule every channel shares: campaign messages never go to someone who opted out. */
export function policyFor(channel: Channel, delivery: OutboundDelivery, subscribed: boolean | null, now: Date): PolicyDecision {
  if (delivery.kind === 'bulk' && subscribed === false) return { kind: 'skip', outcome: 'opted_out', reason: 'the person opted out of campaign messages' };
  return channel.policy(delivery, now);
}
