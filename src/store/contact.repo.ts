import type { Db } from './database.js';

/** The identity of a contact on one channel account. */
export interface ContactIdentity {
  channel: string;
  accountId: string;
  userId: string;
}

/** What flows may know about a contact (no platform ids). */
export interface ContactRecord {
  id: string;
  role: string | null;
  schoolId: string | null;
  classId: string | null;
  locale: string;
  subscribed: boolean;
  lastInteractionAt: Date | null;
}

/** What a contact may change about themselves. */
export type ContactPatch = Partial<Pick<ContactRecord, 'role' | 'schoolId' | 'classId' | 'locale' | 'subscribed'>>;

const SELECT = { id: true, role: true, schoolId: true, classId: true, locale: true, subscribed: true, lastInteractionAt: true } as const;

/** Contacts: one row per person per channel account. */
export class ContactRepo {
  constructor(private readonly db: Db) {}

  /** Updates what the contact told us about themselves. */
  async update(id: string, patch: ContactPatch): Promise<ContactRecord> {
    return this.db.contact.update({ where: { id }, data: patch, select: SELECT });
  }

  /** Loads a contact by id. */
  async get(id: string): Promise<ContactRecord | null> {
    return this.db.contact.findUnique({ where: { id }, select: SELECT });
  }
}
