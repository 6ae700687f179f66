import type { Repos } from '../../store/repos.js';
import { reachesSchool } from '../schools/school-access.js';
import { schoolFilter } from '../schools/list-schools.js';
import type { StaffScope } from '../staff/staff-scope.js';
import { pledgeClassOf } from './class-pledge-status.js';
import type { ClassPledgeSummary, PledgeCampaign, SchoolPledgeSummary } from './pledge-report-types.js';

/**
 * The pledges overview: an account that reaches one school (a school admin, a teacher) gets its classes (a teacher
 * only their own); an admin gets one row per school of their scope, or the classes of the school they picked.
 * Figures only, no names. `not_found`: a picked school outside the scope, exactly like one that does not exist.
 */
export type PledgeOverview =
  | { ok: true; kind: 'schools'; campaign: PledgeCampaign | null; schools: SchoolPledgeSummary[] }
  | { ok: true; kind: 'classes'; campaign: PledgeCampaign | null; school: { id: string; name: string } | null; classes: ClassPledgeSummary[] }
  | { ok: false; reason: 'not_found' | 'forbidden' };

/** Lists the classes (or schools) of the account's scope with parents' and students' pledges against the roster. */
export async function listPledgeOverview(repos: Repos, scope: StaffScope, opts: { schoolId?: string } = {}): Promise<PledgeOverview> {
  if (scope.role === 'tip_handler') return { ok: false, reason: 'forbidden' };
  const campaign = await repos.pledges.activeCampaign();
  if (scope.role === 'admin' && !opts.schoolId) {
    const schools = await repos.pledgeReports.schools(schoolFilter(scope));
    const counts = await repos.pledgeReports.countsBySchool(schools.map((s) => s.id), campaign?.id ?? null);
    return {
      ok: true,
      kind: 'schools',
      campaign,
      schools: schools.map((s) => ({ ...s, counts: counts.get(s.id)! })),
    };
  }
  let school: { id: string; name: string } | null = null;
  if (opts.schoolId) {
    const s = await repos.pledgeReports.schoolById(opts.schoolId);
    if (!s || !reachesSchool(scope, s)) return { ok: false, reason: 'not_found' };
    school = { id: s.id, name: s.name };
  }
  const onlyOwn = scope.role === 'teacher' && scope.classIds !== 'all' ? scope.classIds : undefined;
  const classes = await repos.pledgeReports.classes(schoolFilter(scope), { ...(onlyOwn ? { onlyIds: onlyOwn } : {}), ...(school ? { schoolId: school.id } : {}) });
  const counts = await repos.pledgeReports.countsByClass(classes.map((c) => c.id), campaign?.id ?? null);
  return {
    ok: true,
    kind: 'classes',
    campaign,
    school,
    classes: classes.map((c) => ({ ...pledgeClassOf(c), counts: counts.get(c.id)! })),
  };
}
