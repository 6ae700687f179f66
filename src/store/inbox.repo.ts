import type { Db } from './database.js';
import { Prisma } from './generated/client.js';

/** An inbound event as the HTTP edge hands it over: already verified and normalised. */
export interface NewInboundEvent {
  channel: string;
  accountId: string;
  /** The platform's message id (or a hash of the body when it has none); unique per channel. */
  dedupeKey: string;
  /** Events of one lane (one contact) are processed serially, in order. */
  laneKey: string;
  payload: unknown;
}

/** An event the database would not store, by its index in the batch and the SQLSTATE it answered. */
export interface RefusedEvent {
  index: number;
  code: string;
}

/**
 * The SQLSTATE of an error that is about the row itself (data exceptions such as NUL or bad JSON, integrity
 * violations, an index entry over the B-tree limit): retrying cannot help, unlike a lost connection. Undefined for
 * every other error.
 */
function refusedRowCode(err: unknown): string | undefined {
  if (!(err instanceof Prisma.PrismaClientKnownRequestError) || err.code !== 'P2010') return undefined;
  const cause = (err.meta as { driverAdapterError?: { cause?: { originalCode?: unknown; code?: unknown } } } | undefined)?.driverAdapterError?.cause;
  const code = typeof cause?.originalCode === 'string' ? cause.originalCode : typeof cause?.code === 'string' ? cause.code : undefined;
  return code !== undefined && /^(22|23|54)[0-9A-Z]{3}$/.test(code) ? code : undefined;
}

/** A claimed event, leased to one worker. */
export interface ClaimedEvent {
  id: bigint;
  channel: string;
  accountId: string;
  laneKey: string;
  payload: unknown;
  attempts: number;
}

export type EventStatus = 'pending' | 'processing' | 'done' | 'failed';

/** The inbox: events are stored before the ack, then claimed lane by lane. */
export class InboxRepo {
  constructor(private readonly db: Db) {}

  /**
   * Stores events, ignoring ones already stored (platform retries). Returns the ids of the newly stored ones, and the
   * events the database refused (by their index in `events`, with the SQLSTATE): one bad row does not cost the others.
   */
  async insertMany(events: NewInboundEvent[]): Promise<{ inserted: bigint[]; duplicates: number; refused: RefusedEvent[] }> {
    if (events.length === 0) return { inserted: [], duplicates: 0, refused: [] };
    try {
      // The normal case: one statement for the whole batch.
      const ids = await this.insertRows(events);
      return { inserted: ids, duplicates: events.length - ids.length, refused: [] };
    } catch (err) {
      const code = refusedRowCode(err);
      if (code === undefined) throw err;
      if (events.length === 1) return { inserted: [], duplicates: 0, refused: [{ index: 0, code }] };
    }
    // The database refused a row of the batch (a value it cannot store): insert one by one so the others survive.
    // This needs autocommit statements: inside a transaction the first failure has already aborted it.
    const inserted: bigint[] = [];
    const refused: RefusedEvent[] = [];
    for (const [index, event] of events.entries()) {
      try {
        inserted.push(...(await this.insertRows([event])));
      } catch (err) {
        const code = refusedRowCode(err);
        if (code === undefined) throw err;
        refused.push({ index, code });
      }
    }
    return { inserted, duplicates: events.length - inserted.length - refused.length, refused };
  }

  private async insertRows(events: NewInboundEvent[]): Promise<bigint[]> {
    const values = events.map(
      (e) => Prisma.sql`(${e.channel}, ${e.accountId}, ${e.dedupeKey}, ${e.laneKey}, ${JSON.stringify(e.payload)}::jsonb)`,
    );
    const rows = await this.db.$queryRaw<{ id: bigint }[]>`
      INSERT INTO "InboundEvent" ("channel", "accountId", "dedupeKey", "laneKey", "payload")
      VALUES ${Prisma.join(values)}
      ON CONFLICT ("channel", "dedupeKey") DO NOTHING
      RETURNING "id"`;
    return rows.map((r) => r.id);
  }

  /**
   * Leases up to `limit` events, each the oldest unfinished event of its lane, so a lane is never worked on twice
   * at once and its events run in order. An expired lease (a crashed worker) makes its event claimable again.
   */
  async claim(owner: string, limit: number, leaseSeconds: number, maxAttempts = 5): Promise<ClaimedEvent[]> {
    // One statement. An event whose lease keeps expiring (it crashes or hangs the process) is parked so its lane can
    // move on: `parked` fails it, and `next` neither takes it nor lets it block the younger events of its lane.
    return this.db.$queryRaw<ClaimedEvent[]>`
      WITH parked AS (
        UPDATE "InboundEvent" SET "status" = 'failed', "payload" = NULL, "leaseOwner" = NULL, "leaseUntil" = NULL,
          "lastError" = 'lease expired on every attempt'
        WHERE "status" = 'processing' AND "leaseUntil" < now() AND "attempts" >= ${maxAttempts}
        RETURNING "id"
      ), next AS (
        SELECT e."id" FROM "InboundEvent" e
        WHERE ((e."status" = 'pending' AND e."availableAt" <= now())
            OR (e."status" = 'processing' AND e."leaseUntil" < now() AND e."attempts" < ${maxAttempts}))
          AND NOT EXISTS (
            SELECT 1 FROM "InboundEvent" o
            WHERE o."laneKey" = e."laneKey" AND o."id" <> e."id"
              AND ((o."id" < e."id" AND (o."status" = 'pending'
                    OR (o."status" = 'processing' AND (o."leaseUntil" >= now() OR o."attempts" < ${maxAttempts}))))
                -- Ids are assigned at insert but rows become visible at commit: a younger row may be seen first.
                -- Whatever the ids, a lane with a live lease is busy.
                OR (o."status" = 'processing' AND o."leaseUntil" >= now())))
        ORDER BY e."id"
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED
      )
      UPDATE "InboundEvent" u
      SET "status" = 'processing', "leaseOwner" = ${owner},
          "leaseUntil" = now() + make_interval(secs => ${leaseSeconds}), "attempts" = u."attempts" + 1
      FROM next WHERE u."id" = next."id"
      RETURNING u."id", u."channel", u."accountId", u."laneKey", u."payload", u."attempts"`;
  }

  /**
   * Marks a processed event done and drops its payload (only the dedupe key stays). Fails if the lease was lost;
   * `attempt` fences off a stale attempt of the same owner whose lease expired and was taken again. A `sensitive`
   * (tip-flow) turn keeps nothing else either: no lane, no processing time, arrival truncated to the hour.
   */
  async complete(id: bigint, owner: string, attempt?: number, opts: { sensitive?: boolean } = {}): Promise<boolean> {
    const n = opts.sensitive
      ? await this.db.$executeRaw`
      UPDATE "InboundEvent" SET "status" = 'done', "payload" = NULL, "processedAt" = NULL, "laneKey" = '',
        "receivedAt" = date_trunc('hour', "receivedAt"), "availableAt" = date_trunc('hour', "availableAt"),
        "leaseOwner" = NULL, "leaseUntil" = NULL, "lastError" = NULL
      WHERE "id" = ${id} AND "status" = 'processing' AND "leaseOwner" = ${owner}
        AND (${attempt ?? null}::int IS NULL OR "attempts" = ${attempt ?? null}::int)`
      : await this.db.$executeRaw`
      UPDATE "InboundEvent" SET "status" = 'done', "payload" = NULL, "processedAt" = now(),
        "leaseOwner" = NULL, "leaseUntil" = NULL, "lastError" = NULL
      WHERE "id" = ${id} AND "status" = 'processing' AND "leaseOwner" = ${owner}
        AND (${attempt ?? null}::int IS NULL OR "attempts" = ${attempt ?? null}::int)`;
    return n === 1;
  }

  /**
   * Gives an event back after a failed attempt, to be retried after `retryInSeconds`; after `maxAttempts` it is
   * parked as failed (payload dropped) so its lane moves on.
   */
  async fail(id: bigint, owner: string, error: string, maxAttempts: number, retryInSeconds: number): Promise<void> {
    await this.db.$executeRaw`
      UPDATE "InboundEvent"
      SET "status" = CASE WHEN "attempts" >= ${maxAttempts} THEN 'failed' ELSE 'pending' END,
          "availableAt" = now() + make_interval(secs => ${retryInSeconds}),
          "payload" = CASE WHEN "attempts" >= ${maxAttempts} THEN NULL ELSE "payload" END,
          "leaseOwner" = NULL, "leaseUntil" = NULL, "lastError" = ${error.slice(0, 500)}
      WHERE "id" = ${id} AND "leaseOwner" = ${owner} AND "status" = 'processing'`;
  }

  /** Returns this owner's unfinished leases to the pool (graceful shutdown). */
  async releaseLeases(owner: string): Promise<number> {
    return this.db.$executeRaw`
      UPDATE "InboundEvent" SET "status" = 'pending', "leaseOwner" = NULL, "leaseUntil" = NULL
      WHERE "status" = 'processing' AND "leaseOwner" = ${owner}`;
  }

  /** The status of one event, or null when it does not exist. */
  async status(id: bigint): Promise<EventStatus | null> {
    const row = await this.db.inboundEvent.findUnique({ where: { id }, select: { status: true } });
    return (row?.status as EventStatus | undefined) ?? null;
  }

  /** Looks an event up by its dedupe key (to answer a duplicate with the original's result). */
  async findByDedupeKey(channel: string, dedupeKey: string): Promise<bigint | null> {
    const row = await this.db.inboundEvent.findUnique({ where: { channel_dedupeKey: { channel, dedupeKey } }, select: { id: true } });
    return row?.id ?? null;
  }

  /** Counts events by status (health and tests). */
  async countByStatus(): Promise<Record<EventStatus, number>> {
    const rows = await this.db.inboundEvent.groupBy({ by: ['status'], _count: { _all: true } });
    const out: Record<EventStatus, number> = { pending: 0, processing: 0, done: 0, failed: 0 };
    for (const r of rows) out[r.status as EventStatus] = r._count._all;
    return out;
  }
}
