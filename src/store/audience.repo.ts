import type { Db } from './database.js';
import { Prisma } from './generated/client.js';

/** What a broadcast addresses, resolved to ids (see `AudienceRepo.targets`). */
export interface AudienceTargets {
  /** Schools addressed as a whole. */
  wholeSchoolIds: string[];
  /** Every class addressed: the single classes and every class of the whole schools. */
  classIds: string[];
  /** Every school concerned: the whole schools and the schools of the single classes. */
  schoolIds: string[];
  /** The offices of those schools. */
  officeIds: string[];
}

/** Who of the targets is in the audience (the predicate of `memberPredicate`). */
export interface MemberSpec {
  targets: AudienceTargets;
  /** Contact roles taken as parents/students of the classes (`parent`, `student`). */
  pupilRoles: string[];
  /** Verified teachers: contacts that redeemed an invite of a whole school or of a class addressed. */
  teachers: boolean;
  /** Staff accounts that linked their chat, of the schools concerned or their offices. */
  staff: boolean;
  /** Leave out parents/students who signed a pledge (not withdrawn) in this campaign; null: leave nobody out. */
  excludePledgedIn: string | null;
  /** Also the Zalo groups linked to the classes addressed. */
  groups: boolean;
}

/** A used invite of a contact, with its school's and class's names (what a verified teacher may address). */
export interface TeacherScopeInvite {
  schoolId: string;
  schoolName: string;
  needsApproval: boolean;
  classId: string | null;
  className: string | null;
}

/** How many contacts of an audience are in one state on one channel (see `reachCounts`). */
export interface ReachCountRow {
  channel: string;
  /** opted_out | never_wrote | window_closed | open */
  state: 'opted_out' | 'never_wrote' | 'window_closed' | 'open';
  /** Their class has a healthy Zalo group in the audience. */
  viaGroup: boolean;
  n: number;
}

/** A channel's reply window for `reachCounts`: contacts who last wrote before `cutoff` are outside it. */
export interface WindowCutoff {
  channel: string;
  cutoff: Date;
}

const ids = (xs: string[]) => Prisma.sql`${xs}::text[]`;

/**
 * The audience as a condition on `Contact` rows aliased `c`: one index-friendly predicate, so the forecast counts it
 * in one statement and expansion walks it in primary-key order (`c."id" > cursor ORDER BY c."id"`).
 * A contact counts as having pledged when a pledge with its `contactId` exists in the campaign and is not withdrawn:
 * contacts carry no link to a student's name, so this is the only sound test.
 */
export function memberPredicate(spec: MemberSpec): Prisma.Sql {
  const t = spec.targets;
  const parts: Prisma.Sql[] = [];
  if (spec.pupilRoles.length > 0 && (t.classIds.length > 0 || t.wholeSchoolIds.length > 0)) {
    const pledged = spec.excludePledgedIn
      ? Prisma.sql`AND c."id" NOT IN (SELECT p."contactId" FROM "Pledge" p
          WHERE p."campaignId" = ${spec.excludePledgedIn} AND p."withdrawnAt" IS NULL AND p."contactId" IS NOT NULL)`
      : Prisma.empty;
    parts.push(Prisma.sql`(c."role" = ANY(${ids(spec.pupilRoles)})
      AND (c."classId" = ANY(${ids(t.classIds)}) OR c."schoolId" = ANY(${ids(t.wholeSchoolIds)})) ${pledged})`);
  }
  if (spec.teachers) {
    parts.push(Prisma.sql`c."id" IN (SELECT i."usedByContactId" FROM "TeacherInvite" i
      WHERE i."usedByContactId" IS NOT NULL AND (i."schoolId" = ANY(${ids(t.wholeSchoolIds)}) OR i."classId" = ANY(${ids(t.classIds)})))`);
  }
  if (spec.staff) {
    parts.push(Prisma.sql`c."id" IN (SELECT s."chatContactId" FROM "StaffUser" s
      WHERE s."chatContactId" IS NOT NULL AND (s."schoolId" = ANY(${ids(t.schoolIds)}) OR s."officeId" = ANY(${ids(t.officeIds)})))`);
  }
  return parts.length === 0 ? Prisma.sql`false` : Prisma.sql`(${Prisma.join(parts, ' OR ')})`;
}

/** The Zalo groups of an audience, as a condition on `ZaloGroup` rows aliased `g`. */
export function groupPredicate(spec: MemberSpec): Prisma.Sql {
  return spec.groups && spec.targets.classIds.length > 0 ? Prisma.sql`g."classId" = ANY(${ids(spec.targets.classIds)})` : Prisma.sql`false`;
}

/** Audiences: who a broadcast reaches, what a verified teacher may address, who approves. Read-only. */
export class AudienceRepo {
  constructor(private readonly db: Db) {}

  /** The invites a contact redeemed (it is a verified teacher of those schools and classes), oldest first. */
  async usedInvites(contactId: string): Promise<TeacherScopeInvite[]> {
    return this.db.$queryRaw<TeacherScopeInvite[]>`
      SELECT i."schoolId", s."name" AS "schoolName", s."broadcastNeedsApproval" AS "needsApproval", i."classId", c."name" AS "className"
      FROM "TeacherInvite" i JOIN "School" s ON s."id" = i."schoolId" LEFT JOIN "Class" c ON c."id" = i."classId"
      WHERE i."usedByContactId" = ${contactId}
      ORDER BY i."usedAt", i."id"`;
  }

  /** The classes of some schools, by grade then name. */
  async classesOf(schoolIds: string[]): Promise<{ id: string; name: string; schoolId: string }[]> {
    if (schoolIds.length === 0) return [];
    return this.db.class.findMany({ where: { schoolId: { in: schoolIds } }, orderBy: [{ grade: 'asc' }, { name: 'asc' }], select: { id: true, name: true, schoolId: true } });
  }

  /** Resolves whole schools and single classes to every class, school and office concerned (unknown ids dropped). */
  async targets(wholeSchoolIds: string[], classIds: string[]): Promise<AudienceTargets> {
    // A plain SELECT around the WITH: read-only turns run it without a transaction (see createReadOnlyRepos).
    const rows = await this.db.$queryRaw<{ kind: string; id: string }[]>`
      SELECT * FROM (
        WITH s AS (SELECT "id", "officeId" FROM "School" WHERE "id" = ANY(${ids(wholeSchoolIds)})),
          k AS (SELECT "id", "schoolId" FROM "Class" WHERE "id" = ANY(${ids(classIds)}) OR "schoolId" IN (SELECT "id" FROM s)),
          sc AS (SELECT "id", "officeId" FROM "School" WHERE "id" IN (SELECT "id" FROM s) OR "id" IN (SELECT "schoolId" FROM k))
        SELECT 'whole' AS "kind", "id" FROM s
        UNION ALL SELECT 'class', "id" FROM k
        UNION ALL SELECT 'school', "id" FROM sc
        UNION ALL SELECT DISTINCT 'office', "officeId" FROM sc) t`;
    const of = (kind: string) => rows.filter((r) => r.kind === kind).map((r) => r.id);
    return { wholeSchoolIds: of('whole'), classIds: of('class'), schoolIds: of('school'), officeIds: of('office') };
  }

  /** Whether each school wants school-wide broadcasts approved. */
  async approvalSettings(schoolIds: string[]): Promise<Map<string, boolean>> {
    if (schoolIds.length === 0) return new Map();
    const rows = await this.db.school.findMany({ where: { id: { in: schoolIds } }, select: { id: true, broadcastNeedsApproval: true } });
    return new Map(rows.map((r) => [r.id, r.broadcastNeedsApproval]));
  }

  /**
   * Contacts of an audience counted per channel and state in one statement: opted out, never wrote, outside the
   * channel's reply window (channels without a cutoff have none), or open; and whether their class has a healthy
   * Zalo group in the audience.
   */
  async reachCounts(spec: MemberSpec, windows: WindowCutoff[]): Promise<ReachCountRow[]> {
    const channels = windows.map((w) => w.channel);
    const cutoffs = windows.map((w) => w.cutoff.toISOString());
    return this.db.$queryRaw<ReachCountRow[]>`
      SELECT * FROM (
      WITH w AS (SELECT * FROM unnest(${channels}::text[], ${cutoffs}::text[]) AS x("channel", "cutoff")),
        healthy AS (SELECT DISTINCT g."classId" FROM "ZaloGroup" g WHERE ${groupPredicate(spec)} AND g."health" = 'ok')
      SELECT c."channel",
        CASE WHEN NOT c."subscribed" THEN 'opted_out'
          WHEN w."cutoff" IS NULL THEN 'open'
          WHEN c."lastInteractionAt" IS NULL THEN 'never_wrote'
          WHEN c."lastInteractionAt" < w."cutoff"::timestamp(3) THEN 'window_closed'
          ELSE 'open' END AS "state",
        (c."classId" IS NOT NULL AND c."classId" IN (SELECT "classId" FROM healthy)) AS "viaGroup",
        count(*)::int AS "n"
      FROM "Contact" c LEFT JOIN w ON w."channel" = c."channel"
      WHERE ${memberPredicate(spec)}
      GROUP BY 1, 2, 3) t`;
  }

  /** The Zalo groups of an audience: how many are healthy, how many not. */
  async groupCounts(spec: MemberSpec): Promise<{ healthy: number; unhealthy: number }> {
    const [row] = await this.db.$queryRaw<{ healthy: number; unhealthy: number }[]>`
      SELECT count(*) FILTER (WHERE g."health" = 'ok')::int AS "healthy", count(*) FILTER (WHERE g."health" <> 'ok')::int AS "unhealthy"
      FROM "ZaloGroup" g WHERE ${groupPredicate(spec)}`;
    return row ?? { healthy: 0, unhealthy: 0 };
  }

  /**
   * The chat contacts of the accounts that may approve a broadcast of these schools: an `admin` or `school_admin` of
   * the school (when there is one school), of the office of every one of them, or an `admin` of no school or office
   * (it sees everything). A broadcast across schools is for the office to approve.
   */
  async approverContactIds(schoolIds: string[]): Promise<string[]> {
    if (schoolIds.length === 0) return [];
    const rows = await this.db.$queryRaw<{ chatContactId: string }[]>`
      SELECT DISTINCT u."chatContactId" FROM "StaffUser" u
      WHERE u."chatContactId" IS NOT NULL AND u."role" IN ('admin', 'school_admin')
        AND ((u."schoolId" IS NOT NULL AND u."schoolId" = ALL(${ids(schoolIds)}))
          OR (u."officeId" IS NOT NULL AND u."officeId" = ALL(ARRAY(SELECT s."officeId" FROM "School" s WHERE s."id" = ANY(${ids(schoolIds)}))))
          OR (u."role" = 'admin' AND u."schoolId" IS NULL AND u."officeId" IS NULL))
      ORDER BY 1`;
    return rows.map((r) => r.chatContactId);
  }

  /** A console account's role and scope, or null. */
  async staffScope(staffId: string): Promise<{ role: string; schoolId: string | null; officeId: string | null; chatContactId: string | null } | null> {
    return this.db.staffUser.findUnique({ where: { id: staffId }, select: { role: true, schoolId: true, officeId: true, chatContactId: true } });
  }

  /** The office of each school. */
  async officesOf(schoolIds: string[]): Promise<string[]> {
    if (schoolIds.length === 0) return [];
    const rows = await this.db.school.findMany({ where: { id: { in: schoolIds } }, select: { officeId: true }, distinct: ['officeId'] });
    return rows.map((r) => r.officeId);
  }

  /** The most recently started active campaign (as pledges pick theirs), or null. */
  async activeCampaign(): Promise<{ id: string; endsOn: Date } | null> {
    return this.db.campaign.findFirst({ where: { active: true }, orderBy: [{ startsOn: 'desc' }, { createdAt: 'desc' }], select: { id: true, endsOn: true } });
  }

  /** A campaign's end, or null when unknown. */
  async campaignEnd(campaignId: string): Promise<Date | null> {
    const c = await this.db.campaign.findUnique({ where: { id: campaignId }, select: { endsOn: true } });
    return c?.endsOn ?? null;
  }
}
