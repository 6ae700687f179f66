import type { Db } from './database.js';

/** A console account as sign-in needs it: role, scope and the password hash. */
export interface StaffAccount {
  id: string;
  role: string;
  passwordHash: string;
  schoolId: string | null;
  officeId: string | null;
}

/** Console accounts (StaffUser) and what their scope covers. */
export class StaffRepo {
  constructor(private readonly db: Db) {}

  /** The account with this (lower-cased) e-mail address, or null. */
  async byEmail(email: string): Promise<StaffAccount | null> {
    return this.db.staffUser.findUnique({ where: { email }, select: { id: true, role: true, passwordHash: true, schoolId: true, officeId: true } });
  }

  /** Ids of the schools of an office. */
  async schoolIdsOfOffice(officeId: string): Promise<string[]> {
    const rows = await this.db.school.findMany({ where: { officeId }, select: { id: true } });
    return rows.map((r) => r.id);
  }
}
