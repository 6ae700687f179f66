import type { InboxRepo, NewInboundEvent } from '../store/inbox.repo.js';
import type { Signals } from './signals.js';

/** The result of storing a batch of verified events. */
export interface IngestResult {
  inserted: bigint[];
  duplicates: number;
}

/** Persist-before-ack: stores verified, normalised events (deduplicated) and wakes the worker. */
export class Ingest {
  constructor(private readonly deps: { inbox: InboxRepo; signals: Signals }) {}

  /** Stores the events; when this resolves they are durable and the request may be acknowledged. */
  async store(events: NewInboundEvent[]): Promise<IngestResult> {
    const result = await this.deps.inbox.insertMany(events);
    if (result.inserted.length > 0) this.deps.signals.emit('inbox');
    return result;
  }
}
