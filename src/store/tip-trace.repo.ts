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

  /**
   * After a turn that stays in a tip flow: remembers what to put back when the flow ends (`resume`), and truncates
   * the row's times to the hour (the row says "in a tip flow" anyway while it lasts).
   */
  async holdInTipFlow(contactId: string, resume: ResumeState): Promise<void> {
    await this.db.$executeRaw`
      UPDATE "Conversation" SET "resumeState" = ${JSON.stringify(resume)}::jsonb,
        "updatedAt" = date_trunc('hour', "updatedAt"), "expiresAt" = date_trunc('hour', "expiresAt")
      WHERE "contactId" = ${contactId}`;
  }

  /** When a tip flow ends: the conversation exactly as it was before the flow began, times included (or none). */
  async resume(contactId: string, resume: ResumeState): Promise<void> {
    await this.db.conversation.deleteMany({ where: { contactId } });
    if ('none' in resume) return;
    await this.db.$executeRaw`
      INSERT INTO "Conversation" ("contactId", "flowId", "stepId", "version", "data", "expiresAt", "updatedAt")
      VALUES (${contactId}, ${resume.flowId}, ${resume.stepId}, ${resume.version}, ${JSON.stringify(resume.data)}::jsonb,
        ${new Date(resume.expiresAt)}, ${new Date(resume.updatedAt)})`;
  }
}

/** A conversation row as a turn reads it (`TurnRepo.start`). */
export interface StoredRow {
  flowId: string;
  stepId: string;
  version: number;
  data: unknown;
  expiresAt: Date;
  updatedAt: Date;
  resumeState: unknown;
}

/** What to put back when a tip flow ends: a conversation row (times as ISO strings), or none. */
export type ResumeState =
  | { none: true }
  | { flowId: string; stepId: string; version: number; data: unknown; expiresAt: string; updatedAt: string };

/** The resume state of a row outside the tip flows (what it is now), or of one inside them (what it remembers). */
export function resumeStateOf(row: StoredRow | null, inTipFlow: (flowId: string) => boolean): ResumeState {
  if (!row) return { none: true };
  if (!inTipFlow(row.flowId)) {
    return { flowId: row.flowId, stepId: row.stepId, version: row.version, data: row.data, expiresAt: row.expiresAt.toISOString(), updatedAt: row.updatedAt.toISOString() };
  }
  const r = row.resumeState as Partial<Record<string, unknown>> | null;
  if (r && typeof r === 'object' && typeof r.flowId === 'string' && typeof r.stepId === 'string' && typeof r.version === 'number' && typeof r.expiresAt === 'string' && typeof r.updatedAt === 'string') {
    return { flowId: r.flowId, stepId: r.stepId, version: r.version, data: r.data ?? {}, expiresAt: r.expiresAt, updatedAt: r.updatedAt };
  }
  // A tip-flow row from before resume states existed, or `{none: true}`: nothing to put back.
  return { none: true };
}
