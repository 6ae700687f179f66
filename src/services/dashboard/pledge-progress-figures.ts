import type { ProgressCountRow } from '../../store/dashboard.repo.js';
import type { Repos } from '../../store/repos.js';
import type { StaffScope } from '../staff/staff-scope.js';
import { figureFilter } from './scope-filters.js';

/** One side (parents or students) of a class's or school's pledges. */
export interface SideProgress {
  /** Valid (not withdrawn) pledges of the active campaign. */
  signed: number;
  /**
   * Of those, the ones whose pupil is on the class roster (what the share against the roster counts). Null per
   * school (an office's view): there the share is `signed` against the roster size.
   */
  onRoster: number | null;
}

/** Pledge progress of one class or school against its roster (counts only: no pupil is named here). */
export interface ProgressRow {
  id: string;
  name: string;
  schoolId: string;
  rosterSize: number;
  parents: SideProgress;
  students: SideProgress;
}

/** Pledge progress per class (one school) or per school (several), with the totals of the rows. */
export interface PledgeProgressFigures {
  campaign: { id: string; title: string };
  /** `class`: the rows are the classes of one school; `school`: the schools of an office (or of the system). */
  level: 'class' | 'school';
  rows: ProgressRow[];
  total: Omit<ProgressRow, 'id' | 'name' | 'schoolId'>;
}

/**
 * `not_allowed`: a tip handler (no pledge or roster figures); `not_visible`: the school asked for is outside the
 * scope; `no_campaign`: no active campaign to count.
 */
export type PledgeProgressFiguresResult = ({ ok: true } & PledgeProgressFigures) | { ok: false; reason: 'not_allowed' | 'not_visible' | 'no_campaign' };

/**
 * Pledge progress in the active campaign, parents and students against the roster, for what the scope reaches: the
 * classes of one school (`schoolId`, or the scope's only school: a teacher sees only their classes), or every school of
 * an office admin's scope. Two statements (the campaign, one GROUP BY over classes, rosters and pledges).
 */
export async function pledgeProgressFigures(repos: Repos, scope: StaffScope, opts: { schoolId?: string } = {}): Promise<PledgeProgressFiguresResult> {
  const single = opts.schoolId ?? (scope.schoolIds !== 'all' && scope.schoolIds.length === 1 ? scope.schoolIds[0] : undefined);
  const filter = figureFilter(scope, single);
  if (filter === null) return { ok: false, reason: 'not_allowed' };
  if (filter === 'not_visible') return { ok: false, reason: 'not_visible' };
  const campaign = await repos.pledges.activeCampaign();
  if (!campaign) return { ok: false, reason: 'no_campaign' };
  const level = single !== undefined ? 'class' : 'school';
  const counts = level === 'class' ? await repos.dashboard.progressByClass(campaign.id, filter) : await repos.dashboard.progressBySchool(campaign.id, filter);
  const rows = counts.map(progressRow);
  return { ok: true, campaign, level, rows, total: totalOf(rows) };
}

function progressRow(r: ProgressCountRow): ProgressRow {
  return {
    id: r.id,
    name: r.name,
    schoolId: r.schoolId,
    rosterSize: r.rosterSize,
    parents: { signed: r.parents, onRoster: r.parentsOnRoster },
    students: { signed: r.students, onRoster: r.studentsOnRoster },
  };
}

function totalOf(rows: ProgressRow[]): PledgeProgressFigures['total'] {
  const side = (pick: (r: ProgressRow) => SideProgress): SideProgress => ({
    signed: rows.reduce((n, r) => n + pick(r).signed, 0),
    onRoster: rows.some((r) => pick(r).onRoster === null) ? null : rows.reduce((n, r) => n + (pick(r).onRoster ?? 0), 0),
  });
  return { rosterSize: rows.reduce((n, r) => n + r.rosterSize, 0), parents: side((r) => r.parents), students: side((r) => r.students) };
}
