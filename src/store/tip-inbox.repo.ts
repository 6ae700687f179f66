import type { Db } from './database.js';
import type { Prisma } from './generated/client.js';
import { scopeWhere, type TipListRow, type TipScope } from './tip.repo.js';

/** What the console's inbox filters by; every filter is optional. `schoolId: null` means tips that name no school. */
export interface TipInboxQuery {
  statuses?: readonly string[];
  urgent?: boolean;
  category?: string;
  schoolId?: string | null;
}

/** A tip in the console's inbox: the list row (no text) and the name of its school. */
export interface TipInboxRow extends TipListRow {
  schoolName: string | null;
}

/** Where a page of older tips starts: after this tip of the (createdAt desc, id desc) order. */
export interface TipInboxCursor {
  createdAt: Date;
  id: string;
}

/** What triage changes on a tip (each field already checked by the service). */
export interface TipTriageFields {
  category: string;
  urgent: boolean;
  status: string;
  schoolId: string | null;
}

/** The `TipMessage.author` of handlers' internal notes (never shown to the tipster). */
export const TIP_NOTE_AUTHOR = 'note';

const ROW = {
  id: true, publicCode: true, category: true, urgent: true, status: true, outcome: true, schoolId: true,
  acknowledgedAt: true, createdAt: true, closedAt: true,
} as const;

/**
 * The console's view of tips: filtered lists within a handler's scope (never any text), the schools a scope may
 * route a tip to, and triage writes. Tips still hold only ciphertexts; nothing here reads them.
 */
export class TipInboxRepo {
  constructor(private readonly db: Db) {}

  /** Urgent tips nobody acknowledged yet and not closed, matching the filters, newest first (they head the inbox). */
  async waitingUrgent(scope: TipScope, q: TipInboxQuery, limit: number): Promise<TipInboxRow[]> {
    const rows = await this.db.tip.findMany({
      where: { AND: [scopeWhere(scope), filterWhere(q), { urgent: true, acknowledgedAt: null, status: { not: 'closed' } }] },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: limit,
      select: ROW,
    });
    return this.withSchoolNames(rows);
  }

  /** Every other tip matching the filters (not one of `waitingUrgent`), newest first, after `before` when given. */
  async others(scope: TipScope, q: TipInboxQuery, opts: { limit: number; before?: TipInboxCursor }): Promise<TipInboxRow[]> {
    const notWaiting: Prisma.TipWhereInput = { OR: [{ urgent: false }, { acknowledgedAt: { not: null } }, { status: 'closed' }] };
    const after: Prisma.TipWhereInput = opts.before
      ? { OR: [{ createdAt: { lt: opts.before.createdAt } }, { createdAt: opts.before.createdAt, id: { lt: opts.before.id } }] }
      : {};
    const rows = await this.db.tip.findMany({
      where: { AND: [scopeWhere(scope), filterWhere(q), notWaiting, after] },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: opts.limit,
      select: ROW,
    });
    return this.withSchoolNames(rows);
  }

  /** The schools a scope may route a tip to, by name: every school (all), the office's, or the one school. */
  async schoolsOf(scope: TipScope): Promise<{ id: string; name: string }[]> {
    if (scope.kind === 'none') return [];
    const where: Prisma.SchoolWhereInput =
      scope.kind === 'all' ? {} : scope.kind === 'office' ? { id: { in: scope.schoolIds } } : { id: scope.schoolId };
    return this.db.school.findMany({ where, orderBy: { name: 'asc' }, select: { id: true, name: true } });
  }

  /** The name of a school, or null. */
  async schoolName(id: string): Promise<string | null> {
    return (await this.db.school.findUnique({ where: { id }, select: { name: true } }))?.name ?? null;
  }

  /** Writes a triage decision on a tip that is not closed; false when it is closed (or gone) by now. */
  async triage(id: string, fields: TipTriageFields): Promise<boolean> {
    const r = await this.db.tip.updateMany({ where: { id, status: { not: 'closed' } }, data: fields });
    return r.count === 1;
  }

  /**
   * Adds an encrypted internal note to a tip at `hour` (truncated by the caller). Notes are thread rows of their own
   * author, `note`: the tipster's look-up reads only `handler` rows, so a note never reaches them.
   */
  async addNote(tipId: string, bodyCipher: string, hour: Date): Promise<void> {
    const last = await this.db.tipMessage.aggregate({ where: { tipId }, _max: { seq: true } });
    await this.db.tipMessage.create({ data: { tipId, author: TIP_NOTE_AUTHOR, bodyCipher, createdAt: hour, seq: (last._max.seq ?? 0) + 1 } });
  }

  /** The internal notes of a tip, oldest first (still encrypted). */
  async notes(tipId: string): Promise<{ id: string; bodyCipher: string; createdAt: Date }[]> {
    return this.db.tipMessage.findMany({
      where: { tipId, author: TIP_NOTE_AUTHOR },
      orderBy: [{ createdAt: 'asc' }, { seq: 'asc' }],
      select: { id: true, bodyCipher: true, createdAt: true },
    });
  }

  /** The names of staff accounts by id (notes name their author). */
  async staffNames(ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db.staffUser.findMany({ where: { id: { in: [...ids] } }, select: { id: true, name: true } });
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  private async withSchoolNames(rows: TipListRow[]): Promise<TipInboxRow[]> {
    const ids = [...new Set(rows.map((r) => r.schoolId).filter((x): x is string => x !== null))];
    const schools = ids.length ? await this.db.school.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } }) : [];
    const names = new Map(schools.map((s) => [s.id, s.name]));
    return rows.map((r) => ({ ...r, schoolName: r.schoolId ? (names.get(r.schoolId) ?? null) : null }));
  }
}

function filterWhere(q: TipInboxQuery): Prisma.TipWhereInput {
  return {
    ...(q.statuses ? { status: { in: [...q.statuses] } } : {}),
    ...(q.urgent !== undefined ? { urgent: q.urgent } : {}),
    ...(q.category ? { category: q.category } : {}),
    ...(q.schoolId !== undefined ? { schoolId: q.schoolId } : {}),
  };
}
