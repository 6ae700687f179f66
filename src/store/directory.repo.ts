import type { Db } from './database.js';

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

/** Read access to offices, schools and classes. */
export class DirectoryRepo {
  constructor(private readonly db: Db) {}

  /** All schools, by name. */
  async listSchools(): Promise<SchoolRef[]> {
    return this.db.school.findMany({ orderBy: { name: 'asc' }, select: { id: true, name: true, code: true } });
  }

  /** One school, or null. */
  async getSchool(id: string): Promise<SchoolRef | null> {
    return this.db.school.findUnique({ where: { id }, select: { id: true, name: true, code: true } });
  }

  /** Classes of a school, by grade then name. */
  async listClasses(schoolId: string): Promise<ClassRef[]> {
    const rows = await this.db.class.findMany({
      where: { schoolId },
      orderBy: [{ grade: 'asc' }, { name: 'asc' }],
      select: { id: true, name: true, code: true, schoolId: true, school: { select: { name: true } } },
    });
    return rows.map(({ school, ...c }) => ({ ...c, schoolName: school.name }));
  }

  /** A class by id, or null. */
  async getClass(id: string): Promise<ClassRef | null> {
    const c = await this.db.class.findUnique({
      where: { id },
      select: { id: true, name: true, code: true, schoolId: true, school: { select: { name: true } } },
    });
    return c ? { id: c.id, name: c.name, code: c.code, schoolId: c.schoolId, schoolName: c.school.name } : null;
  }

  /** A class by its code, ignoring case, or null. */
  async findClassByCode(code: string): Promise<ClassRef | null> {
    const c = await this.db.class.findFirst({
      where: { code: { equals: code.trim(), mode: 'insensitive' } },
      select: { id: true },
    });
    return c ? this.getClass(c.id) : null;
  }
}
