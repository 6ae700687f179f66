import { memberPredicate, groupPredicate, type MemberSpec } from './audience.repo.js';
import type { Db } from './database.js';
import { Prisma } from './generated/client.js';
import type { QueueStats } from './inbox.repo.js';

/** The expansion cursor once the last chunk is written. */
const EXPANSION_DONE = 'done';

/** A stored broadcast. `audience` and `message` are JSON as stored (the service parses them). */
export interface BroadcastRecord {
  id: string;
  code: string;
  campaignId: string | null;
  audience: unknown;
  message: unknown;
  status: string;
  sendAt: Date;
  needsApproval: boolean;
  approvedAt: Date | null;
  decidedBy: string | null;
  createdByContactId: string | null;
  createdByStaffId: string | null;
  source: string | null;
  catchUpUntil: Date | null;
  audienceSize: number | null;
  expansionCursor: string | null;
  leaseOwner: string | null;
  leaseUntil: Date | null;
  expandedAt: Date | null;
  cancelledAt: Date | null;
  createdAt: Date;
}

/** What a new broadcast is made of (decided by src/services/broadcasts/create-broadcast.ts). */
export interface NewBroadcast {
  code: string;
  campaignId: string | null;
  audience: unknown;
  message: unknown;
  status: string;
  sendAt: Date;
  needsApproval: boolean;
  createdByContactId: string | null;
  createdByStaffId: string | null;
  source: string | null;
  catchUpUntil: Date | null;
}

/** Whose broadcasts to list. */
export type BroadcastAuthorFilter = { createdByContactId: string } | { createdByStaffId: string } | { source: string };

/** Rows of a broadcast's deliveries grouped by status and outcome (one recipient = its first message's row). */
export interface FigureRow {
  broadcastId: string;
  status: string;
  outcome: string | null;
  n: number;
  delivered: number;
  seen: number;
  caughtUp: number;
}

/** A broadcast leased for expansion. */
export interface LeasedBroadcast {
  id: string;
  campaignId: string | null;
  audience: unknown;
}

/** What one expansion chunk did. */
export type ChunkResult =
  | { ok: true; recipients: number; rows: number; done: boolean }
  /** The lease went to another replica, or the broadcast was cancelled meanwhile: stop. */
  | { ok: false; status: string | null };

/** The reason written on a bulk row for someone who opted out (the dispatcher writes the same). */
const OPTED_OUT_REASON = 'the person opted out of campaign messages';

/** Broadcasts and the bulk outbox rows they expand into. */
export class BroadcastRepo {
  constructor(private readonly db: Db) {}

  /**
   * Stores a broadcast; a code already taken is reported (null), not thrown, so the caller's transaction stays usable
   * (a unique violation would abort it on PostgreSQL) and it can try another code.
   */
  async insert(b: NewBroadcast): Promise<BroadcastRecord | null> {
    const [row] = await this.db.broadcast.createManyAndReturn({
      data: [{ ...b, audience: b.audience as Prisma.InputJsonValue, message: b.message as Prisma.InputJsonValue }],
      skipDuplicates: true,
    });
    return row ?? null;
  }

  /** A broadcast by its code (ignoring case), or null. */
  async byCode(code: string): Promise<BroadcastRecord | null> {
    return this.db.broadcast.findUnique({ where: { code: code.trim().toUpperCase() } });
  }

  /** A broadcast by id, or null. */
  async byId(id: string): Promise<BroadcastRecord | null> {
    return this.db.broadcast.findUnique({ where: { id } });
  }

  /** Moves a broadcast from `from` to `to` if it is still in `from` (one statement: of two deciders one wins). */
  async transition(id: string, from: string[], to: string, data: { decidedBy?: string; approvedAt?: Date; cancelledAt?: Date } = {}): Promise<boolean> {
    const { count } = await this.db.broadcast.updateMany({ where: { id, status: { in: from } }, data: { status: to, ...data } });
    return count === 1;
  }

  /**
   * Skips every still-pending row of a broadcast with outcome `cancelled` (rows being sent finish as they go).
   * Returns how many recipients had something stopped.
   */
  async skipPending(broadcastId: string): Promise<number> {
    const [row] = await this.db.$queryRaw<{ n: number }[]>`
      WITH stopped AS (
        UPDATE "Delivery" SET "status" = 'skipped', "outcome" = 'cancelled', "reason" = 'the broadcast was cancelled',
          "leaseOwner" = NULL, "leaseUntil" = NULL
        WHERE "broadcastId" = ${broadcastId} AND "status" = 'pending'
        RETURNING COALESCE("contactId", "recipient") AS "who")
      SELECT count(DISTINCT "who")::int AS "n" FROM stopped`;
    return row?.n ?? 0;
  }

  /** Broadcasts of one author, newest first. */
  async listBy(author: BroadcastAuthorFilter, limit: number): Promise<BroadcastRecord[]> {
    return this.db.broadcast.findMany({ where: author, orderBy: [{ createdAt: 'desc' }, { sendAt: 'desc' }, { id: 'desc' }], take: limit });
  }

  /**
   * The deliveries of some broadcasts grouped by (broadcast, status, outcome), each recipient counted once (by the
   * row of its first message), with how many were delivered, seen and caught up. One statement over the
   * (broadcastId, status) index.
   */
  async figureRows(broadcastIds: string[]): Promise<FigureRow[]> {
    if (broadcastIds.length === 0) return [];
    const rows = await this.db.delivery.groupBy({
      by: ['broadcastId', 'status', 'outcome'],
      where: { broadcastId: { in: broadcastIds }, idempotencyKey: { endsWith: ':0' } },
      _count: { _all: true, deliveredAt: true, seenAt: true, caughtUpAt: true },
    });
    return rows.map((r) => ({
      broadcastId: r.broadcastId!,
      status: r.status,
      outcome: r.outcome,
      n: r._count._all,
      delivered: r._count.deliveredAt,
      seen: r._count.seenAt,
      caughtUp: r._count.caughtUpAt,
    }));
  }

  /**
   * Leases up to `limit` broadcasts due at `now` for expansion: scheduled ones whose time has come, and ones being
   * expanded whose lease expired (a replica stopped mid-way) or is already this owner's. Marks them `expanding`.
   * Locked rows are skipped, so two replicas never take the same one.
   */
  async leaseDue(owner: string, now: Date, leaseUntil: Date, limit: number): Promise<LeasedBroadcast[]> {
    return this.db.$queryRaw<LeasedBroadcast[]>`
      UPDATE "Broadcast" b SET "status" = 'expanding', "leaseOwner" = ${owner}, "leaseUntil" = ${leaseUntil}::timestamp(3),
        "audienceSize" = COALESCE(b."audienceSize", 0)
      WHERE b."id" IN (
        SELECT "id" FROM "Broadcast"
        WHERE ("status" = 'scheduled' AND "sendAt" <= ${now}::timestamp(3))
          OR ("status" = 'expanding' AND ("leaseUntil" IS NULL OR "leaseUntil" < ${now}::timestamp(3) OR "leaseOwner" = ${owner}))
        ORDER BY "sendAt", "id"
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED)
      RETURNING b."id", b."campaignId", b."audience"`;
  }

  /**
   * Broadcasts as a queue (for /metrics): scheduled and due, scheduled for later, being expanded, and the send time
   * of the oldest one due and not yet fully in the outbox. Through the ("status", "sendAt") index.
   */
  async queueStats(now: Date): Promise<QueueStats> {
    const [row] = await this.db.$queryRaw<QueueStats[]>`
      SELECT
        count(*) FILTER (WHERE "status" = 'scheduled' AND "sendAt" <= ${now}::timestamp(3))::int AS "due",
        count(*) FILTER (WHERE "status" = 'scheduled' AND "sendAt" > ${now}::timestamp(3))::int AS "deferred",
        count(*) FILTER (WHERE "status" = 'expanding')::int AS "inFlight",
        min("sendAt") FILTER (WHERE "sendAt" <= ${now}::timestamp(3)) AS "oldestAt"
      FROM "Broadcast" WHERE "status" IN ('scheduled', 'expanding')`;
    return row ?? { due: 0, deferred: 0, inFlight: 0, oldestAt: null };
  }

  /** The earliest time a broadcast becomes due for expansion (scheduled, or expanding under a lease), or null. */
  async nextDueAt(): Promise<Date | null> {
    const [row] = await this.db.$queryRaw<{ at: Date | null }[]>`
      SELECT LEAST(
        (SELECT min("sendAt") FROM "Broadcast" WHERE "status" = 'scheduled'),
        (SELECT min(COALESCE("leaseUntil", "sendAt")) FROM "Broadcast" WHERE "status" = 'expanding')) AS "at"`;
    return row?.at ?? null;
  }

  /**
   * Writes the next chunk of a broadcast's audience into the outbox, in the caller's (short) transaction. Locks the
   * broadcast row first and goes on only while this owner holds it in `expanding` (a cancel waits for the chunk and
   * then sees its rows). Contacts come first in primary-key order, then the Zalo groups; the cursor (`c:<id>` or
   * `g:<id>`), the running audience size and a renewed lease are saved in the same transaction, so a restart goes on
   * after the last chunk written. One bulk row per recipient per message, keyed
   * `broadcast:<id>:<contactId | group:<groupId>>:<n>`: writing a chunk twice adds nothing. Opted-out contacts and
   * unhealthy groups get a row already skipped with their reason; everyone else a pending row (the dispatcher's
   * policy records windows and quiet hours).
   */
  async expandChunk(id: string, owner: string, spec: MemberSpec, limit: number, now: Date, leaseUntil: Date): Promise<ChunkResult> {
    const [b] = await this.db.$queryRaw<{ status: string; leaseOwner: string | null; expansionCursor: string | null; messages: number }[]>`
      SELECT "status", "leaseOwner", "expansionCursor", jsonb_array_length("message")::int AS "messages" FROM "Broadcast" WHERE "id" = ${id} FOR UPDATE`;
    if (!b || b.status !== 'expanding' || b.leaseOwner !== owner) return { ok: false, status: b?.status ?? null };
    // The last chunk was written but the broadcast not marked expanded (a crash, a lost lease): nothing left to add,
    // and its recipients are counted already.
    if (b.expansionCursor === EXPANSION_DONE) return { ok: true, recipients: 0, rows: 0, done: true };
    const cursor = b.expansionCursor ?? 'c:';
    const inGroups = cursor.startsWith('g:');
    const after = cursor.slice(2);
    // generate_series over constants is estimated exactly (jsonb_array_elements is guessed at 100 rows, which makes
    // the chunk look 100 times bigger and PostgreSQL spend more on JIT-compiling it than on running it).
    const messages = Prisma.sql`msgs AS (
        SELECT bb."message" -> m."n" AS "message", m."n"
        FROM "Broadcast" bb, generate_series(0, ${b.messages - 1}::int) AS m("n") WHERE bb."id" = ${id})`;
    // The lane key is laneKeyOf(channel, accountId, recipient) of src/store/lane-key.ts, written in SQL.
    const chunk = inGroups
      ? Prisma.sql`chunk AS (
          SELECT g."id" AS "key", NULL::text AS "contactId", 'zalo'::text AS "channel", g."accountId", 'group:' || g."id" AS "recipient",
            'group:' || g."id" AS "who",
            CASE WHEN g."health" = 'ok' THEN 'pending' ELSE 'skipped' END AS "status",
            CASE WHEN g."health" = 'ok' THEN NULL ELSE 'group_unhealthy' END AS "outcome",
            CASE WHEN g."health" = 'ok' THEN NULL ELSE g."health" END AS "reason",
            CASE WHEN g."health" = 'ok' THEN NULL ELSE g."healthCode" END AS "platformCode"
          FROM "ZaloGroup" g WHERE ${groupPredicate(spec)} AND g."id" > ${after}
          ORDER BY g."id" LIMIT ${limit})`
      : Prisma.sql`chunk AS (
          SELECT c."id" AS "key", c."id" AS "contactId", c."channel", c."accountId", c."userId" AS "recipient", c."id" AS "who",
            CASE WHEN c."subscribed" THEN 'pending' ELSE 'skipped' END AS "status",
            CASE WHEN c."subscribed" THEN NULL ELSE 'opted_out' END AS "outcome",
            CASE WHEN c."subscribed" THEN NULL ELSE ${OPTED_OUT_REASON}::text END AS "reason",
            NULL::text AS "platformCode"
          FROM "Contact" c WHERE ${memberPredicate(spec)} AND c."id" > ${after}
          ORDER BY c."id" LIMIT ${limit})`;
    const [r] = await this.db.$queryRaw<{ recipients: number; rows: number; last: string | null }[]>`
      WITH ${chunk}, ${messages},
      ins AS (
        INSERT INTO "Delivery" ("contactId", "channel", "accountId", "recipient", "laneKey", "message", "kind", "idempotencyKey",
          "broadcastId", "status", "outcome", "reason", "platformCode", "notBefore", "createdAt")
        SELECT ch."contactId", ch."channel", ch."accountId", ch."recipient", ch."channel" || ':' || ch."accountId" || ':' || ch."recipient",
          msgs."message", 'bulk', 'broadcast:' || ${id} || ':' || ch."who" || ':' || msgs."n", ${id}, ch."status", ch."outcome",
          ch."reason", ch."platformCode", ${now}::timestamp(3), ${now}::timestamp(3)
        FROM chunk ch CROSS JOIN msgs
        ORDER BY ch."key", msgs."n"
        ON CONFLICT ("idempotencyKey") DO NOTHING
        RETURNING 1)
      SELECT (SELECT count(*) FROM chunk)::int AS "recipients", (SELECT count(*) FROM ins)::int AS "rows",
        (SELECT ch."key" FROM chunk ch ORDER BY ch."key" DESC LIMIT 1) AS "last"`;
    const recipients = r?.recipients ?? 0;
    const full = recipients >= limit;
    const next = full ? `${inGroups ? 'g' : 'c'}:${r!.last}` : inGroups ? null : 'g:';
    await this.db.broadcast.update({
      where: { id },
      data: { expansionCursor: next ?? EXPANSION_DONE, audienceSize: { increment: recipients }, leaseUntil },
    });
    return { ok: true, recipients, rows: r?.rows ?? 0, done: next === null };
  }

  /** Marks a broadcast expanded once its last chunk is written (this owner's lease only). */
  async finishExpansion(id: string, owner: string, now: Date): Promise<boolean> {
    const { count } = await this.db.broadcast.updateMany({
      where: { id, status: 'expanding', leaseOwner: owner },
      data: { status: 'expanded', expandedAt: now, leaseOwner: null, leaseUntil: null },
    });
    return count === 1;
  }

  /** Gives a lease back (the expander stops mid-way): another replica, or this one, goes on from the cursor. */
  async releaseLease(id: string, owner: string): Promise<void> {
    await this.db.broadcast.updateMany({ where: { id, status: 'expanding', leaseOwner: owner }, data: { leaseUntil: null } });
  }

  /**
   * Catch-up: a contact's campaign rows skipped because their window was closed, not yet caught up, of a broadcast
   * not cancelled whose catch-up time has not passed, go back to the queue now. One statement; returns how many.
   */
  async catchUp(contactId: string, now: Date): Promise<number> {
    return this.db.$executeRaw`
      UPDATE "Delivery" d SET "status" = 'pending', "notBefore" = ${now}::timestamp(3), "caughtUpAt" = ${now}::timestamp(3),
        "outcome" = NULL, "reason" = NULL, "platformCode" = NULL, "leaseOwner" = NULL, "leaseUntil" = NULL
      FROM "Broadcast" b
      WHERE d."contactId" = ${contactId} AND d."status" = 'skipped' AND d."outcome" = 'window_closed' AND d."kind" = 'bulk'
        AND d."caughtUpAt" IS NULL AND d."broadcastId" IS NOT NULL AND b."id" = d."broadcastId"
        AND b."status" <> 'cancelled' AND b."catchUpUntil" > ${now}::timestamp(3)`;
  }
}
