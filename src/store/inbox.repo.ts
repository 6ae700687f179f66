import type { Db, DirectQuery, IngestQuery } from './database.js';
import { Prisma } from './generated/client.js';
import { queryOn } from './sql-text.js';

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
  let code: unknown;
  if (err instanceof Prisma.PrismaClientKnownRequestError) {
    if (err.code !== 'P2010') return undefined;
    const cause = (err.meta as { driverAdapterError?: { cause?: { originalCode?: unknown; code?: unknown } } } | undefined)?.driverAdapterError?.cause;
    code = typeof cause?.originalCode === 'string' ? cause.originalCode : cause?.code;
  } else if (err instanceof Error) {
    // The ingest statement outside Prisma: the driver's error carries the SQLSTATE itself.
    code = (err as { code?: unknown }).code;
  }
  return typeof code === 'string' && /^(22|23|54)[0-9A-Z]{3}$/.test(code) ? code : undefined;
}

/** What became of one event handed to `insertEach`. */
export type InsertOutcome = { kind: 'inserted'; id: bigint } | { kind: 'duplicate' } | { kind: 'refused'; code: string };

const DUPLICATE: InsertOutcome = { kind: 'duplicate' };

/** The unique key of an event (channel and dedupe key) as one map key; JSON keeps the pair unambiguous. */
const keyOf = (channel: string, dedupeKey: string): string => JSON.stringify([channel, dedupeKey]);

/** A claimed event, leased to one worker. */
export interface ClaimedEvent {
  id: bigint;
  channel: string;
  accountId: string;
  laneKey: string;
  payload: unknown;
  attempts: number;
  /** When the event was stored (turn latency is counted from it). */
  receivedAt?: Date;
}

export type EventStatus = 'pending' | 'processing' | 'done' | 'failed';

/** A queue at a glance (for /metrics): items ready now, waiting for a later time, leased, and the oldest ready one. */
export interface QueueStats {
  due: number;
  deferred: number;
  inFlight: number;
  oldestAt: Date | null;
}

/** Queue counts stop here: past it the number no longer matters, and counting on would cost each scrape more. */
export const QUEUE_COUNT_CAP = 100_000;

/** The inbox: events are stored before the ack, then claimed lane by lane. */
export class InboxRepo {
  /** `ingestQuery`: the database's statement path outside Prisma, for the webhook insert (see database.ts). */
  constructor(
    private readonly db: Db,
    private readonly ingestQuery?: IngestQuery,
    /** The worker's claim skips Prisma's query pipeline (database.ts `DirectQuery`). */
    private readonly direct?: DirectQuery,
  ) {}

  /**
   * Stores events, ignoring ones already stored (platform retries). Returns the ids of the newly stored ones, and the
   * events the database refused (by their index in `events`, with the SQLSTATE): one bad row does not cost the others.
   */
  async insertMany(events: NewInboundEvent[]): Promise<{ inserted: bigint[]; duplicates: number; refused: RefusedEvent[] }> {
    const outcomes = await this.insertEach(events);
    const inserted: bigint[] = [];
    const refused: RefusedEvent[] = [];
    let duplicates = 0;
    outcomes.forEach((o, index) => {
      if (o.kind === 'inserted') inserted.push(o.id);
      else if (o.kind === 'refused') refused.push({ index, code: o.code });
      else duplicates++;
    });
    return { inserted, duplicates, refused };
  }

  /**
   * Stores events and says what became of each, in the order given: stored (its new id), a duplicate (already stored,
   * or of an earlier event in `events` with the same dedupe key) or refused by the database (SQLSTATE). Normally one
   * statement for all; throws only for errors that are not about a row (a lost connection), and then nothing is
   * known to be stored.
   */
  async insertEach(events: NewInboundEvent[]): Promise<InsertOutcome[]> {
    // The first event of each dedupe key goes to the database; a later one shares its fate as a duplicate.
    const firstOf = new Map<string, number>();
    const unique: number[] = [];
    const sameAs = events.map((e, index) => {
      const key = keyOf(e.channel, e.dedupeKey);
      const first = firstOf.get(key);
      if (first !== undefined) return first;
      firstOf.set(key, index);
      unique.push(index);
      return index;
    });
    const own = new Map<number, InsertOutcome>();
    if (unique.length > 0) {
      for (const [k, outcome] of (await this.insertUnique(unique.map((i) => events[i] as NewInboundEvent))).entries()) own.set(unique[k] as number, outcome);
    }
    return sameAs.map((first, index) => {
      const outcome = own.get(first) ?? DUPLICATE;
      return first === index || outcome.kind === 'refused' ? outcome : DUPLICATE;
    });
  }

  /** `insertEach` for events whose dedupe keys differ. */
  private async insertUnique(events: NewInboundEvent[]): Promise<InsertOutcome[]> {
    try {
      // The normal case: one statement for the whole batch.
      const ids = await this.insertRows(events);
      return events.map((e) => {
        const id = ids.get(keyOf(e.channel, e.dedupeKey));
        return id === undefined ? DUPLICATE : { kind: 'inserted', id };
      });
    } catch (err) {
      const code = refusedRowCode(err);
      if (code === undefined) throw err;
      if (events.length === 1) return [{ kind: 'refused', code }];
    }
    // The database refused a row of the batch (a value it cannot store): insert one by one so the others survive.
    // This needs autocommit statements: inside a transaction the first failure has already aborted it.
    const outcomes: InsertOutcome[] = [];
    for (const event of events) {
      try {
        const id = (await this.insertRows([event])).values().next().value;
        outcomes.push(id === undefined ? DUPLICATE : { kind: 'inserted', id });
      } catch (err) {
        const code = refusedRowCode(err);
        if (code === undefined) throw err;
        outcomes.push({ kind: 'refused', code });
      }
    }
    return outcomes;
  }

  /** One multi-row insert; the ids of the rows it stored, by `keyOf` their channel and dedupe key. */
  private async insertRows(events: NewInboundEvent[]): Promise<Map<string, bigint>> {
    const rows = this.ingestQuery ? await this.insertRowsDirect(this.ingestQuery, events) : await this.insertRowsPrisma(events);
    return new Map(rows.map((r) => [keyOf(r.channel, r.dedupeKey), BigInt(r.id)]));
  }

  private insertRowsDirect(query: IngestQuery, events: NewInboundEvent[]): Promise<{ id: string; channel: string; dedupeKey: string }[]> {
    const params: unknown[] = [];
    const values = events.map((e) => {
      const n = params.push(e.channel, e.accountId, e.dedupeKey, e.laneKey, JSON.stringify(e.payload));
      return `($${n - 4}, $${n - 3}, $${n - 2}, $${n - 1}, $${n}::jsonb)`;
    });
    // The id as text: PGlite would read a bigint as a JavaScript number.
    return query(
      `INSERT INTO "InboundEvent" ("channel", "accountId", "dedupeKey", "laneKey", "payload") VALUES ${values.join(', ')}
       ON CONFLICT ("channel", "dedupeKey") DO NOTHING RETURNING "id"::text AS "id", "channel", "dedupeKey"`,
      params,
    );
  }

  private insertRowsPrisma(events: NewInboundEvent[]): Promise<{ id: bigint; channel: string; dedupeKey: string }[]> {
    const values = events.map(
      (e) => Prisma.sql`(${e.channel}, ${e.accountId}, ${e.dedupeKey}, ${e.laneKey}, ${JSON.stringify(e.payload)}::jsonb)`,
    );
    return this.db.$queryRaw`
      INSERT INTO "InboundEvent" ("channel", "accountId", "dedupeKey", "laneKey", "payload")
      VALUES ${Prisma.join(values)}
      ON CONFLICT ("channel", "dedupeKey") DO NOTHING
      RETURNING "id", "channel", "dedupeKey"`;
  }

  /**
   * Leases up to `limit` events, each the oldest unfinished event of its lane, so a lane is never worked on twice
   * at once and its events run in order. An expired lease (a crashed worker) makes its event claimable again.
   */
  async claim(owner: string, limit: number, leaseSeconds: number, maxAttempts = 5): Promise<ClaimedEvent[]> {
    return queryOn<ClaimedEvent>(this.db, this.direct, claimStatement(owner, limit, leaseSeconds, maxAttempts));
  }

  /**
   * Refreshes the planner's statistics of the inbox (table-statistics.ts: as events arrive, on both databases). With
   * statistics from before a burst the claim reads every pending event on each claim (measured on the embedded
   * database: 2 000 events of one webhook took 46 s to answer instead of 8 s).
   */
  async refreshStatistics(): Promise<void> {
    // Every column but the payloads, which no plan needs and which make most of the sampling's work.
    await this.db.$executeRawUnsafe('ANALYZE "InboundEvent" ("id", "channel", "accountId", "dedupeKey", "laneKey", "status", "attempts", "availableAt", "leaseOwner", "leaseUntil", "receivedAt", "processedAt")');
  }

  /** The plan of the claim statement (EXPLAIN, nothing executed): for tests and operators. */
  async explainClaimStatement(limit: number): Promise<string> {
    const rows = await this.db.$queryRaw<{ 'QUERY PLAN': string }[]>`EXPLAIN ${claimStatement('explain', limit, 30, 5)}`;
    return rows.map((r) => r['QUERY PLAN']).join('\n');
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

  /**
   * The inbox as a queue: pending events due now or later (retries), leased ones, and when the oldest due one was
   * stored. Each part walks the ("status", "id") index, counts stop at `QUEUE_COUNT_CAP`.
   */
  async queueStats(): Promise<QueueStats> {
    const [row] = await this.db.$queryRaw<QueueStats[]>`
      SELECT
        (SELECT count(*)::int FROM (SELECT 1 FROM "InboundEvent" WHERE "status" = 'pending' AND "availableAt" <= now() LIMIT ${QUEUE_COUNT_CAP}) q) AS "due",
        (SELECT count(*)::int FROM (SELECT 1 FROM "InboundEvent" WHERE "status" = 'pending' AND "availableAt" > now() LIMIT ${QUEUE_COUNT_CAP}) q) AS "deferred",
        (SELECT count(*)::int FROM (SELECT 1 FROM "InboundEvent" WHERE "status" = 'processing' LIMIT ${QUEUE_COUNT_CAP}) q) AS "inFlight",
        (SELECT "receivedAt" FROM "InboundEvent" WHERE "status" = 'pending' AND "availableAt" <= now() ORDER BY "id" LIMIT 1) AS "oldestAt"`;
    return row ?? { due: 0, deferred: 0, inFlight: 0, oldestAt: null };
  }

  /**
   * Counts events by status (metrics and tests), each count stopping at `QUEUE_COUNT_CAP`: every part walks the
   * ("status", "id") index and stops there, so a scrape costs the same at a million done events as at a thousand.
   */
  async countByStatus(): Promise<Record<EventStatus, number>> {
    const part = (status: EventStatus) => Prisma.sql`(SELECT count(*)::int FROM (SELECT 1 FROM "InboundEvent" WHERE "status" = ${status} LIMIT ${QUEUE_COUNT_CAP}) q)`;
    const [row] = await this.db.$queryRaw<Record<EventStatus, number>[]>`
      SELECT ${part('pending')} AS "pending", ${part('processing')} AS "processing", ${part('done')} AS "done", ${part('failed')} AS "failed"`;
    return row ?? { pending: 0, processing: 0, done: 0, failed: 0 };
  }
}

/**
 * The claim as one statement. An event whose lease keeps expiring (it crashes or hangs the process) is parked so its
 * lane can move on: `parked` fails it, and `next` neither takes it nor lets it block the younger events of its lane.
 */
function claimStatement(owner: string, limit: number, leaseSeconds: number, maxAttempts: number): Prisma.Sql {
  return Prisma.sql`
    WITH parked AS (
      UPDATE "InboundEvent" SET "status" = 'failed', "payload" = NULL, "leaseOwner" = NULL, "leaseUntil" = NULL,
        "lastError" = 'lease expired on every attempt'
      WHERE "status" = 'processing' AND "leaseUntil" < now() AND "attempts" >= ${maxAttempts}
      RETURNING "id"
    ), due AS (
      -- Each kind of claimable event through its own index in id order ("InboundEvent"(status, id)): with an OR of
      -- the two, the planner walks the primary key from the oldest event, every done one included (the table keeps
      -- every event's dedupe key, so that walk grows with the history).
      SELECT e."id" FROM "InboundEvent" e
      WHERE e."status" = 'pending' AND e."availableAt" <= now() AND ${laneFree(maxAttempts)}
      ORDER BY e."id"
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED
    ), expired AS (
      SELECT e."id" FROM "InboundEvent" e
      WHERE e."status" = 'processing' AND e."leaseUntil" < now() AND e."attempts" < ${maxAttempts} AND ${laneFree(maxAttempts)}
      ORDER BY e."id"
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED
    ), next AS (
      SELECT "id" FROM (SELECT "id" FROM due UNION ALL SELECT "id" FROM expired) AS both_kinds ORDER BY "id" LIMIT ${limit}
    )
    UPDATE "InboundEvent" u
    SET "status" = 'processing', "leaseOwner" = ${owner},
        "leaseUntil" = now() + make_interval(secs => ${leaseSeconds}), "attempts" = u."attempts" + 1
    -- By primary key, row by row: joined as a table (FROM next) the planner may hash-join the whole table, a full
    -- scan on every claim (measured on the outbox: 12 ms at 8 000 rows, growing with the table).
    WHERE u."id" = ANY(ARRAY(SELECT "id" FROM next))
    RETURNING u."id", u."channel", u."accountId", u."laneKey", u."payload", u."attempts", u."receivedAt"`;
}

/**
 * No other unfinished event of `e`'s lane comes first: an older one pending or leased (a lease that expired but may
 * be retried still counts), or any with a live lease. One check per status, each an equality on status and lane, so
 * each is one probe of "InboundEvent"(status, laneKey, id). `OFFSET 0` keeps each a probe per candidate: as an
 * anti-join the planner may instead read every pending event once per claim, and with statistics from before a burst
 * it does (measured on PostgreSQL mid-burst: 3 450 pending rows materialised, 14 ms a claim, growing with the backlog).
 */
function laneFree(maxAttempts: number): Prisma.Sql {
  return Prisma.sql`NOT EXISTS (
    SELECT 1 FROM "InboundEvent" o
    WHERE o."status" = 'pending' AND o."laneKey" = e."laneKey" AND o."id" < e."id"
    OFFSET 0)
  AND NOT EXISTS (
    SELECT 1 FROM "InboundEvent" o
    WHERE o."status" = 'processing' AND o."laneKey" = e."laneKey" AND o."id" <> e."id"
      -- Ids are assigned at insert but rows become visible at commit: a younger row may be seen first.
      -- Whatever the ids, a lane with a live lease is busy.
      AND (o."leaseUntil" >= now() OR (o."id" < e."id" AND o."attempts" < ${maxAttempts}))
    OFFSET 0)`;
}
