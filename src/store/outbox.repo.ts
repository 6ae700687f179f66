import type { Db, DirectQuery } from './database.js';
import { queryOn } from './sql-text.js';
import { Prisma } from './generated/client.js';
import { QUEUE_COUNT_CAP, type QueueStats } from './inbox.repo.js';

/** A message to send, written in the same transaction as the turn (or broadcast) that produced it. */
export interface NewDelivery {
  contactId: string | null;
  channel: string;
  accountId: string;
  recipient: string;
  laneKey: string;
  message: unknown;
  inboundEventId?: bigint | null;
  notBefore?: Date;
  /** A tip-flow message: anonymised once it is sent, failed or skipped (see `ANONYMISE`). */
  sensitive?: boolean;
  /** Sensitive rows only: when the recipient last wrote, for the reply window (tip turns leave the contact's alone). */
  interactionAt?: Date | null;
  /** `reply` (default) or `bulk`; replies go first. */
  kind?: DeliveryKind;
  /** Unique key of a bulk row: enqueueing it again is a no-op. */
  idempotencyKey?: string;
}

/** A conversation's reply, or a campaign message (broadcast, reminder) that must never hold a reply back. */
export type DeliveryKind = 'reply' | 'bulk';

/** A delivery leased to one dispatcher. */
export interface ClaimedDelivery {
  id: bigint;
  contactId: string | null;
  channel: string;
  accountId: string;
  recipient: string;
  laneKey: string;
  message: unknown;
  attempts: number;
  /** A tip-flow message: anonymised once done with, and never logged. */
  sensitive: boolean;
  kind: DeliveryKind;
  /** The later of the contact's last interaction and, for a tip-flow message, the interaction it answers. */
  lastInteractionAt: Date | null;
  /** Whether the contact still takes broadcasts and reminders (null for groups and unknown contacts). */
  subscribed: boolean | null;
}

/** Why a campaign row still queued when its broadcast was cancelled was not sent. */
const CANCELLED_REASON = 'the broadcast was cancelled';
// A row (of the statement's "Delivery") whose broadcast was cancelled: it goes back to no queue.
const OF_CANCELLED = Prisma.sql`("broadcastId" IS NOT NULL AND EXISTS (SELECT 1 FROM "Broadcast" b WHERE b."id" = "Delivery"."broadcastId" AND b."status" = 'cancelled'))`;

/** What an erased sensitive message is replaced with. */
export const ERASED = { type: 'text', text: '[đã xoá]' } as const;

// A tip-flow message once done with keeps only that something was sent and how it ended: no text, recipient,
// contact, lane or platform id, its times truncated to the hour, and no flag saying it was a tip-flow message.
const ANONYMISE = Prisma.sql`"message" = ${JSON.stringify(ERASED)}::jsonb, "sensitive" = false, "contactId" = NULL,
  "recipient" = '', "laneKey" = '', "interactionAt" = NULL, "platformMessageId" = NULL, "platformCode" = NULL,
  "reason" = NULL, "leaseOwner" = NULL, "leaseUntil" = NULL, "createdAt" = date_trunc('hour', "createdAt"),
  "notBefore" = date_trunc('hour', "notBefore"), "sentAt" = NULL, "deliveredAt" = NULL, "seenAt" = NULL`;

export type DeliveryStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'skipped';

/** What happened to one send attempt, as the dispatcher records it. */
export type DeliveryResult =
  | { status: 'sent'; outcome: 'sent'; platformCode?: string; platformMessageId?: string }
  | { status: 'pending'; outcome: string; platformCode?: string; reason: string; retryAt: Date; refundAttempt?: boolean }
  | { status: 'failed' | 'skipped'; outcome: string; platformCode?: string; reason: string };

/**
 * The columns the outbox's plans depend on (the claims', and the console's look-ups by broadcast and contact): the
 * statistics refresh reads only these, never the messages.
 */
const PLANNED_COLUMNS = ['status', 'kind', 'channel', 'notBefore', 'laneKey', 'id', 'broadcastId', 'contactId'] as const;

/** The outbox of deliveries. */
export class OutboxRepo {
  /** `direct`: the claim, lease recovery and outcomes skip Prisma's query pipeline (database.ts `DirectQuery`). */
  constructor(
    private readonly db: Db,
    private readonly direct?: DirectQuery,
  ) {}

  /**
   * Adds deliveries in insertion order (their ids keep the order of one turn's replies). Rows whose idempotency key is
   * already taken are skipped; returns how many were added.
   */
  async enqueue(rows: NewDelivery[]): Promise<number> {
    if (rows.length === 0) return 0;
    const result = await this.db.delivery.createMany({
      data: rows.map((r) => ({
        contactId: r.contactId,
        channel: r.channel,
        accountId: r.accountId,
        recipient: r.recipient,
        laneKey: r.laneKey,
        message: r.message as Prisma.InputJsonValue,
        inboundEventId: r.inboundEventId ?? null,
        notBefore: r.notBefore ?? new Date(),
        sensitive: r.sensitive ?? false,
        interactionAt: r.sensitive ? (r.interactionAt ?? null) : null,
        kind: r.kind ?? 'reply',
        idempotencyKey: r.idempotencyKey ?? null,
      })),
      skipDuplicates: true,
    });
    return result.count;
  }

  /**
   * Leases up to `limit` due deliveries of one channel, replies before bulk rows. Each is the oldest unfinished row of
   * its kind in its recipient's lane, so one person's replies (and, separately, their campaign messages) go out one at
   * a time and in order, and a queued broadcast never holds a reply back. Bulk rows fill what the replies leave of
   * `limit`, at most `bulkLimit`. Expired leases (a crashed dispatcher) are given back first unless `recover` is false
   * (a dispatcher recovers every few seconds rather than on each claim). `now` is the time rows must be due by
   * (default the database's `now()`; a dispatcher with an injected clock passes its own, see `Dispatcher`).
   */
  async claim(
    owner: string,
    limit: number,
    leaseSeconds: number,
    channel: string,
    opts: { kinds?: DeliveryKind[]; maxAttempts?: number; recover?: boolean; bulkLimit?: number; now?: Date } = {},
  ): Promise<ClaimedDelivery[]> {
    if (opts.recover !== false) await this.recoverExpiredLeases(opts.maxAttempts);
    const sql = claimStatement(owner, limit, leaseSeconds, channel, opts);
    return sql ? queryOn<ClaimedDelivery>(this.db, this.direct, sql) : [];
  }

  /** The plan of the claim statement as `claim` would run it (EXPLAIN, nothing executed): for tests and operators. */
  async explainClaimStatement(limit: number, channel: string): Promise<string> {
    const sql = claimStatement('explain', limit, 30, channel, {});
    if (!sql) return '';
    const rows = await this.db.$queryRaw<{ 'QUERY PLAN': string }[]>`EXPLAIN ${sql}`;
    return rows.map((r) => r['QUERY PLAN']).join('\n');
  }

  /**
   * Gives rows whose lease expired back to the queue (so the claim reads one status through one index), and fails
   * those whose lease keeps expiring (the send hangs or crashes the process) so their lane moves on. One statement.
   */
  async recoverExpiredLeases(maxAttempts = 10): Promise<void> {
    // A tip-flow row is failed and anonymised in the same statement: no reader ever sees it done but still marked.
    await queryOn(this.db, this.direct, Prisma.sql`
      WITH anonymised AS (
        UPDATE "Delivery" SET "status" = 'failed', "outcome" = 'transient', ${ANONYMISE}
        WHERE "status" = 'sending' AND "leaseUntil" < now() AND "attempts" >= ${maxAttempts} AND "sensitive"
        RETURNING 1
      )
      UPDATE "Delivery" SET "status" = CASE WHEN "attempts" >= ${maxAttempts} THEN 'failed' WHEN ${OF_CANCELLED} THEN 'skipped' ELSE 'pending' END,
        "outcome" = CASE WHEN "attempts" >= ${maxAttempts} THEN 'transient' WHEN ${OF_CANCELLED} THEN 'cancelled' ELSE "outcome" END,
        "reason" = CASE WHEN "attempts" >= ${maxAttempts} THEN 'lease expired on every attempt' WHEN ${OF_CANCELLED} THEN ${CANCELLED_REASON} ELSE "reason" END,
        "leaseOwner" = NULL, "leaseUntil" = NULL
      WHERE "status" = 'sending' AND "leaseUntil" < now() AND NOT ("attempts" >= ${maxAttempts} AND "sensitive")`);
  }

  /**
   * Refreshes the planner's statistics of the outbox. The embedded database has no autovacuum, and on PostgreSQL a
   * large broadcast may stay under autovacuum's threshold: with stale statistics the claim plans for the table as it
   * was (measured: a 10 000-recipient broadcast on the embedded database was sent at 0.80–0.90 of the limit, 0.97 after).
   * Only the columns plans use, whose statistics target is 10 (migration delivery_claim_statistics): a sample of 3 000
   * rows, never the messages. At 58 000 rows on the embedded database: 33–100 ms, the whole table 650–1 460 ms.
   */
  async refreshStatistics(): Promise<void> {
    await this.db.$executeRawUnsafe(`ANALYZE "Delivery" (${PLANNED_COLUMNS.map((c) => `"${c}"`).join(', ')})`);
  }

  /** The query plan of one claim (EXPLAIN ANALYZE, rows are locked and released): for the benchmark and operators. */
  async explainClaim(kind: DeliveryKind, channel: string, limit: number): Promise<string> {
    const rows = await this.db.$queryRaw<{ 'QUERY PLAN': string }[]>`EXPLAIN (ANALYZE, BUFFERS) ${claimCandidates(kind, channel, Prisma.sql`${limit}`)}`;
    return rows.map((r) => r['QUERY PLAN']).join('\n');
  }

  /** Records the result of an attempt; ignored when the lease was lost to another dispatcher. One statement. */
  async record(id: bigint, owner: string, result: DeliveryResult): Promise<boolean> {
    return (await this.recordMany(owner, [{ id, result }])).length === 1;
  }

  /**
   * Records the results of several attempts in one statement, each row its own outcome; rows whose lease was lost to
   * another dispatcher are left alone. Returns the ids recorded.
   */
  async recordMany(owner: string, outcomes: { id: bigint; result: DeliveryResult }[]): Promise<bigint[]> {
    if (outcomes.length === 0) return [];
    const values = Prisma.join(outcomes.map(({ id, result }) => outcomeValues(id, result)));
    // Once a tip-flow message is done with, the row stops saying to whom, when or that it was one; in the same
    // statement that records the outcome, so no reader sees it done but still marked (`ANONYMISE`, column by column).
    const rows = await queryOn<{ id: bigint }>(this.db, this.direct, Prisma.sql`
      WITH v AS (
        SELECT * FROM (VALUES ${values}) AS t("id", "status", "outcome", "done", "sent", "platformMessageId", "platformCode", "reason", "retryAt", "refund")
      ), cancelled AS (
        -- A campaign row handed back to the queue (deferred, throttled, to retry) after its broadcast was cancelled
        -- ends here instead: cancel skips the queued rows, and this catches the ones being sent at that moment.
        SELECT x."id" FROM v JOIN "Delivery" x ON x."id" = v."id" JOIN "Broadcast" b ON b."id" = x."broadcastId"
        WHERE v."status" = 'pending' AND b."status" = 'cancelled'
      )
      UPDATE "Delivery" d SET "status" = CASE WHEN c."id" IS NOT NULL THEN 'skipped' ELSE v."status" END,
        "outcome" = CASE WHEN c."id" IS NOT NULL THEN 'cancelled' ELSE v."outcome" END,
        "message" = CASE WHEN d."sensitive" AND v."done" THEN ${JSON.stringify(ERASED)}::jsonb ELSE d."message" END,
        "contactId" = CASE WHEN d."sensitive" AND v."done" THEN NULL ELSE d."contactId" END,
        "recipient" = CASE WHEN d."sensitive" AND v."done" THEN '' ELSE d."recipient" END,
        "laneKey" = CASE WHEN d."sensitive" AND v."done" THEN '' ELSE d."laneKey" END,
        "interactionAt" = CASE WHEN d."sensitive" AND v."done" THEN NULL ELSE d."interactionAt" END,
        "platformMessageId" = CASE WHEN d."sensitive" AND v."done" THEN NULL
          WHEN v."sent" THEN v."platformMessageId" ELSE d."platformMessageId" END,
        "platformCode" = CASE WHEN d."sensitive" AND v."done" THEN NULL ELSE v."platformCode" END,
        "reason" = CASE WHEN d."sensitive" AND v."done" THEN NULL WHEN c."id" IS NOT NULL THEN ${CANCELLED_REASON} ELSE v."reason" END,
        "createdAt" = CASE WHEN d."sensitive" AND v."done" THEN date_trunc('hour', d."createdAt") ELSE d."createdAt" END,
        "notBefore" = CASE WHEN d."sensitive" AND v."done" THEN date_trunc('hour', d."notBefore")
          WHEN v."retryAt" IS NOT NULL THEN v."retryAt" ELSE d."notBefore" END,
        "sentAt" = CASE WHEN d."sensitive" AND v."done" THEN NULL WHEN v."sent" THEN now() ELSE d."sentAt" END,
        "deliveredAt" = CASE WHEN d."sensitive" AND v."done" THEN NULL ELSE d."deliveredAt" END,
        "seenAt" = CASE WHEN d."sensitive" AND v."done" THEN NULL ELSE d."seenAt" END,
        "attempts" = CASE WHEN v."refund" THEN d."attempts" - 1 ELSE d."attempts" END,
        "sensitive" = d."sensitive" AND NOT v."done",
        "leaseOwner" = NULL, "leaseUntil" = NULL
      FROM v LEFT JOIN cancelled c ON c."id" = v."id"
      WHERE d."id" = v."id" AND d."leaseOwner" = ${owner} AND d."status" = 'sending'
      RETURNING d."id"`);
    return rows.map((r) => r.id);
  }

  /** Whether any of the rows with these idempotency keys is still queued or being sent. */
  async anyUnfinished(keys: string[]): Promise<boolean> {
    if (keys.length === 0) return false;
    return (await this.db.delivery.count({ where: { idempotencyKey: { in: keys }, status: { in: ['pending', 'sending'] } } })) > 0;
  }

  /** Records a platform's delivery or read receipt on the deliveries with these platform message ids. */
  async markReceipt(channel: string, platformMessageIds: string[], status: 'delivered' | 'seen', at = new Date()): Promise<number> {
    if (platformMessageIds.length === 0) return 0;
    const where = { channel, platformMessageId: { in: platformMessageIds } };
    const r = await this.db.delivery.updateMany({
      where: status === 'seen' ? where : { ...where, deliveredAt: null },
      data: status === 'seen' ? { seenAt: at } : { deliveredAt: at },
    });
    return r.count;
  }

  /** Extends the leases `owner` holds on these rows by `leaseSeconds` from now (sends still running). One statement. */
  async renewLeases(owner: string, ids: bigint[], leaseSeconds: number): Promise<number> {
    if (ids.length === 0) return 0;
    return this.db.$executeRaw`
      UPDATE "Delivery" SET "leaseUntil" = now() + make_interval(secs => ${leaseSeconds})
      WHERE "id" = ANY(${ids.map(String)}::bigint[]) AND "status" = 'sending' AND "leaseOwner" = ${owner}`;
  }

  /** Returns this owner's unfinished leases (graceful shutdown). */
  async releaseLeases(owner: string): Promise<number> {
    return this.db.$executeRaw`
      UPDATE "Delivery" SET "status" = 'pending', "leaseOwner" = NULL, "leaseUntil" = NULL
      WHERE "status" = 'sending' AND "leaseOwner" = ${owner}`;
  }

  /** Deliveries produced by one inbound event, in order. */
  async byInboundEvent(inboundEventId: bigint): Promise<{ id: bigint; status: string; message: unknown }[]> {
    return this.db.delivery.findMany({
      where: { inboundEventId },
      orderBy: { id: 'asc' },
      select: { id: true, status: true, message: true },
    });
  }

  /** Sent messages of one lane after a delivery id, oldest first (the simulator page polls with it). */
  async sentToLane(laneKey: string, afterId: bigint, limit = 50): Promise<{ id: bigint; message: unknown }[]> {
    return this.db.delivery.findMany({
      where: { laneKey, status: 'sent', id: { gt: afterId } },
      orderBy: { id: 'asc' },
      take: limit,
      select: { id: true, message: true },
    });
  }

  /**
   * One kind of the outbox as a queue: pending rows due now or later (deferred, retries), rows being sent, and since
   * when the oldest due row has been due. Index-driven (status, kind, channel, notBefore): the oldest is one probe
   * per channel in `channels`, counts stop at `QUEUE_COUNT_CAP`.
   */
  async queueStats(kind: DeliveryKind, channels: readonly string[]): Promise<QueueStats> {
    const list = Prisma.join(channels.map((c) => Prisma.sql`(${c})`));
    const [row] = await this.db.$queryRaw<QueueStats[]>`
      SELECT
        (SELECT count(*)::int FROM (SELECT 1 FROM "Delivery" WHERE "status" = 'pending' AND "kind" = ${kind} AND "notBefore" <= now() LIMIT ${QUEUE_COUNT_CAP}) q) AS "due",
        (SELECT count(*)::int FROM (SELECT 1 FROM "Delivery" WHERE "status" = 'pending' AND "kind" = ${kind} AND "notBefore" > now() LIMIT ${QUEUE_COUNT_CAP}) q) AS "deferred",
        (SELECT count(*)::int FROM (SELECT 1 FROM "Delivery" WHERE "status" = 'sending' AND "kind" = ${kind} LIMIT ${QUEUE_COUNT_CAP}) q) AS "inFlight",
        ${channels.length === 0 ? Prisma.sql`NULL::timestamp(3)` : Prisma.sql`(SELECT min(h."notBefore") FROM (VALUES ${list}) AS c("channel") CROSS JOIN LATERAL (
          SELECT d."notBefore" FROM "Delivery" d
          WHERE d."status" = 'pending' AND d."kind" = ${kind} AND d."channel" = c."channel" AND d."notBefore" <= now()
          ORDER BY d."notBefore" LIMIT 1) h)`} AS "oldestAt"`;
    return row ?? { due: 0, deferred: 0, inFlight: 0, oldestAt: null };
  }

  /**
   * Counts deliveries by status (metrics and tests), each count stopping at `QUEUE_COUNT_CAP`: every part walks the
   * index led by "status" and stops there, so a scrape costs the same at a million sent rows as at a thousand.
   */
  async countByStatus(): Promise<Record<DeliveryStatus, number>> {
    const part = (status: DeliveryStatus) => Prisma.sql`(SELECT count(*)::int FROM (SELECT 1 FROM "Delivery" WHERE "status" = ${status} LIMIT ${QUEUE_COUNT_CAP}) q)`;
    const [row] = await this.db.$queryRaw<Record<DeliveryStatus, number>[]>`
      SELECT ${part('pending')} AS "pending", ${part('sending')} AS "sending", ${part('sent')} AS "sent", ${part('failed')} AS "failed", ${part('skipped')} AS "skipped"`;
    return row ?? { pending: 0, sending: 0, sent: 0, failed: 0, skipped: 0 };
  }
}

/**
 * The due heads of lanes of one kind on one channel, oldest first, locked. Index-driven: the scan of
 * Delivery_status_kind_channel_notBefore_id_idx stops after `limit` heads; each lane check is one probe of
 * Delivery_laneKey_kind_status_id_idx (split in two so both use status in the index condition, not as a filter over
 * the lane's history). A row taken by another dispatcher is skipped, and while its claim is uncommitted it still
 * counts as pending here, so the next row of its lane cannot slip past it.
 */
/** The claim as one statement (see `OutboxRepo.claim`), or null when there is nothing to claim. */
function claimStatement(
  owner: string,
  limit: number,
  leaseSeconds: number,
  channel: string,
  opts: { kinds?: DeliveryKind[]; bulkLimit?: number; now?: Date },
): Prisma.Sql | null {
  const bulkLimit = Math.min(limit, opts.bulkLimit ?? limit);
  const kinds = (['reply', 'bulk'] as const).filter((k) => (opts.kinds ?? ['reply', 'bulk']).includes(k) && (k === 'reply' || bulkLimit > 0));
  if (kinds.length === 0 || limit <= 0) return null;
  const due = opts.now ? Prisma.sql`${opts.now}::timestamp(3)` : Prisma.sql`now()`;
  // One statement for both kinds: bulk rows fill only what the replies left of the limit.
  const candidates =
    kinds.length === 1
      ? Prisma.sql`next AS (${claimCandidates(kinds[0]!, channel, Prisma.sql`${kinds[0] === 'bulk' ? bulkLimit : limit}`, due)})`
      : Prisma.sql`replies AS (${claimCandidates('reply', channel, Prisma.sql`${limit}`, due)}),
          bulk AS (${claimCandidates('bulk', channel, Prisma.sql`LEAST(${bulkLimit}::int, GREATEST(0, ${limit}::int - (SELECT count(*) FROM replies)::int))`, due)}),
          next AS (SELECT "id" FROM replies UNION ALL SELECT "id" FROM bulk)`;
  return Prisma.sql`
    WITH ${candidates}
    UPDATE "Delivery" u
    SET "status" = 'sending', "leaseOwner" = ${owner},
        "leaseUntil" = now() + make_interval(secs => ${leaseSeconds}), "attempts" = u."attempts" + 1
    -- By primary key, row by row: joined as a table (FROM next) the planner may hash-join the whole table, a full
    -- scan on every claim (measured on the outbox: 12 ms at 8 000 rows, growing with the table).
    WHERE u."id" = ANY(ARRAY(SELECT "id" FROM next))
    RETURNING u."id", u."contactId", u."channel", u."accountId", u."recipient", u."laneKey", u."message", u."attempts", u."sensitive", u."kind",
      -- GREATEST ignores NULLs: either time alone counts when the other is missing.
      GREATEST((SELECT c."lastInteractionAt" FROM "Contact" c WHERE c."id" = u."contactId"),
        CASE WHEN u."sensitive" THEN u."interactionAt" END) AS "lastInteractionAt",
      (SELECT c."subscribed" FROM "Contact" c WHERE c."id" = u."contactId") AS "subscribed"`;
}

function claimCandidates(kind: DeliveryKind, channel: string, limit: Prisma.Sql, due: Prisma.Sql = Prisma.sql`now()`): Prisma.Sql {
  return Prisma.sql`
    SELECT d."id" FROM "Delivery" d
    WHERE d."status" = 'pending' AND d."kind" = ${kind} AND d."channel" = ${channel} AND d."notBefore" <= ${due}
      AND NOT EXISTS (
        SELECT 1 FROM "Delivery" o
        WHERE o."laneKey" = d."laneKey" AND o."kind" = d."kind" AND o."status" = 'pending' AND o."id" < d."id")
      AND NOT EXISTS (
        SELECT 1 FROM "Delivery" o
        WHERE o."laneKey" = d."laneKey" AND o."kind" = d."kind" AND o."status" = 'sending')
    ORDER BY d."notBefore", d."id"
    LIMIT ${limit}
    FOR UPDATE SKIP LOCKED`;
}

/** One row of `recordMany`'s VALUES list, every column typed (the first row types the list). */
function outcomeValues(id: bigint, result: DeliveryResult): Prisma.Sql {
  const done = result.status !== 'pending';
  const sent = result.status === 'sent';
  const reason = result.status === 'sent' ? null : result.reason;
  const retryAt = result.status === 'pending' ? result.retryAt : null;
  // A deferral by policy or our own rate limit was not a try at the platform.
  const refund = result.status === 'pending' && result.refundAttempt === true;
  const platformMessageId = result.status === 'sent' ? (result.platformMessageId ?? null) : null;
  return Prisma.sql`(${id}::bigint, ${result.status}::text, ${result.outcome}::text, ${done}::boolean, ${sent}::boolean,
    ${platformMessageId}::text, ${result.platformCode ?? null}::text, ${reason}::text, ${retryAt}::timestamp(3), ${refund}::boolean)`;
}
