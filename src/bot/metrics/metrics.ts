import type { RequestHandler } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { PoolStats } from '../../store/database.js';
import type { QueueStats } from '../../store/inbox.repo.js';

// Every label below takes values from a short fixed list: never a contact, user, account, tip or message text
// (README "Metrics and alerts"). Anything outside a list is counted as `other`.

/** Channels as labels. */
export const CHANNELS = ['zalo', 'messenger', 'simulator'] as const;
/** Why a webhook request was answered with something other than 200. */
export const WEBHOOK_REJECTIONS = ['bad_signature', 'malformed', 'too_large', 'error', 'aborted'] as const;
/** What became of an event inside an acknowledged webhook request. */
export const WEBHOOK_EVENT_RESULTS = ['stored', 'duplicate', 'refused', 'ignored', 'dropped', 'receipt'] as const;
/** How a turn ended (TurnResult reasons, and `error` when it threw and will be retried). */
export const TURN_OUTCOMES = ['ok', 'invalid_payload', 'lease_lost', 'error'] as const;
/** What a delivery attempt led to: sent, deferred (no attempt spent), retry later, skipped or failed for good. */
export const DELIVERY_RESULTS = ['sent', 'deferred', 'retry', 'skipped', 'failed'] as const;
/** Recorded delivery outcomes (SendFailure, DeferReason, SkipReason and `sent`). */
export const DELIVERY_REASONS = ['sent', 'rate_limited', 'window_closed', 'quiet_hours', 'user_unavailable', 'token_expired', 'invalid', 'transient', 'opted_out', 'cancelled'] as const;
/** The queues whose depth and oldest item are sampled at each scrape. */
export const QUEUES = ['inbox', 'outbox_reply', 'outbox_bulk', 'broadcasts'] as const;

export type MetricChannel = (typeof CHANNELS)[number];
export type WebhookRejection = (typeof WEBHOOK_REJECTIONS)[number];
export type WebhookEventResult = (typeof WEBHOOK_EVENT_RESULTS)[number];
export type TurnOutcome = (typeof TURN_OUTCOMES)[number];
export type QueueName = (typeof QUEUES)[number];

/** One queue as sampled (`oldestAt`: when the oldest due item became due, or arrived for the inbox). */
export interface QueueSample extends QueueStats {
  queue: QueueName;
}

/** Where the sampled gauges come from: read at each scrape, each bounded in time and failing on its own. */
export interface MetricSources {
  ready(): Promise<boolean>;
  queues(): Promise<QueueSample[]>;
  /** Urgent open tips nobody acknowledged, and the (hour-truncated) arrival of the oldest: a count, nothing else. */
  urgentTips(): Promise<{ count: number; oldestAt: Date | null }>;
  pools(): PoolStats[];
  inboxByStatus(): Promise<Record<string, number>>;
  outboxByStatus(): Promise<Record<string, number>>;
  openAlerts(): Promise<{ kind: string }[]>;
  /** When the stored Zalo access token expires (absent without Zalo). */
  zaloTokenExpiresAt?(): Promise<Date | null>;
}

/** How a recorded delivery result is counted (the fields of DeliveryResult that matter here). */
export interface CountedDelivery {
  status: string;
  outcome: string;
  refundAttempt?: boolean;
}

const SAMPLE_TIMEOUT_MS = 3_000;
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];
// Zalo wants a 200 within 2 s, Meta within 5 s (shared/PLATFORMS.md): both are bucket bounds.
const ACK_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10];

const pick = <T extends string>(list: readonly T[], value: string): T | 'other' => ((list as readonly string[]).includes(value) ? (value as T) : 'other');

/** The reason a webhook answer counts as rejected, from its status; null for an acknowledgement. */
export function rejectionOf(status: number): WebhookRejection | null {
  if (status >= 200 && status < 300) return null;
  if (status === 401 || status === 403) return 'bad_signature';
  if (status === 413) return 'too_large';
  if (status >= 500) return 'error';
  return 'malformed';
}

/**
 * The bot's Prometheus metrics in one registry: counters and histograms the pipeline moves (one call at each seam),
 * gauges sampled from the database at each scrape (`sample`), and Node's default process metrics (event-loop lag
 * included). Created once by the composition root; tests make their own (the registry is never the global one).
 */
export class Metrics {
  readonly registry = new Registry();
  private sources: MetricSources | undefined;

  private readonly webhookReceived = new Counter({ name: 'bot_webhook_received_total', help: 'Webhook requests received, by channel.', labelNames: ['channel'] as const, registers: [this.registry] });
  private readonly webhookRejected = new Counter({ name: 'bot_webhook_rejected_total', help: 'Webhook requests not acknowledged with 200, by channel and reason (bad_signature, malformed, too_large, error = 5xx, aborted).', labelNames: ['channel', 'reason'] as const, registers: [this.registry] });
  private readonly webhookAck = new Histogram({ name: 'bot_webhook_ack_seconds', help: 'Time from a webhook request to its answer, by channel (Zalo needs < 2 s, Meta < 5 s).', labelNames: ['channel'] as const, buckets: ACK_BUCKETS, registers: [this.registry] });
  private readonly webhookEvents = new Counter({ name: 'bot_webhook_events_total', help: 'Events in acknowledged requests, by channel and result (stored, duplicate, refused: cannot be stored, ignored kind, dropped as unusable, receipt).', labelNames: ['channel', 'result'] as const, registers: [this.registry] });
  private readonly eventsProcessed = new Counter({ name: 'bot_events_processed_total', help: 'Inbox events the worker ran a turn for, by channel and outcome (error: will be retried).', labelNames: ['channel', 'outcome'] as const, registers: [this.registry] });
  private readonly turnLatency = new Histogram({ name: 'bot_turn_latency_seconds', help: 'From an event stored in the inbox to its turn done (replies in the outbox), by channel.', labelNames: ['channel'] as const, buckets: LATENCY_BUCKETS, registers: [this.registry] });
  private readonly deliveries = new Counter({ name: 'bot_deliveries_total', help: 'Delivery attempts by channel, kind (reply, bulk), result (sent, deferred, retry, skipped, failed) and reason (the recorded outcome).', labelNames: ['channel', 'kind', 'result', 'reason'] as const, registers: [this.registry] });
  private readonly rateLimitWaits = new Counter({ name: 'bot_rate_limit_waits_total', help: 'Sends held back by the shared rate limit (the send waits for the next window), by channel and kind.', labelNames: ['channel', 'kind'] as const, registers: [this.registry] });

  private readonly ready = new Gauge({ name: 'bot_ready', help: '1 when /readyz would answer ready (database answers, migrations applied), else 0.', registers: [this.registry] });
  private readonly queueDepth = new Gauge({ name: 'bot_queue_depth', help: 'Items per queue and state: due (ready to be worked), deferred (waiting for a later time), in_flight (leased). Counted up to 100000.', labelNames: ['queue', 'state'] as const, registers: [this.registry] });
  private readonly queueOldest = new Gauge({ name: 'bot_queue_oldest_age_seconds', help: 'Age of the oldest due item per queue (0 when none is due).', labelNames: ['queue'] as const, registers: [this.registry] });
  private readonly urgentCount = new Gauge({ name: 'bot_urgent_tips_unacknowledged', help: 'Urgent open tips no handler has acknowledged yet.', registers: [this.registry] });
  private readonly urgentOldest = new Gauge({ name: 'bot_urgent_tip_oldest_unacknowledged_seconds', help: 'Age of the oldest unacknowledged urgent tip, counted from the hour it arrived (tip times are stored to the hour); 0 when none.', registers: [this.registry] });
  private readonly zaloExpiry = new Gauge({ name: 'bot_zalo_token_expires_in_seconds', help: 'Seconds until the stored Zalo OA access token expires (negative: expired). Absent without Zalo.', registers: [this.registry] });
  private readonly poolConnections = new Gauge({ name: 'bot_db_pool_connections', help: 'Database connections per pool and state (in_use, idle).', labelNames: ['pool', 'state'] as const, registers: [this.registry] });
  private readonly poolWaiting = new Gauge({ name: 'bot_db_pool_waiting_requests', help: 'Requests waiting for a database connection, per pool (embedded: statements queued behind the running one).', labelNames: ['pool'] as const, registers: [this.registry] });
  private readonly inboxByStatus = new Gauge({ name: 'bot_inbox_events', help: 'Inbound events by status (pending and processing form the backlog), each counted up to 100000.', labelNames: ['status'] as const, registers: [this.registry] });
  private readonly outboxByStatus = new Gauge({ name: 'bot_outbox_deliveries', help: 'Outgoing deliveries by status, each counted up to 100000.', labelNames: ['status'] as const, registers: [this.registry] });
  private readonly openAlerts = new Gauge({ name: 'bot_open_alerts', help: 'Operator alerts not yet resolved (e.g. a failed Zalo token refresh, an urgent tip), by kind.', labelNames: ['kind'] as const, registers: [this.registry] });
  private readonly sampleErrors = new Counter({ name: 'bot_metrics_sample_errors_total', help: 'Scrapes where a sampled source failed or took over 3 s (its gauges are left out of that scrape), by source.', labelNames: ['source'] as const, registers: [this.registry] });

  /** `defaultMetrics: false` leaves out Node's process metrics (tests that only count). */
  constructor(opts: { defaultMetrics?: boolean } = {}) {
    if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 10 });
    // Known series start at 0, so rate() and the alert rules see them before the first event.
    for (const channel of ['zalo', 'messenger'] as const) {
      this.webhookReceived.inc({ channel }, 0);
      for (const reason of WEBHOOK_REJECTIONS) this.webhookRejected.inc({ channel, reason }, 0);
    }
  }

  /** Gives the gauges read at each scrape their sources (the composition root, once the repositories exist). */
  sampleFrom(sources: MetricSources): void {
    this.sources = sources;
  }

  /**
   * Middleware for one webhook route, mounted before its body parser: counts the request, its answer (a status other
   * than 2xx counts as rejected, by reason) and the time to answer; a connection closed before the answer is `aborted`.
   */
  webhook(channel: 'zalo' | 'messenger'): RequestHandler {
    return (req, res, next) => {
      if (req.method !== 'POST') return next();
      const started = process.hrtime.bigint();
      this.webhookReceived.inc({ channel });
      res.once('close', () => {
        if (!res.writableFinished) return void this.webhookRejected.inc({ channel, reason: 'aborted' });
        this.webhookAck.observe({ channel }, Number(process.hrtime.bigint() - started) / 1e9);
        const reason = rejectionOf(res.statusCode);
        if (reason) this.webhookRejected.inc({ channel, reason });
      });
      next();
    };
  }

  /** Counts what the inbox made of one batch of events (all of one channel): stored, duplicates, refused. */
  stored(channel: string, result: { inserted: readonly unknown[]; duplicates: number; rejected: readonly unknown[] }): void {
    this.webhookEvent(channel, 'stored', result.inserted.length);
    this.webhookEvent(channel, 'duplicate', result.duplicates);
    this.webhookEvent(channel, 'refused', result.rejected.length);
  }

  /** Counts `n` events of an acknowledged webhook request by what became of them. */
  webhookEvent(channel: string, result: WebhookEventResult, n = 1): this {
    if (n > 0) this.webhookEvents.inc({ channel: pick(CHANNELS, channel), result }, n);
    return this;
  }

  /** Counts one processed event; a finished turn's latency counts from `storedAt`, when the event entered the inbox. */
  turn(channel: string, outcome: TurnOutcome, storedAt?: Date): void {
    const label = pick(CHANNELS, channel);
    this.eventsProcessed.inc({ channel: label, outcome });
    if (outcome === 'ok' && storedAt instanceof Date) this.turnLatency.observe({ channel: label }, Math.max(0, Date.now() - storedAt.getTime()) / 1000);
  }

  /** Counts one delivery attempt by what is recorded for it. */
  delivery(channel: string, kind: string, result: CountedDelivery): void {
    const counted = result.status === 'sent' ? 'sent' : result.status === 'pending' ? (result.refundAttempt ? 'deferred' : 'retry') : pick(DELIVERY_RESULTS, result.status);
    this.deliveries.inc({ channel: pick(CHANNELS, channel), kind: kind === 'bulk' ? 'bulk' : 'reply', result: counted, reason: pick(DELIVERY_REASONS, result.outcome) });
  }

  /** Counts a send the rate limit held back; `key` is the limiter's key (`zalo:app:<id>`): only its channel is kept. */
  rateLimitWait(key: string, bulk: boolean): void {
    this.rateLimitWaits.inc({ channel: pick(CHANNELS, key.split(':')[0] ?? ''), kind: bulk ? 'bulk' : 'reply' });
  }

  /** Reads every sampled gauge from its source; a source that fails or is slow is left out, never failing the scrape. */
  async sample(now = Date.now()): Promise<void> {
    const s = this.sources;
    if (!s) return;
    const age = (at: Date | null) => (at ? Math.max(0, (now - at.getTime()) / 1000) : 0);
    await Promise.all([
      this.read('ready', () => s.ready(), (ok) => this.ready.set(ok ? 1 : 0), () => this.ready.set(0)),
      this.read('queues', () => s.queues(), (queues) => {
        for (const q of queues) {
          this.queueDepth.set({ queue: q.queue, state: 'due' }, q.due);
          this.queueDepth.set({ queue: q.queue, state: 'deferred' }, q.deferred);
          this.queueDepth.set({ queue: q.queue, state: 'in_flight' }, q.inFlight);
          this.queueOldest.set({ queue: q.queue }, age(q.oldestAt));
        }
      }, () => {
        this.queueDepth.reset();
        this.queueOldest.reset();
      }),
      this.read('urgent_tips', () => s.urgentTips(), (t) => {
        this.urgentCount.set(t.count);
        this.urgentOldest.set(t.count > 0 ? age(t.oldestAt) : 0);
      }, () => {
        this.urgentCount.reset();
        this.urgentOldest.reset();
      }),
      this.read('pools', async () => s.pools(), (pools) => {
        for (const p of pools) {
          this.poolConnections.set({ pool: p.pool, state: 'in_use' }, p.inUse);
          this.poolConnections.set({ pool: p.pool, state: 'idle' }, p.idle);
          this.poolWaiting.set({ pool: p.pool }, p.waiting);
        }
      }, () => {}),
      this.read('inbox_status', () => s.inboxByStatus(), (counts) => setAll(this.inboxByStatus, counts), () => this.inboxByStatus.reset()),
      this.read('outbox_status', () => s.outboxByStatus(), (counts) => setAll(this.outboxByStatus, counts), () => this.outboxByStatus.reset()),
      this.read('alerts', () => s.openAlerts(), (alerts) => {
        this.openAlerts.reset();
        for (const a of alerts) this.openAlerts.inc({ kind: a.kind });
      }, () => this.openAlerts.reset()),
      ...(s.zaloTokenExpiresAt
        ? [this.read('zalo_token', () => s.zaloTokenExpiresAt!(), (at) => (at ? this.zaloExpiry.set((at.getTime() - now) / 1000) : this.zaloExpiry.reset()), () => this.zaloExpiry.reset())]
        : []),
    ]);
  }

  /** The text of a scrape: samples the gauges first. */
  async scrape(): Promise<string> {
    await this.sample();
    return this.registry.metrics();
  }

  private async read<T>(source: string, get: () => Promise<T>, set: (value: T) => void, unknown: () => void): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), SAMPLE_TIMEOUT_MS)));
      set(await Promise.race([get(), timeout]));
    } catch {
      this.sampleErrors.inc({ source });
      unknown();
    } finally {
      clearTimeout(timer);
    }
  }
}

function setAll(gauge: Gauge<'status'>, counts: Record<string, number>): void {
  for (const [status, n] of Object.entries(counts)) gauge.set({ status }, n);
}
