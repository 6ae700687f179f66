import type { AuditListRow, AuditReach } from '../../store/audit.repo.js';
import type { Repos } from '../../store/repos.js';
import type { StaffScope } from '../staff/staff-scope.js';
import { isAuditAction, type AuditAction } from './audit-actions.js';

/** One page of the audit log. `nextBefore` continues with older entries; null on the last page. */
export interface AuditPage {
  entries: AuditListRow[];
  nextBefore: number | null;
}

/** The outcome: a page, or a refusal for accounts that may not read the log. */
export type ListAuditResult = { ok: true; page: AuditPage } | { ok: false; reason: 'forbidden' };

/** A filter and position in the log. */
export interface AuditQuery {
  limit?: number;
  before?: number;
  action?: AuditAction | string;
}

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 200;

/**
 * Reads the audit log, newest first. Only admins read it: an office admin the entries of its schools and office, a
 * system admin (no office) every entry. An unknown action filter matches nothing rather than everything.
 */
export async function listAudit(repos: Pick<Repos, 'audit'>, scope: StaffScope, query: AuditQuery = {}): Promise<ListAuditResult> {
  if (scope.role !== 'admin') return { ok: false, reason: 'forbidden' };
  const reach: AuditReach =
    scope.schoolIds === 'all' ? { kind: 'all' } : { kind: 'office', officeId: scope.officeId ?? '', schoolIds: scope.schoolIds };
  if (query.action !== undefined && !isAuditAction(query.action)) return { ok: true, page: { entries: [], nextBefore: null } };
  const limit = Math.min(MAX_LIMIT, Math.max(1, query.limit ?? DEFAULT_LIMIT));
  const rows = await repos.audit.list(reach, { limit: limit + 1, ...(query.before !== undefined ? { beforeId: query.before } : {}), ...(query.action ? { action: query.action } : {}) });
  const entries = rows.slice(0, limit);
  return { ok: true, page: { entries, nextBefore: rows.length > limit ? entries[entries.length - 1]!.id : null } };
}
