import type { Db } from './database.js';
import type { Prisma } from './generated/client.js';

/** One audit entry to store. `detail` holds ids, codes and counts, never personal data. */
export interface AuditRow {
  at: Date;
  staffId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  schoolId: string | null;
  officeId: string | null;
  detail: Record<string, string | number | boolean | null> | null;
}

/** A stored entry with the name of the account that acted (null when unknown or deleted). */
export interface AuditListRow extends AuditRow {
  id: number;
  staffName: string | null;
}

/** Which entries a reader sees: every one, or those of some schools and an office. */
export type AuditReach = { kind: 'all' } | { kind: 'office'; officeId: string; schoolIds: readonly string[] };

/** The audit log (AuditLog): append and read newest first. */
export class AuditRepo {
  constructor(private readonly db: Db) {}

  /** Appends one entry. */
  async insert(row: AuditRow): Promise<void> {
    await this.db.auditLog.create({ data: { ...row, detail: (row.detail ?? undefined) as Prisma.InputJsonValue | undefined } });
  }

  /** The office a school belongs to, or null. */
  async officeOfSchool(schoolId: string): Promise<string | null> {
    return (await this.db.school.findUnique({ where: { id: schoolId }, select: { officeId: true } }))?.officeId ?? null;
  }

  /** Entries within `reach`, newest first, at most `limit`, older than entry `beforeId` when given. */
  async list(reach: AuditReach, opts: { limit: number; beforeId?: number; action?: string }): Promise<AuditListRow[]> {
    const where: Prisma.AuditLogWhereInput = {
      ...(reach.kind === 'office' ? { OR: [{ officeId: reach.officeId }, { schoolId: { in: [...reach.schoolIds] } }] } : {}),
      ...(opts.beforeId !== undefined ? { id: { lt: opts.beforeId } } : {}),
      ...(opts.action ? { action: opts.action } : {}),
    };
    const rows = await this.db.auditLog.findMany({ where, orderBy: { id: 'desc' }, take: opts.limit });
    const ids = [...new Set(rows.map((r) => r.staffId).filter((id): id is string => id !== null))];
    const names = new Map((await this.db.staffUser.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } })).map((s) => [s.id, s.name]));
    return rows.map((r) => ({
      id: r.id,
      at: r.at,
      staffId: r.staffId,
      staffName: r.staffId ? (names.get(r.staffId) ?? null) : null,
      action: r.action,
      targetType: r.targetType,
      targetId: r.targetId,
      schoolId: r.schoolId,
      officeId: r.officeId,
      detail: (r.detail ?? null) as AuditRow['detail'],
    }));
  }
}
