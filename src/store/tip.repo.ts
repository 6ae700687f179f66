import type { Db } from './database.js';

/** What a new tip row holds: ciphertexts and a PIN hash, never a contact or a platform id. */
export interface NewTipRow {
  id: string;
  publicCode: string;
  pinHash: string;
  category: string;
  urgent: boolean;
  schoolId: string | null;
  descriptionCipher: string;
  placeCipher: string | null;
  replyHandleCipher: string | null;
}

/** A stored tip as the tip service reads it (still encrypted). */
export interface TipRow {
  id: string;
  publicCode: string;
  pinHash: string;
  category: string;
  urgent: boolean;
  status: string;
  outcome: string | null;
  schoolId: string | null;
  descriptionCipher: string;
  placeCipher: string | null;
  replyHandleCipher: string | null;
  pinFailures: number;
  lockedUntil: Date | null;
  acknowledgedAt: Date | null;
  createdAt: Date;
  closedAt: Date | null;
}

/** A message of a tip's thread, still encrypted. */
export interface TipMessageRow {
  id: string;
  author: string;
  bodyCipher: string;
  createdAt: Date;
}

/** A tip in a handler's list (no text). */
export interface TipListRow {
  id: string;
  publicCode: string;
  category: string;
  urgent: boolean;
  status: string;
  outcome: string | null;
  schoolId: string | null;
  acknowledgedAt: Date | null;
  createdAt: Date;
  closedAt: Date | null;
}

const LIST_SELECT = {
  id: true, publicCode: true, category: true, urgent: true, status: true, outcome: true, schoolId: true,
  acknowledgedAt: true, createdAt: true, closedAt: true,
} as const;

/** Anonymous tips, their threads and the submission counters. Holds only ciphertexts; the tip service decrypts. */
export class TipRepo {
  constructor(private readonly db: Db) {}

  /** Stores a new tip; false when the public code is already taken (the caller draws another). */
  async create(row: NewTipRow): Promise<boolean> {
    const taken = await this.db.tip.findUnique({ where: { publicCode: row.publicCode }, select: { id: true } });
    if (taken) return false;
    await this.db.tip.create({ data: row });
    return true;
  }

  /** The tip with this public code, or null. */
  async byCode(publicCode: string): Promise<TipRow | null> {
    return this.db.tip.findUnique({ where: { publicCode } });
  }

  /** The tip with this id, or null. */
  async byId(id: string): Promise<TipRow | null> {
    return this.db.tip.findUnique({ where: { id } });
  }

  /** The thread of a tip, oldest first. */
  async messages(tipId: string): Promise<TipMessageRow[]> {
    return this.db.tipMessage.findMany({ where: { tipId }, orderBy: { createdAt: 'asc' }, select: { id: true, author: true, bodyCipher: true, createdAt: true } });
  }

  /** Adds an encrypted message to a tip's thread. */
  async addMessage(tipId: string, author: 'tipster' | 'handler', bodyCipher: string): Promise<void> {
    await this.db.tipMessage.create({ data: { tipId, author, bodyCipher } });
  }

  /** Stores an encrypted photo of a tip. */
  async addAttachment(tipId: string, mime: string, dataCipher: string, id?: string): Promise<string> {
    const row = await this.db.tipAttachment.create({ data: { ...(id ? { id } : {}), tipId, mime, dataCipher }, select: { id: true } });
    return row.id;
  }

  /** The photos of a tip (ids and types only). */
  async attachments(tipId: string): Promise<{ id: string; mime: string; createdAt: Date }[]> {
    return this.db.tipAttachment.findMany({ where: { tipId }, orderBy: { createdAt: 'asc' }, select: { id: true, mime: true, createdAt: true } });
  }

  /** One encrypted photo of a tip, or null. */
  async attachment(tipId: string, id: string): Promise<{ id: string; mime: string; dataCipher: string } | null> {
    return this.db.tipAttachment.findFirst({ where: { id, tipId }, select: { id: true, mime: true, dataCipher: true } });
  }

  /**
   * Takes one PIN attempt before the PIN is checked, atomically: parallel guesses cannot all slip past the lock.
   * The `max`-th attempt locks the tip until `lockUntil` (a correct PIN then clears it). Returns whether this
   * attempt may be checked, and whether it was the last one before the lock.
   */
  async claimPinAttempt(id: string, max: number, lockUntil: Date, now: Date): Promise<{ allowed: boolean; last: boolean }> {
    const rows = await this.db.$queryRaw<{ locked: boolean }[]>`
      UPDATE "Tip"
      SET "pinFailures" = CASE WHEN "pinFailures" + 1 >= ${max} THEN 0 ELSE "pinFailures" + 1 END,
          "lockedUntil" = CASE WHEN "pinFailures" + 1 >= ${max} THEN ${lockUntil} ELSE "lockedUntil" END
      WHERE "id" = ${id} AND ("lockedUntil" IS NULL OR "lockedUntil" <= ${now})
      RETURNING ("lockedUntil" IS NOT NULL AND "lockedUntil" > ${now}) AS "locked"`;
    return rows[0] ? { allowed: true, last: rows[0].locked } : { allowed: false, last: false };
  }

  /** Clears the wrong-PIN counter after a right PIN. */
  async resetPinFailures(id: string): Promise<void> {
    await this.db.tip.updateMany({ where: { id, OR: [{ pinFailures: { gt: 0 } }, { lockedUntil: { not: null } }] }, data: { pinFailures: 0, lockedUntil: null } });
  }

  /** Tips for a handler's inbox, urgent and unacknowledged first, then newest. */
  async list(filter: { status?: string; limit: number }): Promise<TipListRow[]> {
    return this.db.tip.findMany({
      where: filter.status ? { status: filter.status } : {},
      orderBy: [{ urgent: 'desc' }, { acknowledgedAt: { sort: 'asc', nulls: 'first' } }, { createdAt: 'desc' }],
      take: filter.limit,
      select: LIST_SELECT,
    });
  }

  /** Changes status (and outcome); closing stamps `closedAt` and deletes the sealed reply handle. */
  async setStatus(id: string, status: string, outcome: string | null, now: Date): Promise<void> {
    const closing = status === 'closed';
    await this.db.tip.update({
      where: { id },
      data: { status, outcome, closedAt: closing ? now : null, ...(closing ? { replyHandleCipher: null } : {}) },
    });
  }

  /** Marks an urgent tip acknowledged by a handler (once). */
  async acknowledge(id: string, now: Date): Promise<void> {
    await this.db.tip.updateMany({ where: { id, acknowledgedAt: null }, data: { acknowledgedAt: now } });
  }

  /** How many urgent tips no handler has acknowledged yet. */
  async countUnacknowledgedUrgent(): Promise<number> {
    return this.db.tip.count({ where: { urgent: true, acknowledgedAt: null, status: { not: 'closed' } } });
  }

  /** Deletes closed tips (with their threads and photos) closed before `before`; returns how many. */
  async deleteClosedBefore(before: Date): Promise<number> {
    const r = await this.db.tip.deleteMany({ where: { status: 'closed', closedAt: { lt: before } } });
    return r.count;
  }

  /** Deletes every sealed handle left on a closed tip (belt and braces: closing already does). */
  async wipeClosedHandles(): Promise<number> {
    const r = await this.db.tip.updateMany({ where: { status: 'closed', replyHandleCipher: { not: null } }, data: { replyHandleCipher: null } });
    return r.count;
  }

  /** Deletes tip drafts of conversations that expired (drafts live only in conversation state). */
  async deleteExpiredDrafts(flowIds: string[], now: Date): Promise<number> {
    const r = await this.db.conversation.deleteMany({ where: { flowId: { in: flowIds }, expiresAt: { lte: now } } });
    return r.count;
  }

  /** The contact id of a platform identity (for the reply window of a sealed-handle reply), or null. */
  async contactIdOf(channel: string, accountId: string, userId: string): Promise<string | null> {
    const c = await this.db.contact.findUnique({ where: { channel_accountId_userId: { channel, accountId, userId } }, select: { id: true } });
    return c?.id ?? null;
  }

  /** A console account that may handle tips (role `tip_handler` or `admin`), for login; null otherwise. */
  async handlerAccount(email: string): Promise<{ id: string; role: string; passwordHash: string } | null> {
    const u = await this.db.staffUser.findUnique({ where: { email }, select: { id: true, role: true, passwordHash: true } });
    return u && (u.role === 'tip_handler' || u.role === 'admin') ? u : null;
  }

  /** Takes one submission slot for `key` in the window if that keeps it at or under `limit`. */
  async takeSubmission(key: string, windowStart: Date, limit: number): Promise<boolean> {
    // One statement, atomic for every replica (like RateWindowRepo.take).
    const rows = await this.db.$queryRaw<{ count: number }[]>`
      INSERT INTO "SubmissionWindow" ("key", "windowStart", "count") VALUES (${key}, ${windowStart}, 1)
      ON CONFLICT ("key", "windowStart") DO UPDATE SET "count" = "SubmissionWindow"."count" + 1
      WHERE "SubmissionWindow"."count" + 1 <= ${limit}
      RETURNING "count"`;
    return rows.length === 1;
  }

  /** Deletes submission counters of windows that started before `before`. */
  async pruneSubmissionWindows(before: Date): Promise<number> {
    return this.db.$executeRaw`DELETE FROM "SubmissionWindow" WHERE "windowStart" < ${before}`;
  }
}
