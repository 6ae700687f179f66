import type { Repos } from '../../store/repos.js';
import type { AuditAction } from './audit-actions.js';

/** Values a detail may hold: ids, codes, counts and flags. Never names, message text, addresses or contact ids. */
export type AuditDetail = Record<string, string | number | boolean | null>;

/** One thing a staff member did, as the caller describes it. */
export interface AuditEntry {
  /** The account that acted; null only for a failed sign-in of an unknown address. */
  staffId: string | null;
  action: AuditAction;
  /** What it was done to, e.g. `tip` + the tip's id, `staff` + an account id. */
  targetType?: string;
  targetId?: string;
  /** The school the target belongs to, so that school's office admins read the entry. */
  schoolId?: string | null;
  /** The office, when the target has no school (office-level accounts); derived from `schoolId` when omitted. */
  officeId?: string | null;
  detail?: AuditDetail;
  at: Date;
}

// Strings in a detail are ids and codes: long ones are cut so free text cannot hide there by accident.
const MAX_DETAIL_STRING = 80;

/**
 * Appends an entry to the audit log. Call it in the same transaction as the change it records (pass that
 * transaction's `repos`), so a change is never without its entry. The office is filled in from the school.
 */
export async function recordAudit(repos: Pick<Repos, 'audit'>, entry: AuditEntry): Promise<void> {
  const schoolId = entry.schoolId ?? null;
  const officeId = entry.officeId ?? (schoolId ? await repos.audit.officeOfSchool(schoolId) : null);
  const detail = entry.detail
    ? Object.fromEntries(Object.entries(entry.detail).map(([k, v]) => [k, typeof v === 'string' ? v.slice(0, MAX_DETAIL_STRING) : v]))
    : null;
  await repos.audit.insert({
    at: entry.at,
    staffId: entry.staffId,
    action: entry.action,
    targetType: entry.targetType ?? null,
    targetId: entry.targetId ?? null,
    schoolId,
    officeId,
    detail,
  });
}
