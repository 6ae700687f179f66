import type { Db } from './database.js';

/** The times a contact row shows before a turn, so a tip-flow turn can leave them as they were. */
export interface ContactTimes {
  id: string;
  lastInteractionAt: Date | null;
  updatedAt: Date;
}

/**
 * Keeps tip-flow turns from leaving their moment on the contact and conversation rows (README, "Anonymous tips"):
 * those rows then show only what ordinary turns wrote, and nothing lines up with a tip or a follow-up.
 */
export class TipTraceRepo {
  constructor(private readonly db: Db) {}

  /** The contact's times as they are now, or null when the contact does not exist yet. */
  async contactTimes(identity: { channel: string; accountId: string; userId: string }): Promise<ContactTimes | null> {
    return this.db.contact.findUnique({
      where: { channel_accountId_userId: identity },
      select: { id: true, lastInteractionAt: true, updatedAt: true },
    });
  }

  /**
   * Puts back the contact's times from before a tip-flow turn. A contact created by that turn gets no interaction
   * time and its creation truncated to the hour.
   */
  async restoreContact(contactId: string, before: ContactTimes | null, hour: Date): Promise<void> {
    if (before) {
      await this.db.$executeRaw`
        UPDATE "Contact" SET "lastInteractionAt" = ${before.lastInteractionAt}, "updatedAt" = ${before.updatedAt} WHERE "id" = ${contactId}`;
    } else {
      await this.db.$executeRaw`
        UPDATE "Contact" SET "lastInteractionAt" = NULL, "updatedAt" = ${hour}, "createdAt" = ${hour} WHERE "id" = ${contactId}`;
    }
  }

  /** Truncates the conversation row's times to the hour (a conversation still inside a tip flow). */
  async coarsenConversation(contactId: string): Promise<void> {
    await this.db.$executeRaw`
      UPDATE "Conversation" SET "updatedAt" = date_trunc('hour', "updatedAt"), "expiresAt" = date_trunc('hour', "expiresAt")
      WHERE "contactId" = ${contactId}`;
  }
}
