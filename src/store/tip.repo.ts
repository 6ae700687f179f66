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
  pinLength: number;
  /** Truncated to the hour by the caller. */
  createdAt: Date;
}

/** Which tips a handler may see: all (admin), an office's schools and tips without a school, one school, or none. */
export type TipScope =
  | { kind: 'all' }
  | { kind: 'office'; schoolIds: string[] }
  | { kind: 'school'; schoolId: string }
  | { kind: 'none' };

/** A stored tip as the tip services read it (still encrypted). */
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
  pinLength: number;
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

/** Anonymous tips, their threads and the submission counters. Holds only ciphertexts; the tip services decrypt. */
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

  /** The tip with this id, or null (also when it lies outside `scope`: a handler cannot tell the two apart). */
  async byId(id: string, scope: TipScope = { kind: 'all' }): Promise<TipRow | null> {
    return this.db.tip.findFirst({ where: { id, ...scopeWhere(scope) } });
  }

  /** Replaces the sealed reply handle of an open tip (it carries when the tipster last wrote from that chat). */
  async setReplyHandle(id: string, replyHandleCipher: string): Promise<void> {
    await this.db.tip.updateMany({ where: { id, status: { not: 'closed' }, replyHandleCipher: { not: null } }, data: { replyHandleCipher } });
  }

  /** The thread of a tip, oldest first. */
  async messages(tipId: string): Promise<TipMessageRow[]> {
    return this.db.tipMessage.findMany({
      where: { tipId },
      orderBy: [{ createdAt: 'asc' }, { seq: 'asc' }],
      select: { id: true, author: true, bodyCipher: true, createdAt: true },
    });
  }

  /** Adds an encrypted message to a tip's thread at `hour` (truncated), after the messages already there. */
  async addMessage(tipId: string, author: 'tipster' | 'handler', bodyCipher: string, hour: Date): Promise<void> {
    const last = await this.db.tipMessage.aggregate({ where: { tipId }, _max: { seq: true } });
    await this.db.tipMessage.create({ data: { tipId, author, bodyCipher, createdAt: hour, seq: (last._max.seq ?? 0) + 1 } });
  }

  /** Stores an encrypted photo of a tip, dated `hour` (truncated). */
  async addAttachment(tipId: string, mime: string, dataCipher: string, hour: Date, id?: string): Promise<string> {
    const row = await this.db.tipAttachment.create({ data: { ...(id ? { id } : {}), tipId, mime, dataCipher, createdAt: hour }, select: { id: true } });
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

  /** Tips for a handler's inbox, urgent and unacknowledged first, then newest. */
  async list(filter: { status?: string; limit: number }, scope: TipScope = { kind: 'all' }): Promise<TipListRow[]> {
    return this.db.tip.findMany({
      where: { ...(filter.status ? { status: filter.status } : {}), ...scopeWhere(scope) },
      orderBy: [{ urgent: 'desc' }, { acknowledgedAt: { sort: 'asc', nulls: 'first' } }, { createdAt: 'desc' }],
      take: filter.limit,
      select: LIST_SELECT,
    });
  }

  /** Changes status (and outcome); closing stamps `closedAt` (the hour) and deletes the sealed reply handle. */
  async setStatus(id: string, status: string, outcome: string | null, now: Date): Promise<void> {
    const closing = status === 'closed';
    await this.db.tip.update({
      where: { id },
      data: { status, outcome, closedAt: closing ? now : null, ...(closing ? { replyHandleCipher: null } : {}) },
    });
  }

  /** Marks an urgent tip acknowledged by a handler (once), at `now` truncated to the hour by the caller. */
  async acknowledge(id: string, now: Date): Promise<void> {
    await this.db.tip.updateMany({ where: { id, acknowledgedAt: null }, data: { acknowledgedAt: now } });
  }

  /** How many urgent tips no handler has acknowledged yet. */
  async countUnacknowledgedUrgent(): Promise<number> {
    return this.db.tip.count({ where: { urgent: true, acknowledgedAt: null, status: { not: 'closed' } } });
  }

  /** How many urgent open tips wait for acknowledgement, and the (hour-truncated) arrival of the oldest: for /metrics. */
  async unacknowledgedUrgent(): Promise<{ count: number; oldestAt: Date | null }> {
    const r = await this.db.tip.aggregate({ where: { urgent: true, acknowledgedAt: null, status: { not: 'closed' } }, _count: { _all: true }, _min: { createdAt: true } });
    return { count: r._count._all, oldestAt: r._min.createdAt };
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

/** The filter of a handler's scope. A tip without a school belongs to no office: office-level handlers see it. */
export function scopeWhere(scope: TipScope): { schoolId?: string | { in: string[] } | null; OR?: ({ schoolId: { in: string[] } } | { schoolId: null })[] } {
  switch (scope.kind) {
    case 'all':
      return {};
    case 'school':
      return { schoolId: scope.schoolId };
    case 'office':
      return { OR: [{ schoolId: { in: scope.schoolIds } }, { schoolId: null }] };
    case 'none':
      return { schoolId: { in: [] } };
  }
}
