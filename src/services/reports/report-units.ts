import type { Repos } from '../../store/repos.js';
import { tipFilter } from '../dashboard/scope-filters.js';
import { schoolFilter } from '../schools/list-schools.js';
import { seesSchool, type StaffScope } from '../staff/staff-scope.js';
import type { ReportUnit } from './report-types.js';

/** A unit the report form offers: an office (every school of it the scope reaches) or one school. */
export interface ReportUnitChoice {
  unit: ReportUnit;
  name: string;
  /** The office a school belongs to (its name), to group the choices; null for an office. */
  officeName: string | null;
}

/**
 * The units a scope may report on, offices first, then schools by name: an admin of an office that office and its
 * schools (a system admin every office and school), a school admin their school, an office-level tip handler their
 * office and its schools, a school's handler that school; a teacher none. The same reach `reportFigures` checks
 * (src/services/reports/report-figures.ts, `resolveUnit`), which stays the judge: this only fills the form.
 */
export async function reportUnits(repos: Repos, scope: StaffScope): Promise<ReportUnitChoice[]> {
  if (scope.role === 'teacher') return [];
  const schools = (await repos.schoolAdmin.listSchools(schoolFilter(scope))).filter((s) => seesSchool(scope, s.id));
  const officeIds = scope.schoolIds === 'all' ? [...new Set(schools.map((s) => s.officeId))] : reachesOffice(scope) && scope.officeId ? [scope.officeId] : [];
  const offices = new Map<string, string>();
  const officeNames = await Promise.all([...new Set([...officeIds, ...schools.map((s) => s.officeId)])].map((id) => repos.staff.office(id)));
  for (const o of officeNames) if (o) offices.set(o.id, o.name);
  const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name, 'vi');
  return [
    ...officeIds
      .filter((id) => offices.has(id))
      .map((id): ReportUnitChoice => ({ unit: { kind: 'office', officeId: id }, name: offices.get(id)!, officeName: null }))
      .sort(byName),
    ...schools.map((s): ReportUnitChoice => ({ unit: { kind: 'school', schoolId: s.id }, name: s.name, officeName: offices.get(s.officeId) ?? null })).sort(byName),
  ];
}

// As in report-figures.ts: an office's report is for its admins and its office-level handlers.
function reachesOffice(scope: StaffScope): boolean {
  if (scope.officeId === null) return false;
  if (scope.role === 'admin') return true;
  if (scope.role !== 'tip_handler') return false;
  const f = tipFilter(scope);
  return f !== 'not_visible' && f.withoutSchool;
}
