import type { Db } from './database.js';

/** A pupil on a class roster. */
export interface RosterRow {
  id: string;
  studentName: string;
  studentKey: string;
}

/** What an import changes on one class's roster. */
export interface RosterChanges {
  add: { studentName: string; studentKey: string }[];
  /** Same pupil (same key), the file's spelling replaces the stored one. */
  respell: { studentName: string; studentKey: string }[];
  removeKeys: string[];
}

/** Class rosters (`RosterEntry`) as the console reads and imports them. */
export class RosterRepo {
  constructor(private readonly db: Db) {}

  /** Every pupil of a class roster, by name. */
  async entries(classId: string): Promise<RosterRow[]> {
    return this.db.rosterEntry.findMany({ where: { classId }, orderBy: [{ studentName: 'asc' }, { id: 'asc' }], select: { id: true, studentName: true, studentKey: true } });
  }

  /**
   * Locks the class row until the transaction ends, so two imports into one class run one after the other (each then
   * sees the roster the other left). False: no such class.
   */
  async lockClass(classId: string): Promise<boolean> {
    const rows = await this.db.$queryRaw<{ id: string }[]>`SELECT "id" FROM "Class" WHERE "id" = ${classId} FOR UPDATE`;
    return rows.length === 1;
  }

  /** Applies an import's changes to one class roster; run it in a transaction so all of it happens or none. */
  async apply(classId: string, changes: RosterChanges): Promise<{ added: number; respelled: number; removed: number }> {
    let removed = 0;
    if (changes.removeKeys.length > 0) {
      removed = (await this.db.rosterEntry.deleteMany({ where: { classId, studentKey: { in: changes.removeKeys } } })).count;
    }
    let respelled = 0;
    for (const r of changes.respell) {
      respelled += (await this.db.rosterEntry.updateMany({ where: { classId, studentKey: r.studentKey }, data: { studentName: r.studentName } })).count;
    }
    let added = 0;
    if (changes.add.length > 0) {
      added = (await this.db.rosterEntry.createMany({ data: changes.add.map((a) => ({ classId, ...a })) })).count;
    }
    return { added, respelled, removed };
  }
}
