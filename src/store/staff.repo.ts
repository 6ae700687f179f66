import type { Db } from './database.js';

/** A console account as sign-in needs it: role, scope and the password hash. */
export interface StaffAccount {
  id: string;
  role: string;
  passwordHash: string;
  schoolId: string | null;
  officeId: string | null;
  classId: string | null;
}

/** A console account as pages and scope resolution see it (never its password hash). */
export interface StaffMember {
  id: string;
  email: string;
  name: string;
  role: string;
  schoolId: string | null;
  officeId: string | null;
  classId: string | null;
}

/** Where an account is placed: its office, school and class (each may be null). */
export interface StaffPlacement {
  role: string;
  officeId: string | null;
  schoolId: string | null;
  classId: string | null;
}

/** A school, office or class as account placement checks and scope descriptions need it. */
export interface PlaceRef {
  id: string;
  code: string;
  name: string;
}

const MEMBER = { id: true, email: true, name: true, role: true, schoolId: true, officeId: true, classId: true } as const;

/** Console accounts (StaffUser) and what their scope covers. */
export class StaffRepo {
  constructor(private readonly db: Db) {}

  /** The account with this (lower-cased) e-mail address, or null. */
  async byEmail(email: string): Promise<StaffAccount | null> {
    return this.db.staffUser.findUnique({ where: { email }, select: { id: true, role: true, passwordHash: true, schoolId: true, officeId: true, classId: true } });
  }

  /** Ids of the schools of an office. */
  async schoolIdsOfOffice(officeId: string): Promise<string[]> {
    const rows = await this.db.school.findMany({ where: { officeId }, select: { id: true } });
    return rows.map((r) => r.id);
  }

  /** The account with this id, without its password hash, or null. */
  async memberById(id: string): Promise<StaffMember | null> {
    return this.db.staffUser.findUnique({ where: { id }, select: MEMBER });
  }

  /** Whether an account already uses this (lower-cased) e-mail address. */
  async emailTaken(email: string): Promise<boolean> {
    return (await this.db.staffUser.count({ where: { email } })) > 0;
  }

  /** Creates an account; the caller has checked the placement and hashed the password. */
  async create(data: { email: string; name: string; passwordHash: string } & StaffPlacement): Promise<StaffMember> {
    return this.db.staffUser.create({ data, select: MEMBER });
  }

  /** Sets an account's role and placement; null when there is no such account. */
  async setPlacement(id: string, placement: StaffPlacement): Promise<StaffMember | null> {
    const r = await this.db.staffUser.updateMany({ where: { id }, data: placement });
    return r.count ? this.memberById(id) : null;
  }

  /** An office by id or by code. */
  async office(idOrCode: string): Promise<PlaceRef | null> {
    return this.db.office.findFirst({ where: { OR: [{ id: idOrCode }, { code: idOrCode }] }, select: { id: true, code: true, name: true } });
  }

  /** A school by id or by code, with its office. */
  async school(idOrCode: string): Promise<(PlaceRef & { officeId: string }) | null> {
    return this.db.school.findFirst({ where: { OR: [{ id: idOrCode }, { code: idOrCode }] }, select: { id: true, code: true, name: true, officeId: true } });
  }

  /** A class by id or by code, with its school. */
  async class(idOrCode: string): Promise<(PlaceRef & { schoolId: string }) | null> {
    return this.db.class.findFirst({ where: { OR: [{ id: idOrCode }, { code: idOrCode }] }, select: { id: true, code: true, name: true, schoolId: true } });
  }
}
