import { TIP_STATUSES, type TipStatus } from '../../content/tip-categories.js';
import type { Repos } from '../../store/repos.js';
import type { StaffScope } from '../staff/staff-scope.js';
import { tipAccess, tipFilter } from './scope-filters.js';

/** Tips of one status: how many, how many urgent, and how many urgent ones nobody acknowledged. */
export interface TipStatusCount {
  status: TipStatus;
  total: number;
  urgent: number;
  urgentUnacknowledged: number;
}

/** An urgent tip waiting for a handler: code, category and school, never its text or anything about the tipster. */
export interface WaitingTip {
  code: string;
  category: string;
  schoolName: string | null;
  /** When it came in, to the hour (tips are stored no finer). */
  since: Date;
}

/** The dashboard's tip figures. */
export interface TipFigures {
  /** Every status in order, zero when there is none. */
  byStatus: TipStatusCount[];
  total: number;
  /** Open urgent tips nobody acknowledged: they stay on top until someone does. */
  urgentWaiting: number;
  /** Their codes, oldest first (at most 20), for a handler or an admin; empty for a school admin (counts only). */
  waiting: WaitingTip[];
}

/** `not_allowed`: a teacher (tips belong to no class); `not_visible`: a school outside the scope. */
export type TipFiguresResult = ({ ok: true } & TipFigures) | { ok: false; reason: 'not_allowed' | 'not_visible' };

const WAITING_LIMIT = 20;

/**
 * Tips by status and urgency within the scope (a handler's schools, an admin's office with the tips that name no
 * school, a school admin's school), urgent unacknowledged ones first with their codes. Counts and codes only.
 * Two GROUP BY / index statements.
 */
export async function tipFigures(repos: Repos, scope: StaffScope, opts: { schoolId?: string } = {}): Promise<TipFiguresResult> {
  const access = tipAccess(scope);
  if (access === 'none') return { ok: false, reason: 'not_allowed' };
  const filter = tipFilter(scope, opts.schoolId);
  if (filter === 'not_visible') return { ok: false, reason: 'not_visible' };
  const [counts, waiting] = await Promise.all([
    repos.dashboard.tipCounts(filter),
    access === 'codes' ? repos.dashboard.urgentWaiting(filter, WAITING_LIMIT) : Promise.resolve([]),
  ]);
  const byStatus = TIP_STATUSES.map((status): TipStatusCount => {
    const rows = counts.filter((c) => c.status === status);
    const urgent = rows.filter((r) => r.urgent);
    return {
      status,
      total: rows.reduce((n, r) => n + r.n, 0),
      urgent: urgent.reduce((n, r) => n + r.n, 0),
      urgentUnacknowledged: status === 'closed' ? 0 : urgent.reduce((n, r) => n + r.unacknowledged, 0),
    };
  });
  return {
    ok: true,
    byStatus,
    total: byStatus.reduce((n, s) => n + s.total, 0),
    urgentWaiting: byStatus.reduce((n, s) => n + s.urgentUnacknowledged, 0),
    waiting: waiting.map((w) => ({ code: w.publicCode, category: w.category, schoolName: w.schoolName, since: w.createdAt })),
  };
}
