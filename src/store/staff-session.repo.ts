import type { Db } from './database.js';
import type { StaffMember } from './staff.repo.js';

/** A stored session with the account it belongs to. */
export interface StoredSession {
  id: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  staff: StaffMember;
}

const STAFF = { id: true, email: true, name: true, role: true, schoolId: true, officeId: true, classId: true, active: true } as const;

/** Console sessions (StaffSession), found by the SHA-256 of their cookie token; the token itself is never stored. */
export class StaffSessionRepo {
  constructor(private readonly db: Db) {}

  /** Stores a new session. */
  async create(row: { tokenHash: string; staffId: string; createdAt: Date; expiresAt: Date }): Promise<{ id: string }> {
    return this.db.staffSession.create({ data: { ...row, lastSeenAt: row.createdAt }, select: { id: true } });
  }

  /** The session with this token hash and its account, or null. */
  async byTokenHash(tokenHash: string): Promise<StoredSession | null> {
    return this.db.staffSession.findUnique({
      where: { tokenHash },
      select: { id: true, createdAt: true, lastSeenAt: true, expiresAt: true, staff: { select: STAFF } },
    });
  }

  /** Records that the session was used at `at`. */
  async touch(id: string, at: Date): Promise<void> {
    await this.db.staffSession.updateMany({ where: { id }, data: { lastSeenAt: at } });
  }

  /** Deletes the session with this token hash; whether there was one. */
  async deleteByTokenHash(tokenHash: string): Promise<boolean> {
    return (await this.db.staffSession.deleteMany({ where: { tokenHash } })).count > 0;
  }

  /** Deletes one session by id. */
  async delete(id: string): Promise<void> {
    await this.db.staffSession.deleteMany({ where: { id } });
  }

  /** Deletes sessions past their absolute end or idle since before `idleBefore`; how many. */
  async deleteExpired(now: Date, idleBefore: Date): Promise<number> {
    return (await this.db.staffSession.deleteMany({ where: { OR: [{ expiresAt: { lte: now } }, { lastSeenAt: { lte: idleBefore } }] } })).count;
  }

  /** Ends every session of an account (deactivated, or its password reset); how many there were. */
  async deleteAllOf(staffId: string): Promise<number> {
    return (await this.db.staffSession.deleteMany({ where: { staffId } })).count;
  }

  /** Ends every session of an account but one (its password changed in that one); how many ended. */
  async deleteAllOfExcept(staffId: string, keepSessionId: string): Promise<number> {
    return (await this.db.staffSession.deleteMany({ where: { staffId, id: { not: keepSessionId } } })).count;
  }

  /** How many sessions an account has open (for tests and a future "sign out everywhere"). */
  async countOf(staffId: string): Promise<number> {
    return this.db.staffSession.count({ where: { staffId } });
  }
}
