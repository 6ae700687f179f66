import type { Db } from './database.js';
import { broadcastReaches, reachCondition, tipCondition, type ReachFilter, type TipFilter } from './dashboard.repo.js';
import { Prisma } from './generated/client.js';

/** Pupils of one class or school with a pledge over a period, per side (parent, student); any campaign. */
export interface PledgePeriodRow {
  id: string;
  name: string;
  rosterSize: number;
  /** Signed (or signed again) within the period. */
  parentSigned: number;
  parentWithdrawn: number;
  /** Valid at the end of the period: signed before it ended and not withdrawn by then. */
  parentValid: number;
  studentSigned: number;
  studentWithdrawn: number;
  studentValid: number;
  /** Student pledges valid at the end and confirmed by a parent pledge by then. */
  studentConfirmed: number;
}

/** Messages sent over a period of one kind (`null` kind: the total), with delivery and read receipts. */
export interface ReachPeriodRow {
  kind: 'reply' | 'broadcast' | 'reminder' | null;
  sent: number;
  delivered: number;
  seen: number;
  /** Different people reached one by one. */
  people: number;
  /** Different Zalo class groups posted into. */
  groups: number;
}

/** Quiz attempts finished over a period for one topic (`null` topic: every topic together). */
export interface QuizPeriodRow {
  topic: string | null;
  attempts: number;
  participants: number;
  score: number;
  total: number;
}

/** Tips of one category and outcome: received in the period, urgent among them, closed in it, open at its end. */
export interface TipPeriodRow {
  category: string;
  outcome: string | null;
  received: number;
  urgent: number;
  closed: number;
  openAtEnd: number;
  /** Received in the period, naming no school. */
  withoutSchool: number;
}

/** Broadcasts due in a period by status. */
export interface BroadcastStatusRow {
  status: string;
  n: number;
}

/** What those broadcasts reached within the scope: each recipient once (by its first message's row). */
export interface BroadcastReachRow {
  recipients: number;
  sent: number;
  delivered: number;
  seen: number;
  people: number;
}

const within = (from: Date, to: Date, col: string) => Prisma.sql`${Prisma.raw(col)} >= ${from}::timestamp(3) AND ${Prisma.raw(col)} < ${to}::timestamp(3)`;

/**
 * Outbox rows (alias `d`, with `cols` picked) matching `where` whose recipient is within the filter: a person linked to
 * a class of it, or the Zalo group of such a class. Written as joins from the unit's classes (the contacts' class index,
 * then the outbox's contact index; the group's lane key, then the outbox's lane index), so one school's report reads
 * that school's rows only; without a limit, one pass over the outbox.
 */
function rowsToUnit(f: ReachFilter, cols: Prisma.Sql, where: Prisma.Sql): Prisma.Sql {
  if (!f.schoolIds && !f.classIds) {
    return Prisma.sql`SELECT ${cols} FROM "Delivery" d WHERE ${where} AND (d."contactId" IS NOT NULL OR d."recipient" LIKE 'group:%')`;
  }
  const classes = Prisma.sql`SELECT k."id" FROM "Class" k WHERE ${reachCondition(f, 'k."schoolId"', 'k."id"')}`;
  return Prisma.sql`
    SELECT ${cols} FROM "Contact" c JOIN "Delivery" d ON d."contactId" = c."id" WHERE c."classId" IN (${classes}) AND ${where}
    UNION ALL
    SELECT ${cols} FROM "ZaloGroup" g JOIN "Delivery" d ON d."laneKey" = 'zalo:' || g."accountId" || ':group:' || g."id"
    WHERE g."classId" IN (${classes}) AND d."contactId" IS NULL AND ${where}`;
}

/**
 * The periodic report's figures over [from, to): one statement of SQL aggregates per section. Counts only: no
 * name, no message text, nothing of a tip but its category, outcome and dates.
 */
export class ReportRepo {
  constructor(private readonly db: Db) {}

  /** A school with its office's name, or null. */
  async school(id: string): Promise<{ id: string; name: string; officeId: string; officeName: string } | null> {
    const rows = await this.db.$queryRaw<{ id: string; name: string; officeId: string; officeName: string }[]>`
      SELECT s."id", s."name", s."officeId", o."name" AS "officeName" FROM "School" s JOIN "Office" o ON o."id" = s."officeId" WHERE s."id" = ${id}`;
    return rows[0] ?? null;
  }

  /** An office with the ids of its schools, or null. */
  async office(id: string): Promise<{ id: string; name: string; schoolIds: string[] } | null> {
    const rows = await this.db.$queryRaw<{ id: string; name: string; schoolIds: string[] }[]>`
      SELECT o."id", o."name", COALESCE(array_agg(s."id" ORDER BY s."id") FILTER (WHERE s."id" IS NOT NULL), '{}') AS "schoolIds"
      FROM "Office" o LEFT JOIN "School" s ON s."officeId" = o."id" WHERE o."id" = ${id} GROUP BY o."id", o."name"`;
    return rows[0] ?? null;
  }

  /**
   * Pledges per class (`by: 'class'`) or per school within the filter over the period, with today's roster sizes.
   * Rows are the pledges as stored now: a pledge signed again carries its latest signing time.
   */
  async pledges(f: ReachFilter, from: Date, to: Date, by: 'class' | 'school'): Promise<PledgePeriodRow[]> {
    const valid = Prisma.sql`p."consentAt" < ${to}::timestamp(3) AND (p."withdrawnAt" IS NULL OR p."withdrawnAt" >= ${to}::timestamp(3))`;
    // Pupils, not pledges: a pupil with pledges in two campaigns of the period counts once against the roster.
    const side = (a: 'parent' | 'student') => Prisma.sql`
      count(DISTINCT p."studentKey") FILTER (WHERE p."audience" = ${a} AND ${within(from, to, 'p."consentAt"')})::int AS ${Prisma.raw(`"${a}Signed"`)},
      count(DISTINCT p."studentKey") FILTER (WHERE p."audience" = ${a} AND ${within(from, to, 'p."withdrawnAt"')})::int AS ${Prisma.raw(`"${a}Withdrawn"`)},
      count(DISTINCT p."studentKey") FILTER (WHERE p."audience" = ${a} AND ${valid})::int AS ${Prisma.raw(`"${a}Valid"`)}`;
    const base = Prisma.sql`
      k AS (SELECT c."id", c."name", c."grade", c."schoolId" FROM "Class" c WHERE ${reachCondition(f, 'c."schoolId"', 'c."id"')}),
      r AS (SELECT re."classId", count(*)::int AS "n" FROM "RosterEntry" re WHERE re."classId" IN (SELECT "id" FROM k) GROUP BY re."classId"),
      p AS (
        SELECT p."classId", ${side('parent')}, ${side('student')},
          count(DISTINCT p."studentKey") FILTER (WHERE p."audience" = 'student' AND ${valid} AND p."confirmedAt" < ${to}::timestamp(3))::int AS "studentConfirmed"
        FROM "Pledge" p WHERE p."classId" IN (SELECT "id" FROM k) AND p."consentAt" < ${to}::timestamp(3)
        GROUP BY p."classId")`;
    const cols = ['parentSigned', 'parentWithdrawn', 'parentValid', 'studentSigned', 'studentWithdrawn', 'studentValid', 'studentConfirmed'];
    if (by === 'class') {
      const picked = Prisma.raw(cols.map((c) => `COALESCE(p."${c}", 0)::int AS "${c}"`).join(', '));
      return this.db.$queryRaw<PledgePeriodRow[]>`
        WITH ${base}
        SELECT k."id", k."name", COALESCE(r."n", 0)::int AS "rosterSize", ${picked}
        FROM k LEFT JOIN r ON r."classId" = k."id" LEFT JOIN p ON p."classId" = k."id"
        ORDER BY k."grade", k."name", k."id"`;
    }
    const summed = Prisma.raw(cols.map((c) => `COALESCE(sum(p."${c}"), 0)::int AS "${c}"`).join(', '));
    return this.db.$queryRaw<PledgePeriodRow[]>`
      WITH ${base}
      SELECT s."id", s."name", COALESCE(sum(r."n"), 0)::int AS "rosterSize", ${summed}
      FROM "School" s LEFT JOIN k ON k."schoolId" = s."id" LEFT JOIN r ON r."classId" = k."id" LEFT JOIN p ON p."classId" = k."id"
      WHERE ${f.schoolIds ? Prisma.sql`s."id" = ANY(${[...f.schoolIds]}::text[])` : Prisma.sql`TRUE`}
      GROUP BY s."id", s."name"
      ORDER BY s."name", s."id"`;
  }

  /**
   * Messages sent over the period to the people of the filter's classes and their Zalo groups, by kind (a
   * conversation's reply, a broadcast, a reminder run) and in total. Staff notifications are left out; tip-flow
   * messages no longer carry a send time.
   */
  async reach(f: ReachFilter, from: Date, to: Date): Promise<ReachPeriodRow[]> {
    const rows = rowsToUnit(
      f,
      Prisma.sql`d."broadcastId", d."contactId", d."recipient", d."deliveredAt", d."seenAt"`,
      Prisma.sql`d."status" = 'sent' AND ${within(from, to, 'd."sentAt"')} AND (d."idempotencyKey" IS NULL OR d."idempotencyKey" NOT LIKE 'staff:%')`,
    );
    return this.db.$queryRaw<ReachPeriodRow[]>`
      WITH sent AS (${rows}),
      x AS (
        SELECT CASE WHEN s."broadcastId" IS NULL THEN 'reply' WHEN b."source" LIKE 'reminder:%' THEN 'reminder' ELSE 'broadcast' END AS "kind",
          s."contactId", s."recipient", s."deliveredAt", s."seenAt"
        FROM sent s LEFT JOIN "Broadcast" b ON b."id" = s."broadcastId")
      SELECT x."kind", count(*)::int AS "sent", count(x."deliveredAt")::int AS "delivered", count(x."seenAt")::int AS "seen",
        count(DISTINCT x."contactId")::int AS "people", (count(DISTINCT x."recipient") FILTER (WHERE x."contactId" IS NULL))::int AS "groups"
      FROM x GROUP BY GROUPING SETS ((x."kind"), ())
      ORDER BY x."kind" NULLS LAST`;
  }

  /** Quiz attempts finished over the period by students and parents of schools within the filter, per topic and in total. */
  async quizzes(f: ReachFilter, from: Date, to: Date): Promise<QuizPeriodRow[]> {
    return this.db.$queryRaw<QuizPeriodRow[]>`
      SELECT q."topic", count(*)::int AS "attempts", count(DISTINCT q."contactId")::int AS "participants",
        COALESCE(sum(q."score"), 0)::int AS "score", COALESCE(sum(q."total"), 0)::int AS "total"
      FROM "QuizAttempt" q
      WHERE ${within(from, to, 'q."completedAt"')}
        AND ${f.schoolIds ? Prisma.sql`q."schoolId" = ANY(${[...f.schoolIds]}::text[])` : Prisma.sql`TRUE`}
        ${f.classIds ? Prisma.sql`AND EXISTS (SELECT 1 FROM "Contact" c WHERE c."id" = q."contactId" AND c."classId" = ANY(${[...f.classIds]}::text[]))` : Prisma.empty}
      GROUP BY GROUPING SETS ((q."topic"), ())
      ORDER BY q."topic" NULLS LAST`;
  }

  /** Tips within the filter by category and outcome: received, urgent, closed over the period, and open at its end. */
  async tips(f: TipFilter, from: Date, to: Date): Promise<TipPeriodRow[]> {
    const received = within(from, to, 't."createdAt"');
    return this.db.$queryRaw<TipPeriodRow[]>`
      SELECT t."category", t."outcome",
        count(*) FILTER (WHERE ${received})::int AS "received",
        count(*) FILTER (WHERE ${received} AND t."urgent")::int AS "urgent",
        count(*) FILTER (WHERE t."status" = 'closed' AND ${within(from, to, 't."closedAt"')})::int AS "closed",
        count(*) FILTER (WHERE t."closedAt" IS NULL OR t."closedAt" >= ${to}::timestamp(3))::int AS "openAtEnd",
        count(*) FILTER (WHERE ${received} AND t."schoolId" IS NULL)::int AS "withoutSchool"
      FROM "Tip" t
      WHERE t."createdAt" < ${to}::timestamp(3) AND (t."closedAt" IS NULL OR t."closedAt" >= ${from}::timestamp(3))
        AND ${tipCondition(f, 't."schoolId"')}
      GROUP BY t."category", t."outcome"
      ORDER BY t."category", t."outcome" NULLS FIRST`;
  }

  /** Broadcasts due over the period whose audience reaches the filter, by status (drafts left out). */
  async broadcastStatuses(f: ReachFilter, from: Date, to: Date): Promise<BroadcastStatusRow[]> {
    return this.db.$queryRaw<BroadcastStatusRow[]>`
      SELECT b."status", count(*)::int AS "n" FROM "Broadcast" b
      WHERE ${within(from, to, 'b."sendAt"')} AND b."status" <> 'draft' AND ${broadcastReaches(f)}
      GROUP BY b."status" ORDER BY b."status"`;
  }

  /** What the broadcasts due over the period reached among the filter's classes (people and groups), each recipient once. */
  async broadcastReach(f: ReachFilter, from: Date, to: Date): Promise<BroadcastReachRow> {
    const bs = Prisma.sql`SELECT b."id" FROM "Broadcast" b WHERE ${within(from, to, 'b."sendAt"')} AND b."status" <> 'draft' AND ${broadcastReaches(f)}`;
    const rows = rowsToUnit(f, Prisma.sql`d."status", d."contactId", d."deliveredAt", d."seenAt"`, Prisma.sql`d."broadcastId" IN (${bs}) AND d."idempotencyKey" LIKE '%:0'`);
    const [row] = await this.db.$queryRaw<BroadcastReachRow[]>`
      WITH x AS (${rows})
      SELECT count(*)::int AS "recipients", count(*) FILTER (WHERE x."status" = 'sent')::int AS "sent",
        count(x."deliveredAt")::int AS "delivered", count(x."seenAt")::int AS "seen",
        (count(DISTINCT x."contactId") FILTER (WHERE x."status" = 'sent'))::int AS "people"
      FROM x`;
    return row ?? { recipients: 0, sent: 0, delivered: 0, seen: 0, people: 0 };
  }
}
