import type { Db } from './database.js';
import type { FigureRow } from './broadcast.repo.js';
import { Prisma } from './generated/client.js';

/**
 * Which schools and classes a figure counts (the console's scope, resolved by the services): `null` puts no limit on
 * that level; an empty list reaches nothing.
 */
export interface ReachFilter {
  schoolIds: readonly string[] | null;
  classIds: readonly string[] | null;
}

/** Which tips a figure counts: those of these schools (`null`: every school), and whether tips naming no school too. */
export interface TipFilter {
  schoolIds: readonly string[] | null;
  withoutSchool: boolean;
}

/** Pledge counts of one class or school in a campaign: valid pledges per side, and those matching a roster pupil. */
export interface ProgressCountRow {
  id: string;
  name: string;
  /** The class's school (a school row: its own id). */
  schoolId: string;
  rosterSize: number;
  parents: number;
  students: number;
  /** Null where not matched (per school). */
  parentsOnRoster: number | null;
  studentsOnRoster: number | null;
}

/** Tips of one status and urgency, and how many of them no handler acknowledged. */
export interface TipCountRow {
  status: string;
  urgent: boolean;
  n: number;
  unacknowledged: number;
}

/** An urgent tip nobody has acknowledged: its code and category only (never its text, nor anything of the tipster). */
export interface WaitingTipRow {
  publicCode: string;
  category: string;
  schoolName: string | null;
  /** Stored truncated to the hour. */
  createdAt: Date;
}

/** A broadcast in a time window, as the dashboard lists it. */
export interface WindowBroadcastRow {
  id: string;
  code: string;
  status: string;
  sendAt: Date;
  source: string | null;
  audienceSize: number | null;
  /** Every school and class it addresses lies within the filter: its own figures need no narrowing. */
  withinFilter: boolean;
}

/** A stored platform token's state; never the tokens themselves. */
export interface TokenStateRow {
  id: string;
  expiresAt: Date;
  refreshedAt: Date | null;
  refreshing: boolean;
  lastError: string | null;
}

/** Queued rows of a channel that were put off (rate limit, quiet hours, a transient error), and the oldest one's age. */
export interface DeferredRow {
  channel: string;
  outcome: string;
  n: number;
  oldestCreatedAt: Date;
  nextTryAt: Date;
}

/** A Zalo class group that cannot be posted into, with its class and school names. */
export interface UnhealthyGroupRow {
  id: string;
  name: string;
  health: string;
  healthCode: string | null;
  healthAt: Date | null;
  className: string | null;
  schoolName: string | null;
}

const texts = (xs: readonly string[]) => Prisma.sql`${[...xs]}::text[]`;

/** `school`/`cls` columns (raw SQL names) within the filter, as one condition. */
export function reachCondition(f: ReachFilter, school: string, cls: string): Prisma.Sql {
  const parts: Prisma.Sql[] = [];
  if (f.schoolIds) parts.push(Prisma.sql`${Prisma.raw(school)} = ANY(${texts(f.schoolIds)})`);
  if (f.classIds) parts.push(Prisma.sql`${Prisma.raw(cls)} = ANY(${texts(f.classIds)})`);
  return parts.length === 0 ? Prisma.sql`TRUE` : Prisma.join(parts, ' AND ');
}

/** A tip's `schoolId` column (raw SQL name) within the filter. */
export function tipCondition(f: TipFilter, school: string): Prisma.Sql {
  const col = Prisma.raw(school);
  if (!f.schoolIds) return f.withoutSchool ? Prisma.sql`TRUE` : Prisma.sql`${col} IS NOT NULL`;
  const listed = Prisma.sql`${col} = ANY(${texts(f.schoolIds)})`;
  return f.withoutSchool ? Prisma.sql`(${listed} OR ${col} IS NULL)` : listed;
}

/**
 * A broadcast (alias `b`) whose audience reaches the filter: a whole school of it, or a class of it (for a filter of
 * classes, a whole school of that class reaches the class too).
 */
export function broadcastReaches(f: ReachFilter): Prisma.Sql {
  if (!f.schoolIds && !f.classIds) return Prisma.sql`TRUE`;
  const wholeSchool = f.classIds
    ? Prisma.sql`EXISTS (SELECT 1 FROM "Class" k WHERE ${reachCondition(f, 'k."schoolId"', 'k."id"')}
        AND jsonb_exists(COALESCE(b."audience" -> 'schoolIds', '[]'::jsonb), k."schoolId"))`
    : Prisma.sql`jsonb_exists_any(COALESCE(b."audience" -> 'schoolIds', '[]'::jsonb), ${texts(f.schoolIds ?? [])})`;
  // A scalar subquery per class addressed (an index probe): as a join the planner scans every class for each broadcast.
  const oneClass = Prisma.sql`EXISTS (SELECT 1 FROM jsonb_array_elements_text(COALESCE(b."audience" -> 'classIds', '[]'::jsonb)) AS a("id")
      WHERE (SELECT ${reachCondition(f, 'k."schoolId"', 'k."id"')} FROM "Class" k WHERE k."id" = a."id"))`;
  return Prisma.sql`(${wholeSchool} OR ${oneClass})`;
}

/** A broadcast (alias `b`) addressing only schools and classes within a filter of schools (never for classes). */
function broadcastWithin(f: ReachFilter): Prisma.Sql {
  if (f.classIds) return Prisma.sql`FALSE`;
  if (!f.schoolIds) return Prisma.sql`TRUE`;
  return Prisma.sql`(NOT EXISTS (SELECT 1 FROM jsonb_array_elements_text(COALESCE(b."audience" -> 'schoolIds', '[]'::jsonb)) AS ws("id")
      WHERE NOT (ws."id" = ANY(${texts(f.schoolIds)})))
    AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements_text(COALESCE(b."audience" -> 'classIds', '[]'::jsonb)) AS wc("id")
      WHERE (SELECT wk."schoolId" = ANY(${texts(f.schoolIds)}) FROM "Class" wk WHERE wk."id" = wc."id") IS FALSE))`;
}

/**
 * The recipients of bulk rows (alias `d`) within the filter: a contact by its school and class, a Zalo group by its
 * class. Rows of people of no school (linked staff chats) count only without a limit.
 */
export function recipientReaches(f: ReachFilter): Prisma.Sql {
  if (!f.schoolIds && !f.classIds) return Prisma.sql`TRUE`;
  return Prisma.sql`(
    (d."contactId" IS NOT NULL AND EXISTS (SELECT 1 FROM "Contact" rc WHERE rc."id" = d."contactId" AND ${reachCondition(f, 'rc."schoolId"', 'rc."classId"')}))
    OR (d."contactId" IS NULL AND d."recipient" LIKE 'group:%' AND EXISTS (SELECT 1 FROM "ZaloGroup" rg JOIN "Class" rk ON rk."id" = rg."classId"
      WHERE rg."id" = substr(d."recipient", 7) AND ${reachCondition(f, 'rk."schoolId"', 'rk."id"')})))`;
}

/** The console dashboard's figures, each one statement of SQL aggregates (nothing counted in JavaScript). */
export class DashboardRepo {
  constructor(private readonly db: Db) {}

  /**
   * Pledge progress per class of the filter (by grade, then name): roster size, valid (not withdrawn) pledges of the
   * campaign per side, and those matching a roster pupil. For the classes of one school or a teacher's few.
   */
  async progressByClass(campaignId: string, f: ReachFilter): Promise<ProgressCountRow[]> {
    return this.db.$queryRaw<ProgressCountRow[]>`
      WITH k AS (SELECT c."id", c."name", c."grade", c."schoolId" FROM "Class" c WHERE ${reachCondition(f, 'c."schoolId"', 'c."id"')}),
      r AS (SELECT re."classId", count(*)::int AS "n" FROM "RosterEntry" re WHERE re."classId" IN (SELECT "id" FROM k) GROUP BY re."classId"),
      p AS (
        SELECT p."classId",
          count(*) FILTER (WHERE p."audience" = 'parent')::int AS "parents",
          count(*) FILTER (WHERE p."audience" = 'student')::int AS "students",
          count(re."id") FILTER (WHERE p."audience" = 'parent')::int AS "parentsOnRoster",
          count(re."id") FILTER (WHERE p."audience" = 'student')::int AS "studentsOnRoster"
        FROM "Pledge" p LEFT JOIN "RosterEntry" re ON re."classId" = p."classId" AND re."studentKey" = p."studentKey"
        WHERE p."campaignId" = ${campaignId} AND p."withdrawnAt" IS NULL AND p."classId" IN (SELECT "id" FROM k)
        GROUP BY p."classId")
      SELECT k."id", k."name", k."schoolId", COALESCE(r."n", 0)::int AS "rosterSize",
        COALESCE(p."parents", 0)::int AS "parents", COALESCE(p."students", 0)::int AS "students",
        COALESCE(p."parentsOnRoster", 0)::int AS "parentsOnRoster", COALESCE(p."studentsOnRoster", 0)::int AS "studentsOnRoster"
      FROM k LEFT JOIN r ON r."classId" = k."id" LEFT JOIN p ON p."classId" = k."id"
      ORDER BY k."grade", k."name", k."id"`;
  }

  /**
   * Pledge progress per school of the filter (by name): roster size and valid pledges of the campaign per side,
   * without matching each pledge to a roster pupil (`parentsOnRoster`/`studentsOnRoster` are null). At a province's
   * size that match is a join of every pledge with every roster row; these counts are index-only scans
   * (`Pledge(campaignId, schoolId, audience, withdrawnAt)`, the roster's class index).
   */
  async progressBySchool(campaignId: string, f: ReachFilter): Promise<(Omit<ProgressCountRow, 'parentsOnRoster' | 'studentsOnRoster'> & { parentsOnRoster: null; studentsOnRoster: null })[]> {
    const schools = f.schoolIds ? Prisma.sql`= ANY(${texts(f.schoolIds)})` : null;
    return this.db.$queryRaw`
      WITH r AS (
        SELECT k."schoolId", count(*)::int AS "n" FROM "RosterEntry" re JOIN "Class" k ON k."id" = re."classId"
        WHERE ${reachCondition(f, 'k."schoolId"', 'k."id"')} GROUP BY k."schoolId"),
      p AS (
        SELECT p."schoolId", count(*) FILTER (WHERE p."audience" = 'parent')::int AS "parents", count(*) FILTER (WHERE p."audience" = 'student')::int AS "students"
        FROM "Pledge" p
        WHERE p."campaignId" = ${campaignId} AND p."withdrawnAt" IS NULL ${schools ? Prisma.sql`AND p."schoolId" ${schools}` : Prisma.empty}
          ${f.classIds ? Prisma.sql`AND p."classId" = ANY(${texts(f.classIds)})` : Prisma.empty}
        GROUP BY p."schoolId")
      SELECT s."id", s."name", s."id" AS "schoolId", COALESCE(r."n", 0)::int AS "rosterSize",
        COALESCE(p."parents", 0)::int AS "parents", COALESCE(p."students", 0)::int AS "students",
        NULL::int AS "parentsOnRoster", NULL::int AS "studentsOnRoster"
      FROM "School" s LEFT JOIN r ON r."schoolId" = s."id" LEFT JOIN p ON p."schoolId" = s."id"
      WHERE ${schools ? Prisma.sql`s."id" ${schools}` : Prisma.sql`TRUE`}
        ${f.classIds ? Prisma.sql`AND EXISTS (SELECT 1 FROM "Class" kc WHERE kc."schoolId" = s."id" AND kc."id" = ANY(${texts(f.classIds)}))` : Prisma.empty}
      ORDER BY s."name", s."id"`;
  }

  /** Tips within the filter by status and urgency, with how many of each no handler acknowledged. */
  async tipCounts(f: TipFilter): Promise<TipCountRow[]> {
    return this.db.$queryRaw<TipCountRow[]>`
      SELECT t."status", t."urgent", count(*)::int AS "n", count(*) FILTER (WHERE t."acknowledgedAt" IS NULL)::int AS "unacknowledged"
      FROM "Tip" t WHERE ${tipCondition(f, 't."schoolId"')}
      GROUP BY t."status", t."urgent"
      ORDER BY t."status", t."urgent"`;
  }

  /** Open urgent tips within the filter that nobody acknowledged, oldest first: code, category and school only. */
  async urgentWaiting(f: TipFilter, limit: number): Promise<WaitingTipRow[]> {
    return this.db.$queryRaw<WaitingTipRow[]>`
      SELECT t."publicCode", t."category", s."name" AS "schoolName", t."createdAt"
      FROM "Tip" t LEFT JOIN "School" s ON s."id" = t."schoolId"
      WHERE t."urgent" AND t."acknowledgedAt" IS NULL AND t."status" <> 'closed' AND ${tipCondition(f, 't."schoolId"')}
      ORDER BY t."createdAt", t."publicCode"
      LIMIT ${limit}`;
  }

  /** Broadcasts due in [from, to) whose audience reaches the filter (drafts left out), newest send time first. */
  async broadcastsBetween(from: Date, to: Date, f: ReachFilter, limit: number): Promise<WindowBroadcastRow[]> {
    return this.db.$queryRaw<WindowBroadcastRow[]>`
      SELECT b."id", b."code", b."status", b."sendAt", b."source", b."audienceSize", ${broadcastWithin(f)} AS "withinFilter"
      FROM "Broadcast" b
      WHERE b."sendAt" >= ${from}::timestamp(3) AND b."sendAt" < ${to}::timestamp(3) AND b."status" <> 'draft' AND ${broadcastReaches(f)}
      ORDER BY b."sendAt" DESC, b."id"
      LIMIT ${limit}`;
  }

  /**
   * `BroadcastRepo.figureRows` counted only over recipients within the filter (each recipient once, by the row of
   * its first message), so a teacher sees a school-wide broadcast's figures for their class alone.
   */
  async figureRowsWithin(broadcastIds: string[], f: ReachFilter): Promise<FigureRow[]> {
    if (broadcastIds.length === 0) return [];
    return this.db.$queryRaw<FigureRow[]>`
      SELECT d."broadcastId", d."status", d."outcome", count(*)::int AS "n", count(d."deliveredAt")::int AS "delivered",
        count(d."seenAt")::int AS "seen", count(d."caughtUpAt")::int AS "caughtUp"
      FROM "Delivery" d
      WHERE d."broadcastId" = ANY(${texts(broadcastIds)}) AND d."idempotencyKey" LIKE '%:0' AND ${recipientReaches(f)}
      GROUP BY d."broadcastId", d."status", d."outcome"`;
  }

  /** Every stored platform token's expiry and refresh state (never the tokens). */
  async tokenStates(now: Date): Promise<TokenStateRow[]> {
    return this.db.$queryRaw<TokenStateRow[]>`
      SELECT "id", "expiresAt", "refreshedAt", ("refreshingUntil" IS NOT NULL AND "refreshingUntil" > ${now}::timestamp(3)) AS "refreshing", "lastError"
      FROM "PlatformToken" ORDER BY "id"`;
  }

  /**
   * When each channel last received a webhook event (effects the worker writes for itself left out). The channels
   * are found by a skip scan of the (channel, receivedAt) index, then one backward index probe each.
   */
  async lastInboundPerChannel(): Promise<{ channel: string; at: Date | null }[]> {
    return this.db.$queryRaw<{ channel: string; at: Date | null }[]>`
      WITH RECURSIVE ch AS (
        (SELECT e."channel" FROM "InboundEvent" e ORDER BY e."channel" LIMIT 1)
        UNION ALL
        SELECT (SELECT e."channel" FROM "InboundEvent" e WHERE e."channel" > ch."channel" ORDER BY e."channel" LIMIT 1) FROM ch WHERE ch."channel" IS NOT NULL)
      SELECT ch."channel",
        (SELECT e."receivedAt" FROM "InboundEvent" e WHERE e."channel" = ch."channel" AND e."dedupeKey" NOT LIKE 'effect:%'
          ORDER BY e."receivedAt" DESC LIMIT 1) AS "at"
      FROM ch WHERE ch."channel" IS NOT NULL ORDER BY ch."channel"`;
  }

  /**
   * Queued rows waiting because their last try was put off (rate limit, quiet hours, a transient error), per channel
   * and reason: pending with an outcome and a retry time still ahead of `now` (a range of the claim's index).
   */
  async deferredNow(now: Date): Promise<DeferredRow[]> {
    return this.db.$queryRaw<DeferredRow[]>`
      SELECT d."channel", d."outcome", count(*)::int AS "n", min(d."createdAt") AS "oldestCreatedAt", min(d."notBefore") AS "nextTryAt"
      FROM "Delivery" d WHERE d."status" = 'pending' AND d."notBefore" > ${now}::timestamp(3) AND d."outcome" IS NOT NULL
      GROUP BY d."channel", d."outcome" ORDER BY d."channel", d."outcome"`;
  }

  /** Zalo groups of classes within the filter that cannot be posted into (most recent first), and how many in all. */
  async unhealthyGroups(f: ReachFilter, limit: number): Promise<{ total: number; rows: UnhealthyGroupRow[] }> {
    const within = f.schoolIds || f.classIds ? reachCondition(f, 'k."schoolId"', 'k."id"') : Prisma.sql`TRUE`;
    const rows = await this.db.$queryRaw<(UnhealthyGroupRow & { total: number })[]>`
      SELECT g."id", g."name", g."health", g."healthCode", g."healthAt", k."name" AS "className", s."name" AS "schoolName",
        (count(*) OVER ())::int AS "total"
      FROM "ZaloGroup" g
      ${f.schoolIds || f.classIds ? Prisma.sql`JOIN` : Prisma.sql`LEFT JOIN`} "Class" k ON k."id" = g."classId"
      LEFT JOIN "School" s ON s."id" = k."schoolId"
      WHERE g."health" <> 'ok' AND ${within}
      ORDER BY g."healthAt" DESC NULLS LAST, g."id"
      LIMIT ${limit}`;
    return { total: rows[0]?.total ?? 0, rows: rows.map(({ total: _t, ...r }) => r) };
  }

  /** Open operator alerts except the given kinds, newest first. */
  async openAlerts(exceptKinds: string[]): Promise<{ kind: string; message: string; createdAt: Date }[]> {
    return this.db.$queryRaw<{ kind: string; message: string; createdAt: Date }[]>`
      SELECT "kind", "message", "createdAt" FROM "SystemAlert"
      WHERE "resolvedAt" IS NULL AND NOT ("kind" = ANY(${texts(exceptKinds)}))
      ORDER BY "createdAt" DESC LIMIT 20`;
  }
}
