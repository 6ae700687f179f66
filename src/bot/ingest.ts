import type { InboxRepo, NewInboundEvent } from '../store/inbox.repo.js';
import { normalizeJsonStrings, normalizeText } from './channels/normalize-text.js';
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

/** Persist-before-ack: stores verified events (normalised, deduplicated) and wakes the worker. */
export class Ingest {
  constructor(private readonly deps: { inbox: InboxRepo; signals: Signals }) {}

  /**
   * Stores the events, each on its own merits: text is made storable (see normalize-text.ts; payloads are normalised
   * in place), and an event the database cannot hold is rejected without failing the others. When this resolves,
   * every event not rejected is durable and the request may be acknowledged.
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
    const result = await this.deps.inbox.insertMany(storable);
    for (const r of result.refused) rejected.push({ index: positions[r.index] ?? -1, reason: `refused by the database (SQLSTATE ${r.code})` });
    if (result.inserted.length > 0) this.deps.signals.emit('inbox');
    return { inserted: result.inserted, duplicates: result.duplicates, rejected: rejected.sort((a, b) => a.index - b.index) };
  }
}
