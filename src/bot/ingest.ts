import { AppError } from '../errors.js';
import type { InboxRepo, InsertOutcome, NewInboundEvent } from '../store/inbox.repo.js';
import { normalizeJsonStrings, normalizeText } from './channels/normalize-text.js';
import { IngestBatcher, type FlushInfo, type IngestBatchSettings } from './ingest-batcher.js';
import type { Metrics } from './metrics/metrics.js';
import type { Signals } from './signals.js';

/** An event that was not stored, by its index in the batch, and why (never its content or ids). */
export interface RejectedEvent {
  index: number;
  reason: string;
}

/** The result of storing a batch of verified events. */
export interface IngestResult {
  inserted: bigint[];
  duplicates: number;
  /** Events that can never be stored (retrying cannot help): the caller acknowledges and logs them. */
  rejected: RejectedEvent[];
}

// The keys are indexed, and a B-tree entry holds at most 2704 bytes; the channels' own bounds are far below this.
const MAX_KEY_BYTES = 1024;

/** Group commit by default: up to 256 events per statement, no waiting beyond the flush already running. */
export const DEFAULT_INGEST_BATCH: IngestBatchSettings = { maxEvents: 256, waitMs: 0 };

/**
 * Persist-before-ack: stores verified events (normalised, deduplicated) and wakes the worker. Requests that arrive
 * together share one insert and one commit (see ingest-batcher.ts); each still gets its own result.
 */
export class Ingest {
  private readonly batcher: IngestBatcher;
  private storing = 0;
  private readonly metrics: Metrics | undefined;

  constructor(deps: { inbox: InboxRepo; signals: Signals; batch?: IngestBatchSettings; onFlush?: (info: FlushInfo) => void; metrics?: Metrics }) {
    this.metrics = deps.metrics;
    this.batcher = new IngestBatcher(
      {
        insert: async (events) => {
          const outcomes = await deps.inbox.insertEach(events);
          if (outcomes.some((o) => o.kind === 'inserted')) deps.signals.emit('inbox');
          return outcomes;
        },
        ...(deps.onFlush ? { onFlush: deps.onFlush } : {}),
      },
      deps.batch ?? DEFAULT_INGEST_BATCH,
    );
  }

  /** Requests whose events are being stored right now: how busy the webhooks are (the worker yields to them). */
  storingNow(): number {
    return this.storing;
  }

  /**
   * Stores the events, each on its own merits: text is made storable (see normalize-text.ts; payloads are normalised
   * in place), and an event the database cannot hold is rejected without failing the others. When this resolves,
   * every event not rejected is durable and the request may be acknowledged; when it rejects (the database is down),
   * the request must not be acknowledged. A duplicate of an event stored earlier, or of one in a request of the same
   * flush, counts in `duplicates`.
   */
  async store(events: NewInboundEvent[]): Promise<IngestResult> {
    const rejected: RejectedEvent[] = [];
    const storable: NewInboundEvent[] = [];
    const positions: number[] = [];
    events.forEach((event, index) => {
      const clean: NewInboundEvent = {
        channel: normalizeText(event.channel),
        accountId: normalizeText(event.accountId),
        dedupeKey: normalizeText(event.dedupeKey),
        laneKey: normalizeText(event.laneKey),
        payload: normalizeJsonStrings(event.payload),
      };
      const tooLong = [clean.channel, clean.accountId, clean.dedupeKey, clean.laneKey].some((k) => Buffer.byteLength(k) > MAX_KEY_BYTES);
      if (tooLong) return void rejected.push({ index, reason: 'key too long' });
      storable.push(clean);
      positions.push(index);
    });
    this.storing++;
    let outcomes: InsertOutcome[];
    try {
      outcomes = await this.batcher.submit(storable);
    } catch (err) {
      // Not stored, so not acknowledged: 503 tells Zalo and Meta to retry (a 500 reads as our bug, and counts the same
      // towards disabling the webhook, but says nothing of trying again). `npm run chaos` scenario 3 found the 500.
      throw new AppError('unavailable', { message: 'the inbox could not store the events (database unavailable)', userMessage: 'Temporarily unavailable: nothing was stored. Please retry.', cause: err });
    } finally {
      this.storing--;
    }
    const inserted: bigint[] = [];
    let duplicates = 0;
    outcomes.forEach((o, k) => {
      if (o.kind === 'inserted') inserted.push(o.id);
      else if (o.kind === 'duplicate') duplicates++;
      else rejected.push({ index: positions[k] ?? -1, reason: `refused by the database (SQLSTATE ${o.code})` });
    });
    const result = { inserted, duplicates, rejected: rejected.sort((a, b) => a.index - b.index) };
    if (events[0]) this.metrics?.stored(events[0].channel, result);
    return result;
  }
}
