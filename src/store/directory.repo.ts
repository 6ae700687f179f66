import type { Db, DirectQuery } from './database.js';
import { queryOn } from './sql-text.js';
import { Prisma } from './generated/client.js';

/** A school as flows see it. */
export interface SchoolRef {
  id: string;
  name: string;
  code: string;
}

/** A class as flows see it, with its school's name. */
export interface ClassRef {
  id: string;
  name: string;
  code: string;
  schoolId: string;
  schoolName: string;
}

/** How long a process keeps the school list: a school added (or renamed) elsewhere shows in onboarding within this. */
export const SCHOOL_LIST_TTL_MS = 30_000;

/**
 * The school list, shared by every turn of a process. Onboarding reads it on most of its turns and schools change
 * rarely, so it is loaded at most once per `ttlMs`; code that changes schools in this process calls `invalidate`.
 */
export class SchoolListCache {
  private entry: { loadedAt: number; schools: Promise<SchoolRef[]> } | undefined;

  constructor(
    private readonly ttlMs = SCHOOL_LIST_TTL_MS,
    private readonly clock: () => number = Date.now,
  ) {}

  /** The cached list, or what `load` returns when there is none or it is older than the TTL. */
  get(load: () => Promise<SchoolRef[]>): Promise<SchoolRef[]> {
    const now = this.clock();
    if (this.entry && now - this.entry.loadedAt < this.ttlMs) return this.entry.schools;
    const entry = { loadedAt: now, schools: load() };
    this.entry = entry;
    // A failed load (its turn's transaction broke) is not kept: the next turn loads again.
    entry.schools.catch(() => {
      if (this.entry === entry) this.entry = undefined;
    });
    return entry.schools;
  }

  /** Forgets the list: the next read loads it. */
  invalidate(): void {
    this.entry = undefined;
  }
}

/**
 * Read access to offices, schools and classes. A class comes with its school's name from one joined statement
 * (Prisma's nested select would read the school in a second one).
 */
export class DirectoryRepo {
  /**
   * `schools`: the process's school list cache (none: every read goes to the database). `direct`: the class reads
   * skip Prisma's query pipeline (database.ts `DirectQuery`); they only read, so a turn outside a transaction may too.
   */
  constructor(
    private readonly db: Db,
    private readonly schools?: SchoolListCache,
    private readonly direct?: DirectQuery,
  ) {}

  /** All schools, by name. */
  async listSchools(): Promise<SchoolRef[]> {
    const load = () => this.db.school.findMany({ orderBy: { name: 'asc' }, select: { id: true, name: true, code: true } });
    return this.schools ? this.schools.get(load) : load();
  }

  /** One school, or null. */
  async getSchool(id: string): Promise<SchoolRef | null> {
    return this.db.school.findUnique({ where: { id }, select: { id: true, name: true, code: true } });
  }

  /** Classes of a school, by grade then name. */
  async listClasses(schoolId: string): Promise<ClassRef[]> {
    return queryOn<ClassRef>(this.db, this.direct, Prisma.sql`
      SELECT c."id", c."name", c."code", c."schoolId", s."name" AS "schoolName"
      FROM "Class" c JOIN "School" s ON s."id" = c."schoolId" WHERE c."schoolId" = ${schoolId}
      ORDER BY c."grade", c."name"`);
  }

  /** A class by id, or null. */
  async getClass(id: string): Promise<ClassRef | null> {
    const rows = await queryOn<ClassRef>(this.db, this.direct, Prisma.sql`
      SELECT c."id", c."name", c."code", c."schoolId", s."name" AS "schoolName"
      FROM "Class" c JOIN "School" s ON s."id" = c."schoolId" WHERE c."id" = ${id}`);
    return rows[0] ?? null;
  }

  /** A class by its code, ignoring case, or null. */
  async findClassByCode(code: string): Promise<ClassRef | null> {
    const rows = await queryOn<ClassRef>(this.db, this.direct, Prisma.sql`
      SELECT c."id", c."name", c."code", c."schoolId", s."name" AS "schoolName"
      FROM "Class" c JOIN "School" s ON s."id" = c."schoolId" WHERE lower(c."code") = lower(${code.trim()})
      LIMIT 1`);
    return rows[0] ?? null;
  }
}
