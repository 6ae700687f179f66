import type { Db } from './database.js';
import { Prisma } from './generated/client.js';
import type { SchoolFilter } from './school-admin.repo.js';

/** Pledge figures of one class (or one school) in one campaign. "On roster": the pupil's name key is on the class roster. */
export interface PledgeCounts {
  rosterSize: number;
  /** Valid (not withdrawn) parent pledges, and those of them for a pupil on the roster. */
  parentValid: number;
  parentOnRoster: number;
  studentValid: number;
  studentOnRoster: number;
  /** Valid student pledges a parent has confirmed. */
  studentConfirmed: number;
  /** Pledges withdrawn (either audience). */
  withdrawn: number;
}

/** A school's figures: its pledges are not matched against the roster one by one (see `countsBySchool`). */
export type SchoolPledgeCounts = Omit<PledgeCounts, 'parentOnRoster' | 'studentOnRoster'>;

/** A class in a pledge list, with its school's name. */
export interface PledgeClassRow {
  id: string;
  schoolId: string;
  schoolName: string;
  officeId: string;
  name: string;
  grade: number;
  schoolYear: string;
  code: string;
}

/** A school in a pledge summary. */
export interface PledgeSchoolRow {
  id: string;
  name: string;
  classCount: number;
}

/** A pupil on a class roster. */
export interface PledgeRosterRow {
  classId: string;
  studentName: string;
  studentKey: string;
}

/** A pledge of a class as the console reports it: no receipt code, no contact, no parent's name. */
export interface PledgeReportRow {
  classId: string;
  audience: string;
  studentName: string;
  studentKey: string;
  consentAt: Date;
  confirmedAt: Date | null;
  withdrawnAt: Date | null;
}

const ZERO: PledgeCounts = { rosterSize: 0, parentValid: 0, parentOnRoster: 0, studentValid: 0, studentOnRoster: 0, studentConfirmed: 0, withdrawn: 0 };

// No campaign id is empty: with it the pledge half of a count matches nothing.
const NO_CAMPAIGN = '';

const ids = (xs: readonly string[]) => Prisma.sql`${[...xs]}::text[]`;

interface CountSqlRow {
  id: string;
  roster: number;
  parent_valid: number;
  parent_on_roster: number;
  student_valid: number;
  student_on_roster: number;
  student_confirmed: number;
  withdrawn: number;
}

/** The console's pledge pages and exports: classes in reach, figures per class or school, rosters with their pledges. */
export class PledgeReportRepo {
  constructor(private readonly db: Db) {}

  /** Classes of the schools a filter covers (optionally only these classes, or one school), by school, grade and name. */
  async classes(filter: SchoolFilter, opts: { onlyIds?: readonly string[]; schoolId?: string } = {}): Promise<PledgeClassRow[]> {
    const school: Prisma.SchoolWhereInput = 'all' in filter ? {} : 'officeId' in filter ? { OR: [{ officeId: filter.officeId }, { id: { in: [...filter.orIds] } }] } : { id: { in: [...filter.ids] } };
    const rows = await this.db.class.findMany({
      where: { school, ...(opts.onlyIds ? { id: { in: [...opts.onlyIds] } } : {}), ...(opts.schoolId ? { schoolId: opts.schoolId } : {}) },
      orderBy: [{ school: { name: 'asc' } }, { schoolYear: 'desc' }, { grade: 'asc' }, { name: 'asc' }],
      select: { id: true, schoolId: true, name: true, grade: true, schoolYear: true, code: true, school: { select: { name: true, officeId: true } } },
    });
    return rows.map(({ school: s, ...c }) => ({ ...c, schoolName: s.name, officeId: s.officeId }));
  }

  /** One class with its school, or null. */
  async classById(id: string): Promise<PledgeClassRow | null> {
    const row = await this.db.class.findUnique({
      where: { id },
      select: { id: true, schoolId: true, name: true, grade: true, schoolYear: true, code: true, school: { select: { name: true, officeId: true } } },
    });
    if (!row) return null;
    const { school: s, ...c } = row;
    return { ...c, schoolName: s.name, officeId: s.officeId };
  }

  /** One school with its office, or null. */
  async schoolById(id: string): Promise<{ id: string; name: string; code: string; officeId: string } | null> {
    return this.db.school.findUnique({ where: { id }, select: { id: true, name: true, code: true, officeId: true } });
  }

  /** Schools a filter covers, by name, with their class counts. */
  async schools(filter: SchoolFilter): Promise<PledgeSchoolRow[]> {
    const where: Prisma.SchoolWhereInput = 'all' in filter ? {} : 'officeId' in filter ? { OR: [{ officeId: filter.officeId }, { id: { in: [...filter.orIds] } }] } : { id: { in: [...filter.ids] } };
    const rows = await this.db.school.findMany({ where, orderBy: { name: 'asc' }, select: { id: true, name: true, _count: { select: { classes: true } } } });
    return rows.map((r) => ({ id: r.id, name: r.name, classCount: r._count.classes }));
  }

  /**
   * The figures of each class in one campaign (every id given gets an entry, zeros when nothing is there). Without a
   * campaign (null) only the rosters are counted.
   */
  async countsByClass(classIds: readonly string[], campaignId: string | null): Promise<Map<string, PledgeCounts>> {
    if (classIds.length === 0) return new Map();
    const rows = await this.db.$queryRaw<CountSqlRow[]>`
      WITH k AS (SELECT unnest(${ids(classIds)}) AS "id"),
      r AS (SELECT "classId", count(*)::int AS n FROM "RosterEntry" WHERE "classId" = ANY(${ids(classIds)}) GROUP BY "classId"),
      p AS (
        SELECT p."classId",
          count(*) FILTER (WHERE p."audience" = 'parent' AND p."withdrawnAt" IS NULL)::int AS parent_valid,
          count(*) FILTER (WHERE p."audience" = 'parent' AND p."withdrawnAt" IS NULL AND e."id" IS NOT NULL)::int AS parent_on_roster,
          count(*) FILTER (WHERE p."audience" = 'student' AND p."withdrawnAt" IS NULL)::int AS student_valid,
          count(*) FILTER (WHERE p."audience" = 'student' AND p."withdrawnAt" IS NULL AND e."id" IS NOT NULL)::int AS student_on_roster,
          count(*) FILTER (WHERE p."audience" = 'student' AND p."withdrawnAt" IS NULL AND p."confirmedAt" IS NOT NULL)::int AS student_confirmed,
          count(*) FILTER (WHERE p."withdrawnAt" IS NOT NULL)::int AS withdrawn
        FROM "Pledge" p
        LEFT JOIN "RosterEntry" e ON e."classId" = p."classId" AND e."studentKey" = p."studentKey"
        WHERE p."campaignId" = ${campaignId ?? NO_CAMPAIGN} AND p."classId" = ANY(${ids(classIds)})
        GROUP BY p."classId")
      SELECT k."id", coalesce(r.n, 0) AS roster, coalesce(p.parent_valid, 0) AS parent_valid, coalesce(p.parent_on_roster, 0) AS parent_on_roster,
        coalesce(p.student_valid, 0) AS student_valid, coalesce(p.student_on_roster, 0) AS student_on_roster,
        coalesce(p.student_confirmed, 0) AS student_confirmed, coalesce(p.withdrawn, 0) AS withdrawn
      FROM k LEFT JOIN r ON r."classId" = k."id" LEFT JOIN p ON p."classId" = k."id"`;
    const out = new Map<string, PledgeCounts>(classIds.map((id) => [id, { ...ZERO }]));
    for (const r of rows) out.set(r.id, toCounts(r));
    return out;
  }

  /**
   * The figures of each school in one campaign (null: only the rosters). At an office's size the pledges are counted
   * without matching each one against the roster (the Pledge (campaignId, schoolId, audience, withdrawnAt) index
   * answers it), as the dashboard does: the per-class figures (`countsByClass`) match them.
   */
  async countsBySchool(schoolIds: readonly string[], campaignId: string | null): Promise<Map<string, SchoolPledgeCounts>> {
    if (schoolIds.length === 0) return new Map();
    const rows = await this.db.$queryRaw<Omit<CountSqlRow, 'parent_on_roster' | 'student_on_roster'>[]>`
      WITH k AS (SELECT unnest(${ids(schoolIds)}) AS "id"),
      r AS (SELECT c."schoolId", count(*)::int AS n FROM "RosterEntry" e JOIN "Class" c ON c."id" = e."classId"
            WHERE c."schoolId" = ANY(${ids(schoolIds)}) GROUP BY c."schoolId"),
      p AS (
        SELECT p."schoolId",
          count(*) FILTER (WHERE p."audience" = 'parent' AND p."withdrawnAt" IS NULL)::int AS parent_valid,
          count(*) FILTER (WHERE p."audience" = 'student' AND p."withdrawnAt" IS NULL)::int AS student_valid,
          count(*) FILTER (WHERE p."audience" = 'student' AND p."withdrawnAt" IS NULL AND p."confirmedAt" IS NOT NULL)::int AS student_confirmed,
          count(*) FILTER (WHERE p."withdrawnAt" IS NOT NULL)::int AS withdrawn
        FROM "Pledge" p
        WHERE p."campaignId" = ${campaignId ?? NO_CAMPAIGN} AND p."schoolId" = ANY(${ids(schoolIds)})
        GROUP BY p."schoolId")
      SELECT k."id", coalesce(r.n, 0) AS roster, coalesce(p.parent_valid, 0) AS parent_valid, coalesce(p.student_valid, 0) AS student_valid,
        coalesce(p.student_confirmed, 0) AS student_confirmed, coalesce(p.withdrawn, 0) AS withdrawn
      FROM k LEFT JOIN r ON r."schoolId" = k."id" LEFT JOIN p ON p."schoolId" = k."id"`;
    const out = new Map<string, SchoolPledgeCounts>(schoolIds.map((id) => [id, { rosterSize: 0, parentValid: 0, studentValid: 0, studentConfirmed: 0, withdrawn: 0 }]));
    for (const r of rows) {
      out.set(r.id, { rosterSize: Number(r.roster), parentValid: Number(r.parent_valid), studentValid: Number(r.student_valid), studentConfirmed: Number(r.student_confirmed), withdrawn: Number(r.withdrawn) });
    }
    return out;
  }

  /** The roster pupils of these classes, by class. */
  async rosters(classIds: readonly string[]): Promise<PledgeRosterRow[]> {
    if (classIds.length === 0) return [];
    return this.db.rosterEntry.findMany({ where: { classId: { in: [...classIds] } }, select: { classId: true, studentName: true, studentKey: true } });
  }

  /** The pledges of these classes in one campaign, withdrawn ones included. */
  async pledges(classIds: readonly string[], campaignId: string): Promise<PledgeReportRow[]> {
    if (classIds.length === 0) return [];
    return this.db.pledge.findMany({
      where: { campaignId, classId: { in: [...classIds] } },
      select: { classId: true, audience: true, studentName: true, studentKey: true, consentAt: true, confirmedAt: true, withdrawnAt: true },
    });
  }
}

function toCounts(r: CountSqlRow): PledgeCounts {
  return {
    rosterSize: Number(r.roster),
    parentValid: Number(r.parent_valid),
    parentOnRoster: Number(r.parent_on_roster),
    studentValid: Number(r.student_valid),
    studentOnRoster: Number(r.student_on_roster),
    studentConfirmed: Number(r.student_confirmed),
    withdrawn: Number(r.withdrawn),
  };
}
