import type { Db } from './database.js';

/** What a staff chat notification is about: an urgent tip (repeats until acknowledged) or an approval (once). */
export type StaffNotificationKind = 'urgent_tip' | 'approval';

/** One notification of one contact about one subject. */
export interface StaffNotificationRow {
  contactId: string;
  sentCount: number;
  nextAt: Date | null;
  acknowledgedAt: Date | null;
}

/** Where a contact is reached: its channel identity. */
export interface ChatRoute {
  contactId: string;
  channel: string;
  accountId: string;
  userId: string;
}

/** A staff account as chat features see it (its scope, never its password). */
export interface StaffChatAccount {
  id: string;
  name: string;
  role: string;
  schoolId: string | null;
  officeId: string | null;
  chatContactId: string | null;
  /** The pending link code's expiry; null once used (or when none was issued). */
  linkCodeExpiresAt: Date | null;
}

/** An urgent tip no handler has acknowledged, as its alert names it (never its content). */
export interface WaitingUrgentTip {
  id: string;
  publicCode: string;
  category: string;
  schoolId: string | null;
  schoolName: string | null;
  officeId: string | null;
}

/** The roles that handle tips (and receive urgent-tip alerts). */
export const TIP_HANDLER_ROLES = ['tip_handler', 'admin'] as const;

const ACCOUNT = { id: true, name: true, role: true, schoolId: true, officeId: true, chatContactId: true, linkCodeExpiresAt: true } as const;

/** Staff chat links (`StaffUser.chatContactId`, link codes) and the notifications sent there (`StaffNotification`). */
export class StaffNotificationRepo {
  constructor(private readonly db: Db) {}

  // ---- chat links ---------------------------------------------------------------------------------------------

  /** The account with this (lower-cased) e-mail address, or null. */
  async accountByEmail(email: string): Promise<StaffChatAccount | null> {
    return this.db.staffUser.findUnique({ where: { email }, select: ACCOUNT });
  }

  /** The account whose pending (or used) link code has this keyed hash, or null. */
  async accountByLinkHash(hash: string): Promise<StaffChatAccount | null> {
    return this.db.staffUser.findUnique({ where: { linkCodeHash: hash }, select: ACCOUNT });
  }

  /** The account this chat contact is linked to, or null. */
  async accountOfContact(contactId: string): Promise<StaffChatAccount | null> {
    return this.db.staffUser.findUnique({ where: { chatContactId: contactId }, select: ACCOUNT });
  }

  /** Whether a link code hash is taken (by a pending or used code). */
  async linkHashTaken(hash: string): Promise<boolean> {
    return (await this.db.staffUser.count({ where: { linkCodeHash: hash } })) > 0;
  }

  /** Replaces the account's link code (a new code voids the previous one). */
  async setLinkCode(staffId: string, hash: string, expiresAt: Date): Promise<void> {
    await this.db.staffUser.update({ where: { id: staffId }, data: { linkCodeHash: hash, linkCodeExpiresAt: expiresAt } });
  }

  /**
   * Uses the account's link code if it is still pending and unexpired at `now` (one statement: of two contacts sending
   * the code at once exactly one gets it). The hash stays, with no expiry, so a second use is told "already used".
   */
  async useLinkCode(staffId: string, hash: string, now: Date): Promise<boolean> {
    const r = await this.db.staffUser.updateMany({ where: { id: staffId, linkCodeHash: hash, linkCodeExpiresAt: { gt: now } }, data: { linkCodeExpiresAt: null } });
    return r.count === 1;
  }

  /** Links the contact to the account, unlinking it from any other account first (a chat reaches one account). */
  async linkContact(staffId: string, contactId: string): Promise<void> {
    await this.db.staffUser.updateMany({ where: { chatContactId: contactId, id: { not: staffId } }, data: { chatContactId: null } });
    await this.db.staffUser.update({ where: { id: staffId }, data: { chatContactId: contactId } });
  }

  // ---- who is notified ----------------------------------------------------------------------------------------

  /**
   * Contacts of the linked tip handlers and admins of a tip's scope: the school's own accounts and its office's. A tip
   * naming no school belongs to no office: office-level accounts get it (as in the console, `TipRepo` scopes).
   */
  async handlerContacts(tip: { schoolId: string | null; officeId: string | null }): Promise<string[]> {
    const scope = tip.schoolId === null ? [{ officeId: { not: null } }] : [{ schoolId: tip.schoolId }, ...(tip.officeId ? [{ officeId: tip.officeId }] : [])];
    const rows = await this.db.staffUser.findMany({
      where: { role: { in: [...TIP_HANDLER_ROLES] }, chatContactId: { not: null }, OR: scope },
      orderBy: { createdAt: 'asc' },
      select: { chatContactId: true },
    });
    return rows.map((r) => r.chatContactId!);
  }

  /** Contacts of the linked admins of a school (its own and its office's): who approves school-wide broadcasts. */
  async adminContacts(schoolId: string): Promise<string[]> {
    const school = await this.db.school.findUnique({ where: { id: schoolId }, select: { officeId: true } });
    const rows = await this.db.staffUser.findMany({
      where: { role: 'admin', chatContactId: { not: null }, OR: [{ schoolId }, ...(school ? [{ officeId: school.officeId }] : [])] },
      orderBy: { createdAt: 'asc' },
      select: { chatContactId: true },
    });
    return rows.map((r) => r.chatContactId!);
  }

  /** The office of a school, or null. */
  async officeOfSchool(schoolId: string): Promise<string | null> {
    const s = await this.db.school.findUnique({ where: { id: schoolId }, select: { officeId: true } });
    return s?.officeId ?? null;
  }

  /** The channel identities of these contacts (unknown ids are left out). */
  async routesOf(contactIds: string[]): Promise<ChatRoute[]> {
    if (contactIds.length === 0) return [];
    const rows = await this.db.contact.findMany({ where: { id: { in: contactIds } }, select: { id: true, channel: true, accountId: true, userId: true } });
    return rows.map((r) => ({ contactId: r.id, channel: r.channel, accountId: r.accountId, userId: r.userId }));
  }

  /** Urgent tips not acknowledged and not closed, oldest first, with their school's name and office. */
  async waitingUrgentTips(limit = 200): Promise<WaitingUrgentTip[]> {
    const tips = await this.db.tip.findMany({
      where: { urgent: true, acknowledgedAt: null, status: { not: 'closed' } },
      orderBy: { createdAt: 'asc' },
      take: limit,
      select: { id: true, publicCode: true, category: true, schoolId: true },
    });
    const schoolIds = [...new Set(tips.map((t) => t.schoolId).filter((s): s is string => s !== null))];
    const schools = schoolIds.length ? await this.db.school.findMany({ where: { id: { in: schoolIds } }, select: { id: true, name: true, officeId: true } }) : [];
    const byId = new Map(schools.map((s) => [s.id, s]));
    return tips.map((t) => {
      const s = t.schoolId ? byId.get(t.schoolId) : undefined;
      return { ...t, schoolName: s?.name ?? null, officeId: s?.officeId ?? null };
    });
  }

  // ---- notification rows --------------------------------------------------------------------------------------

  /** The notifications of one subject, per contact. */
  async forSubject(kind: StaffNotificationKind, subjectId: string): Promise<StaffNotificationRow[]> {
    return this.db.staffNotification.findMany({ where: { kind, subjectId }, select: { contactId: true, sentCount: true, nextAt: true, acknowledgedAt: true } });
  }

  /**
   * Records the `sentCount + 1`-th sending to a contact if the row still shows `expectedCount` sendings (a
   * compare-and-set: of two replicas sending the same round, one records it). Returns whether it recorded.
   */
  async recordSent(kind: StaffNotificationKind, subjectId: string, contactId: string, expectedCount: number, at: Date, nextAt: Date | null): Promise<boolean> {
    if (expectedCount === 0) {
      const r = await this.db.staffNotification.createMany({ data: [{ kind, subjectId, contactId, sentCount: 1, lastSentAt: at, nextAt, createdAt: at }], skipDuplicates: true });
      return r.count === 1;
    }
    const r = await this.db.staffNotification.updateMany({
      where: { kind, subjectId, contactId, sentCount: expectedCount, acknowledgedAt: null },
      data: { sentCount: expectedCount + 1, lastSentAt: at, nextAt },
    });
    return r.count === 1;
  }

  /** Stops the notifications of a subject (for every contact): acknowledged at `at`, nothing more due. */
  async acknowledge(kind: StaffNotificationKind, subjectId: string, at: Date): Promise<number> {
    const r = await this.db.staffNotification.updateMany({ where: { kind, subjectId, acknowledgedAt: null }, data: { acknowledgedAt: at, nextAt: null } });
    return r.count;
  }

  /**
   * Stops urgent-tip alerts whose tip no longer waits (acknowledged through the API, closed, no longer urgent, or
   * deleted by retention). One statement.
   */
  async settleUrgentTips(at: Date): Promise<number> {
    return this.db.$executeRaw`
      UPDATE "StaffNotification" n SET "acknowledgedAt" = ${at}, "nextAt" = NULL
      WHERE n."kind" = 'urgent_tip' AND n."acknowledgedAt" IS NULL
        AND NOT EXISTS (SELECT 1 FROM "Tip" t WHERE t."id" = n."subjectId" AND t."urgent" AND t."acknowledgedAt" IS NULL AND t."status" <> 'closed')`;
  }
}
