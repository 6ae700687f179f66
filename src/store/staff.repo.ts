import type { Db } from './database.js';

/** A console account as sign-in needs it: role, scope and the password hash. */
export interface StaffAccount {
  id: string;
  role: string;
  passwordHash: string;
  schoolId: string | null;
  officeId: string | null;
  classId: string | null;
  /** False: deactivated (refused at sign-in). */
  active: boolean;
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
  /** False: deactivated on the staff page (refused at sign-in, sessions ended). */
  active: boolean;
}

/** Where an account is placed: its office, school and class (each may be null). */
export interface StaffPlacement {
  role: string;
  officeId: string | null;
  schoolId: string | null;
  classId: string | null;
}

/** Which accounts a staff list covers: every one, an office's (its own and its schools'), or one school's. */
export type StaffReach = { kind: 'all' } | { kind: 'office'; officeId: string } | { kind: 'school'; schoolId: string };

/** A console account as the staff page lists it (never its password hash, nor its chat contact). */
export interface StaffListRow extends StaffMember {
  lastSignInAt: Date | null;
  createdAt: Date;
  /** Whether a chat is linked to the account (alerts go there). */
  chatLinked: boolean;
  school: { name: string; officeId: string } | null;
  office: { name: string } | null;
  /** A teacher's class. */
  klass: { name: string; code: string } | null;
}

/** A school, office or class as account placement checks and scope descriptions need it. */
export interface PlaceRef {
  id: string;
  code: string;
  name: string;
}

const MEMBER = { id: true, email: true, name: true, role: true, schoolId: true, officeId: true, classId: true, active: true } as const;
const LIST_ROW = { ...MEMBER, lastSignInAt: true, createdAt: true, chatContactId: true, school: { select: { name: true, officeId: true } }, office: { select: { name: true } } } as const;
type RawListRow = Omit<StaffListRow, 'chatLinked' | 'klass'> & { chatContactId: string | null };

function reachWhere(reach: StaffReach) {
  switch (reach.kind) {
    case 'all':
      return {};
    case 'office':
      return { OR: [{ officeId: reach.officeId }, { school: { officeId: reach.officeId } }] };
    case 'school':
      return { schoolId: reach.schoolId };
  }
}

/** Console accounts (StaffUser) and what their scope covers. */
export class StaffRepo {
  constructor(private readonly db: Db) {}

  /** The account with this (lower-cased) e-mail address, or null. */
  async byEmail(email: string): Promise<StaffAccount | null> {
    return this.db.staffUser.findUnique({ where: { email }, select: { id: true, role: true, passwordHash: true, schoolId: true, officeId: true, classId: true, active: true } });
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

  /** One page of the accounts within a reach, by name, and how many there are in all. */
  async list(reach: StaffReach, page: { skip: number; take: number }): Promise<{ rows: StaffListRow[]; total: number }> {
    const where = reachWhere(reach);
    const [rows, total] = await Promise.all([
      this.db.staffUser.findMany({ where, orderBy: [{ name: 'asc' }, { email: 'asc' }], skip: page.skip, take: page.take, select: LIST_ROW }),
      this.db.staffUser.count({ where }),
    ]);
    return { rows: await this.withClassNames(rows), total };
  }

  /** One account as the staff page shows it (without regard to reach: the caller checks it), or null. */
  async listRow(id: string): Promise<StaffListRow | null> {
    const row = await this.db.staffUser.findUnique({ where: { id }, select: LIST_ROW });
    return row ? ((await this.withClassNames([row]))[0] ?? null) : null;
  }

  /**
   * Activates or deactivates an account; deactivating also unlinks its chat and voids a pending link code (a
   * deactivated account's chat gets no alerts and approves nothing). Null when there is no such account.
   */
  async setActive(id: string, active: boolean): Promise<{ chatUnlinked: boolean } | null> {
    const before = await this.db.staffUser.findUnique({ where: { id }, select: { chatContactId: true } });
    if (!before) return null;
    await this.db.staffUser.update({ where: { id }, data: active ? { active } : { active, chatContactId: null, linkCodeHash: null, linkCodeExpiresAt: null } });
    return { chatUnlinked: !active && before.chatContactId !== null };
  }

  /**
   * Replaces an account's password hash; with `ifHash`, only while the hash is still that one (a password checked
   * outside the transaction has not been changed meanwhile). Whether it was replaced.
   */
  async setPasswordHash(id: string, passwordHash: string, ifHash?: string): Promise<boolean> {
    const r = await this.db.staffUser.updateMany({ where: ifHash === undefined ? { id } : { id, passwordHash: ifHash }, data: { passwordHash } });
    return r.count > 0;
  }

  /** Notes a console sign-in's time on the account. */
  async recordSignIn(id: string, at: Date): Promise<void> {
    await this.db.staffUser.updateMany({ where: { id }, data: { lastSignInAt: at } });
  }

  private async withClassNames(rows: RawListRow[]): Promise<StaffListRow[]> {
    const ids = [...new Set(rows.map((r) => r.classId).filter((c): c is string => c !== null))];
    const classes = new Map(ids.length ? (await this.db.class.findMany({ where: { id: { in: ids } }, select: { id: true, name: true, code: true } })).map((c) => [c.id, { name: c.name, code: c.code }]) : []);
    return rows.map(({ chatContactId, ...r }) => ({ ...r, chatLinked: chatContactId !== null, klass: r.classId ? (classes.get(r.classId) ?? null) : null }));
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
