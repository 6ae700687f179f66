import type { Db } from './database.js';
import type { Prisma } from './generated/client.js';

/** Stored conversation state; the flow engine validates it before trusting it. */
export interface StoredConversation {
  flowId: string;
  stepId: string;
  version: number;
  data: unknown;
  expiresAt: Date;
}

/** The one live conversation of each contact. */
export class ConversationRepo {
  constructor(private readonly db: Db) {}

  /** Replaces the contact's conversation (or deletes it when `state` is null). */
  async save(contactId: string, state: StoredConversation | null): Promise<void> {
    if (state === null) {
      await this.db.conversation.deleteMany({ where: { contactId } });
      return;
    }
    const row = { ...state, data: state.data as Prisma.InputJsonValue };
    await this.db.conversation.upsert({ where: { contactId }, create: { contactId, ...row }, update: row });
  }
}
