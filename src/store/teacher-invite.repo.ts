import type { Db } from './database.js';

/** An invite as the teacher services see it (never the code: only its keyed hash is stored). */
export interface TeacherInviteRecord {
  id: string;
  schoolId: string;
  classId: string | null;
  expiresAt: Date;
  usedAt: Date | null;
  usedByContactId: string | null;
}

/** What a new invite is made of. */
export interface NewTeacherInvite {
  codeHash: string;
  schoolId: string;
  classId: string | null;
  createdBy: string | null;
  expiresAt: Date;
}

const SELECT = { id: true, schoolId: true, classId: true, expiresAt: true, usedAt: true, usedByContactId: true } as const;

/** Teacher invite codes (`TeacherInvite`): created by staff, redeemed once by a chat contact. */
export class TeacherInviteRepo {
  constructor(private readonly db: Db) {}

  /**
   * Stores an invite; a hash already taken is reported (null), not thrown: skipping the duplicate keeps the caller's
   * transaction usable (a unique violation would abort it on PostgreSQL).
   */
  async insert(invite: NewTeacherInvite): Promise<TeacherInviteRecord | null> {
    const [row] = await this.db.teacherInvite.createManyAndReturn({ data: [invite], skipDuplicates: true, select: SELECT });
    return row ?? null;
  }

  /** The invite whose code has this keyed hash, or null. */
  async findByHash(codeHash: string): Promise<TeacherInviteRecord | null> {
    return this.db.teacherInvite.findUnique({ where: { codeHash }, select: SELECT });
  }

  /**
   * Marks the invite used by `contactId` if it is still unused and unexpired at `now`; one statement, so of two
   * contacts sending the same code at once exactly one gets it.
   */
  async markUsed(id: string, contactId: string, now: Date): Promise<boolean> {
    const { count } = await this.db.teacherInvite.updateMany({
      where: { id, usedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now, usedByContactId: contactId },
    });
    return count === 1;
  }

  /** The schools where `contactId` redeemed an invite (the contact is a verified teacher there). */
  async verifiedSchoolIds(contactId: string): Promise<string[]> {
    const rows = await this.db.teacherInvite.findMany({ where: { usedByContactId: contactId }, select: { schoolId: true }, distinct: ['schoolId'] });
    return rows.map((r) => r.schoolId);
  }

  /** A school by its code (ignoring case), or null. */
  async findSchoolByCode(code: string): Promise<{ id: string; name: string; code: string } | null> {
    return this.db.school.findFirst({ where: { code: { equals: code.trim(), mode: 'insensitive' } }, select: { id: true, name: true, code: true } });
  }
}
