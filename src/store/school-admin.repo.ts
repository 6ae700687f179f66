import type { Db } from './database.js';

/** A school as the console manages it. */
export interface SchoolRecord {
  id: string;
  officeId: string;
  code: string;
  name: string;
  level: string;
  broadcastNeedsApproval: boolean;
}

/** A school in a list, with how many classes it has. */
export interface SchoolListItem extends SchoolRecord {
  classCount: number;
}

/** A class as the console manages it, with its school's office (for scope checks). */
export interface ClassRecord {
  id: string;
  schoolId: string;
  officeId: string;
  name: string;
  grade: number;
  schoolYear: string;
  code: string;
}

/** A class in a list, with how many pupils its roster has. */
export interface ClassListItem extends ClassRecord {
  rosterCount: number;
}

/** Which schools a list covers: every school, those of an office, or these ids. */
export type SchoolFilter = { all: true } | { officeId: string; orIds: readonly string[] } | { ids: readonly string[] };

const SCHOOL = { id: true, officeId: true, code: true, name: true, level: true, broadcastNeedsApproval: true } as const;
const CLASS = { id: true, schoolId: true, name: true, grade: true, schoolYear: true, code: true } as const;

/** Schools and classes as the staff console creates, renames and lists them. */
export class SchoolAdminRepo {
  constructor(private readonly db: Db) {}

  /** Schools matching the filter, by name, with their class counts. */
  async listSchools(filter: SchoolFilter): Promise<SchoolListItem[]> {
    const where = 'all' in filter ? {} : 'officeId' in filter ? { OR: [{ officeId: filter.officeId }, { id: { in: [...filter.orIds] } }] } : { id: { in: [...filter.ids] } };
    const rows = await this.db.school.findMany({ where, orderBy: { name: 'asc' }, select: { ...SCHOOL, _count: { select: { classes: true } } } });
    return rows.map(({ _count, ...s }) => ({ ...s, classCount: _count.classes }));
  }

  /** One school, or null. */
  async getSchool(id: string): Promise<SchoolRecord | null> {
    return this.db.school.findUnique({ where: { id }, select: SCHOOL });
  }

  /** Whether an office exists. */
  async officeExists(id: string): Promise<boolean> {
    return (await this.db.office.count({ where: { id } })) === 1;
  }

  /** Whether a school code is taken (ignoring case). */
  async schoolCodeTaken(code: string): Promise<boolean> {
    return (await this.db.school.count({ where: { code: { equals: code, mode: 'insensitive' } } })) > 0;
  }

  /** Stores a school; null when its code is taken meanwhile (skipped, not thrown: a caller's transaction stays usable). */
  async insertSchool(data: Omit<SchoolRecord, 'id'>): Promise<SchoolRecord | null> {
    const [row] = await this.db.school.createManyAndReturn({ data: [data], skipDuplicates: true, select: SCHOOL });
    return row ?? null;
  }

  /** Changes a school's name or approval setting; returns the school as stored, or null when it does not exist. */
  async updateSchool(id: string, patch: { name?: string; broadcastNeedsApproval?: boolean }): Promise<SchoolRecord | null> {
    const { count } = await this.db.school.updateMany({ where: { id }, data: patch });
    return count === 1 ? this.getSchool(id) : null;
  }

  /** Classes of a school (optionally only these ids), newest school year first, then by grade and name, with roster counts. */
  async listClasses(schoolId: string, onlyIds?: readonly string[]): Promise<ClassListItem[]> {
    const school = await this.db.school.findUnique({ where: { id: schoolId }, select: { officeId: true } });
    if (!school) return [];
    const rows = await this.db.class.findMany({
      where: { schoolId, ...(onlyIds ? { id: { in: [...onlyIds] } } : {}) },
      orderBy: [{ schoolYear: 'desc' }, { grade: 'asc' }, { name: 'asc' }],
      select: CLASS,
    });
    const counts = await this.db.rosterEntry.groupBy({ by: ['classId'], where: { classId: { in: rows.map((r) => r.id) } }, _count: { _all: true } });
    const byClass = new Map(counts.map((c) => [c.classId, c._count._all]));
    return rows.map((r) => ({ ...r, officeId: school.officeId, rosterCount: byClass.get(r.id) ?? 0 }));
  }

  /** One class with its school's office, or null. */
  async getClass(id: string): Promise<ClassRecord | null> {
    const row = await this.db.class.findUnique({ where: { id }, select: { ...CLASS, school: { select: { officeId: true } } } });
    if (!row) return null;
    const { school, ...cls } = row;
    return { ...cls, officeId: school.officeId };
  }

  /** Names of a school's classes in one school year (for the uniqueness check). */
  async classNames(schoolId: string, schoolYear: string): Promise<{ id: string; name: string }[]> {
    return this.db.class.findMany({ where: { schoolId, schoolYear }, select: { id: true, name: true } });
  }

  /** Which of these class codes are taken (ignoring case), upper-cased. */
  async takenClassCodes(codes: readonly string[]): Promise<Set<string>> {
    const rows = await this.db.class.findMany({ where: { OR: codes.map((code) => ({ code: { equals: code, mode: 'insensitive' as const } })) }, select: { code: true } });
    return new Set(rows.map((r) => r.code.toUpperCase()));
  }

  /** Stores a class; null when its code or its name in that school year is taken meanwhile. */
  async insertClass(data: Omit<ClassRecord, 'id' | 'officeId'>): Promise<Omit<ClassRecord, 'officeId'> | null> {
    const [row] = await this.db.class.createManyAndReturn({ data: [data], skipDuplicates: true, select: CLASS });
    return row ?? null;
  }

  /**
   * Renames or regrades a class. `duplicate`: another class of that school and year has the name (the unique index
   * decides, so two renames at once cannot both win).
   */
  async updateClass(id: string, patch: { name?: string; grade?: number }): Promise<'updated' | 'missing' | 'duplicate'> {
    try {
      const { count } = await this.db.class.updateMany({ where: { id }, data: patch });
      return count === 1 ? 'updated' : 'missing';
    } catch (err) {
      if ((err as { code?: string }).code === 'P2002') return 'duplicate';
      throw err;
    }
  }
}
