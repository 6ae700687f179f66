import type { PledgeClassRow, PledgeReportRow, PledgeRosterRow } from '../../store/pledge-report.repo.js';
import type { Repos } from '../../store/repos.js';
import { reachesClass } from '../classes/class-access.js';
import { seesClassNames, type StaffScope } from '../staff/staff-scope.js';
import { byGivenName } from './pledge-progress.js';
import type { ClassPledgeStatus, PledgeClass, PledgeSideStatus, PupilPledgeStatus } from './pledge-report-types.js';

/** The class page's answer: the status, or not found (no such class, or one outside the account's scope). */
export type ClassPledgeStatusResult = { ok: true; status: ClassPledgeStatus } | { ok: false; reason: 'not_found' };

/**
 * Who in a class has and has not pledged in the active campaign, per side, with withdrawals and parents'
 * confirmations of student pledges. Only for a class the account reaches (a teacher: their own); pupils' names only
 * where `seesClassNames` allows, else the counts alone (DESIGN.md §4).
 */
export async function classPledgeStatus(repos: Repos, scope: StaffScope, classId: string): Promise<ClassPledgeStatusResult> {
  const cls = await repos.pledgeReports.classById(classId);
  if (!cls || !reachesClass(scope, cls)) return { ok: false, reason: 'not_found' };
  const campaign = await repos.pledges.activeCampaign();
  const names = seesClassNames(scope, cls.schoolId, cls.id);
  const counts = (await repos.pledgeReports.countsByClass([cls.id], campaign?.id ?? null)).get(cls.id)!;
  let pupils: PupilPledgeStatus[] | null = null;
  if (names) {
    const [roster, pledges] = await Promise.all([repos.pledgeReports.rosters([cls.id]), campaign ? repos.pledgeReports.pledges([cls.id], campaign.id) : Promise.resolve([])]);
    pupils = pupilStatuses(roster, pledges);
  }
  return { ok: true, status: { class: pledgeClassOf(cls), campaign, counts, names, pupils } };
}

/** A class row as the pledge pages name it. */
export function pledgeClassOf(cls: PledgeClassRow): PledgeClass {
  return { id: cls.id, name: cls.name, code: cls.code, grade: cls.grade, schoolYear: cls.schoolYear, schoolId: cls.schoolId, schoolName: cls.schoolName };
}

const NONE: PledgeSideStatus = { state: 'none', signedAt: null, withdrawnAt: null };

function side(p: PledgeReportRow | undefined): PledgeSideStatus {
  if (!p) return NONE;
  return p.withdrawnAt ? { state: 'withdrawn', signedAt: p.consentAt, withdrawnAt: p.withdrawnAt } : { state: 'signed', signedAt: p.consentAt, withdrawnAt: null };
}

/**
 * Each roster pupil of one class with their parent and student pledge, in class-list order, then the pledges signed
 * for names not on the roster (or every pledge, when the class has no roster), by name.
 */
export function pupilStatuses(roster: readonly PledgeRosterRow[], pledges: readonly PledgeReportRow[]): PupilPledgeStatus[] {
  const byKey = new Map<string, { name: string; parent?: PledgeReportRow; student?: PledgeReportRow }>();
  for (const p of pledges) {
    const e = byKey.get(p.studentKey) ?? { name: p.studentName };
    if (p.audience === 'parent') e.parent = p;
    else if (p.audience === 'student') e.student = p;
    byKey.set(p.studentKey, e);
  }
  const status = (name: string, onRoster: boolean, e?: { parent?: PledgeReportRow; student?: PledgeReportRow }): PupilPledgeStatus => {
    const student = side(e?.student);
    return { name, onRoster, parent: side(e?.parent), student: { ...student, confirmed: student.state === 'signed' && e?.student?.confirmedAt != null } };
  };
  const onRoster = new Set(roster.map((r) => r.studentKey));
  const listed = [...roster].sort((a, b) => byGivenName(a.studentName, b.studentName)).map((r) => status(r.studentName, true, byKey.get(r.studentKey)));
  const extra = [...byKey.entries()]
    .filter(([key]) => !onRoster.has(key))
    .map(([, e]) => status(e.name, false, e))
    .sort((a, b) => byGivenName(a.name, b.name));
  return [...listed, ...extra];
}
