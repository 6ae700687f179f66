import type { Repos } from '../../store/repos.js';
import { reachesClass } from '../classes/class-access.js';
import { managesSchool } from '../schools/school-access.js';
import { seesClassNames, type StaffScope } from '../staff/staff-scope.js';
import { pledgeClassOf, pupilStatuses } from './class-pledge-status.js';
import type { PledgeCampaign, PledgeClass, PledgeCounts, PupilPledgeStatus } from './pledge-report-types.js';

/** One class in an export: its figures, and its pupils when the account may read their names (else null). */
export interface PledgeExportClass {
  class: PledgeClass;
  counts: PledgeCounts;
  pupils: PupilPledgeStatus[] | null;
}

/** What an export holds: a class or a whole school, in the active campaign. */
export interface PledgeExportData {
  target: { kind: 'class' | 'school'; id: string; code: string; name: string; schoolId: string; schoolName: string };
  campaign: PledgeCampaign | null;
  classes: PledgeExportClass[];
}

/** The export's data, or not found (missing, or outside the account's scope). */
export type PledgeExportDataResult = { ok: true; data: PledgeExportData } | { ok: false; reason: 'not_found' };

/** The pledges of one class the account reaches (names only where `seesClassNames` allows). */
export async function pledgeExportOfClass(repos: Repos, scope: StaffScope, classId: string): Promise<PledgeExportDataResult> {
  const cls = await repos.pledgeReports.classById(classId);
  if (!cls || !reachesClass(scope, cls)) return { ok: false, reason: 'not_found' };
  const campaign = await repos.pledges.activeCampaign();
  const classes = await exportClasses(repos, scope, [pledgeClassOf(cls)], campaign);
  return { ok: true, data: { target: { kind: 'class', id: cls.id, code: cls.code, name: cls.name, schoolId: cls.schoolId, schoolName: cls.schoolName }, campaign, classes } };
}

/** The pledges of every class of a school: for admins and that school's admin only. */
export async function pledgeExportOfSchool(repos: Repos, scope: StaffScope, schoolId: string): Promise<PledgeExportDataResult> {
  const school = await repos.pledgeReports.schoolById(schoolId);
  if (!school || !managesSchool(scope, school)) return { ok: false, reason: 'not_found' };
  const campaign = await repos.pledges.activeCampaign();
  const rows = await repos.pledgeReports.classes({ ids: [school.id] });
  const classes = await exportClasses(repos, scope, rows.map(pledgeClassOf), campaign);
  return { ok: true, data: { target: { kind: 'school', id: school.id, code: school.code, name: school.name, schoolId: school.id, schoolName: school.name }, campaign, classes } };
}

async function exportClasses(repos: Repos, scope: StaffScope, classes: PledgeClass[], campaign: PledgeCampaign | null): Promise<PledgeExportClass[]> {
  const ids = classes.map((c) => c.id);
  const named = classes.filter((c) => seesClassNames(scope, c.schoolId, c.id)).map((c) => c.id);
  const [counts, roster, pledges] = await Promise.all([
    repos.pledgeReports.countsByClass(ids, campaign?.id ?? null),
    repos.pledgeReports.rosters(named),
    campaign ? repos.pledgeReports.pledges(named, campaign.id) : Promise.resolve([]),
  ]);
  const namedSet = new Set(named);
  return classes.map((c) => ({
    class: c,
    counts: counts.get(c.id)!,
    pupils: namedSet.has(c.id) ? pupilStatuses(roster.filter((r) => r.classId === c.id), pledges.filter((p) => p.classId === c.id)) : null,
  }));
}
