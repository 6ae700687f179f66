import { TIP_CATEGORIES, TIP_OUTCOMES } from '../../content/tip-categories.js';
import type { ReachFilter, TipFilter } from '../../store/dashboard.repo.js';
import type { PledgePeriodRow, QuizPeriodRow, ReachPeriodRow, TipPeriodRow } from '../../store/report.repo.js';
import type { Repos } from '../../store/repos.js';
import { tipFilter } from '../dashboard/scope-filters.js';
import { seesSchool, type StaffScope } from '../staff/staff-scope.js';
import { resolveReportPeriod } from './report-period.js';
import type { BroadcastReport, PledgeReport, PledgeUnitFigures, QuizFigures, QuizReport, ReachKind, ReachReport, ReportFigures, ReportUnit, ReportUnitInfo, TipReport } from './report-types.js';

/**
 * `not_allowed`: a teacher (a report is a school's or an office's, not a class's); `not_visible`: a unit outside the
 * scope, or one that does not exist (the two answer alike); `invalid_period`: with a Vietnamese sentence for the form.
 */
export type ReportFiguresResult =
  | { ok: true; report: ReportFigures }
  | { ok: false; reason: 'not_allowed' | 'not_visible' }
  | { ok: false; reason: 'invalid_period'; message: string };

const REACH_KINDS: ReachKind[] = ['broadcast', 'reminder', 'reply'];

/**
 * The periodic report's figures for a school or an office over a period: pledges by side with withdrawals, content
 * reach by kind, quizzes, tips by category and outcome (counts only), broadcasts. Admins and school admins get every
 * section; a tip handler only the tips. One SQL aggregate per section, counted over what the scope reaches.
 */
export async function reportFigures(repos: Repos, scope: StaffScope, req: { unit: ReportUnit; period: unknown }, now: Date): Promise<ReportFiguresResult> {
  if (scope.role === 'teacher') return { ok: false, reason: 'not_allowed' };
  const resolved = resolveReportPeriod(req.period);
  if (!resolved.ok) return resolved;
  const target = await resolveUnit(repos, scope, req.unit);
  if (!target) return { ok: false, reason: 'not_visible' };
  const { from, to } = resolved.range;
  const schools: ReachFilter = { schoolIds: target.schoolIds, classIds: null };
  const tipsOnly = scope.role === 'tip_handler';
  const [pledges, reach, quizzes, tips, broadcasts] = await Promise.all([
    tipsOnly ? null : repos.reports.pledges(schools, from, to, target.info.kind === 'school' ? 'class' : 'school').then((rows) => pledgeReport(rows, target.info.kind)),
    tipsOnly ? null : repos.reports.reach(schools, from, to).then(reachReport),
    tipsOnly ? null : repos.reports.quizzes(schools, from, to).then(quizReport),
    repos.reports.tips(target.tips, from, to).then((rows) => tipReport(rows, target.tips.withoutSchool)),
    tipsOnly ? null : broadcastReport(repos, schools, from, to),
  ]);
  return { ok: true, report: { unit: target.info, period: resolved.range, generatedAt: now, pledges, reach, quizzes, tips, broadcasts } };
}

/** The unit's name and the schools it covers within the scope; null when the scope does not reach it. */
async function resolveUnit(repos: Repos, scope: StaffScope, unit: ReportUnit): Promise<{ info: ReportUnitInfo; schoolIds: string[]; tips: TipFilter } | null> {
  if (unit.kind === 'school') {
    if (!seesSchool(scope, unit.schoolId)) return null;
    const s = await repos.reports.school(unit.schoolId);
    if (!s) return null;
    return { info: { kind: 'school', id: s.id, name: s.name, parentName: s.officeName, schoolCount: 1 }, schoolIds: [s.id], tips: { schoolIds: [s.id], withoutSchool: false } };
  }
  // An office's report is for an admin or an office-level handler of that office (or of the whole system).
  const officeLevel = scope.schoolIds === 'all' || (scope.officeId === unit.officeId && (scope.role === 'admin' || (scope.role === 'tip_handler' && tipFilterOf(scope).withoutSchool)));
  if (!officeLevel) return null;
  const o = await repos.reports.office(unit.officeId);
  if (!o) return null;
  const schoolIds = scope.schoolIds === 'all' ? o.schoolIds : o.schoolIds.filter((id) => seesSchool(scope, id));
  return { info: { kind: 'office', id: o.id, name: o.name, parentName: null, schoolCount: schoolIds.length }, schoolIds, tips: { schoolIds, withoutSchool: true } };
}

function tipFilterOf(scope: StaffScope): TipFilter {
  const f = tipFilter(scope);
  return f === 'not_visible' ? { schoolIds: [], withoutSchool: false } : f;
}

function pledgeReport(rows: PledgePeriodRow[], unitKind: 'school' | 'office'): PledgeReport {
  const figures = rows.map((r): PledgeUnitFigures => ({
    id: r.id,
    name: r.name,
    rosterSize: r.rosterSize,
    parent: { signed: r.parentSigned, withdrawn: r.parentWithdrawn, valid: r.parentValid },
    student: { signed: r.studentSigned, withdrawn: r.studentWithdrawn, valid: r.studentValid, confirmed: r.studentConfirmed },
  }));
  const sum = (pick: (r: PledgeUnitFigures) => number) => figures.reduce((n, r) => n + pick(r), 0);
  return {
    level: unitKind === 'school' ? 'class' : 'school',
    rows: figures,
    total: {
      rosterSize: sum((r) => r.rosterSize),
      parent: { signed: sum((r) => r.parent.signed), withdrawn: sum((r) => r.parent.withdrawn), valid: sum((r) => r.parent.valid) },
      student: { signed: sum((r) => r.student.signed), withdrawn: sum((r) => r.student.withdrawn), valid: sum((r) => r.student.valid), confirmed: sum((r) => r.student.confirmed) },
    },
  };
}

function reachReport(rows: ReachPeriodRow[]): ReachReport {
  const zero = { sent: 0, delivered: 0, seen: 0, people: 0, groups: 0 };
  const strip = ({ kind: _k, ...f }: ReachPeriodRow) => f;
  const total = rows.find((r) => r.kind === null);
  return {
    byKind: REACH_KINDS.map((kind) => {
      const r = rows.find((x) => x.kind === kind);
      return { kind, ...(r ? strip(r) : zero) };
    }),
    total: total ? strip(total) : zero,
  };
}

const oneDecimal = (x: number) => Math.round(x * 10) / 10;

function quizFigures(r: QuizPeriodRow | undefined): QuizFigures {
  if (!r || r.attempts === 0) return { attempts: 0, participants: 0, averageScore: null, averageQuestions: null, correctPercent: null };
  return {
    attempts: r.attempts,
    participants: r.participants,
    averageScore: oneDecimal(r.score / r.attempts),
    averageQuestions: oneDecimal(r.total / r.attempts),
    correctPercent: r.total > 0 ? oneDecimal((100 * r.score) / r.total) : null,
  };
}

function quizReport(rows: QuizPeriodRow[]): QuizReport {
  return {
    byTopic: rows.filter((r) => r.topic !== null).map((r) => ({ topic: r.topic!, ...quizFigures(r) })),
    total: quizFigures(rows.find((r) => r.topic === null)),
  };
}

function tipReport(rows: TipPeriodRow[], office: boolean): TipReport {
  const sum = (pick: (r: TipPeriodRow) => number, where: (r: TipPeriodRow) => boolean = () => true) => rows.filter(where).reduce((n, r) => n + pick(r), 0);
  const known = new Set<string>(TIP_CATEGORIES);
  const knownOutcomes = new Set<string>(TIP_OUTCOMES);
  // Categories or outcomes stored before a list changed still count, after the known ones.
  const categories = [...TIP_CATEGORIES, ...new Set(rows.map((r) => r.category).filter((c) => !known.has(c)))];
  const outcomes = [...TIP_OUTCOMES, ...new Set(rows.map((r) => r.outcome).filter((o): o is string => o !== null && !knownOutcomes.has(o)))];
  return {
    byCategory: categories.map((category) => ({ category, received: sum((r) => r.received, (r) => r.category === category), urgent: sum((r) => r.urgent, (r) => r.category === category) })),
    byOutcome: outcomes.map((outcome) => ({ outcome, closed: sum((r) => r.closed, (r) => r.outcome === outcome) })),
    received: sum((r) => r.received),
    urgent: sum((r) => r.urgent),
    closed: sum((r) => r.closed),
    openAtEnd: sum((r) => r.openAtEnd),
    withoutSchool: office ? sum((r) => r.withoutSchool) : null,
  };
}

async function broadcastReport(repos: Repos, f: ReachFilter, from: Date, to: Date): Promise<BroadcastReport> {
  const [statuses, reach] = await Promise.all([repos.reports.broadcastStatuses(f, from, to), repos.reports.broadcastReach(f, from, to)]);
  const n = (...s: string[]) => statuses.filter((r) => s.includes(r.status)).reduce((t, r) => t + r.n, 0);
  return {
    due: statuses.reduce((t, r) => t + r.n, 0),
    sent: n('expanded', 'expanding'),
    cancelled: n('cancelled'),
    rejected: n('rejected'),
    waiting: n('scheduled', 'pending_approval'),
    recipients: reach.recipients,
    recipientsSent: reach.sent,
    delivered: reach.delivered,
    seen: reach.seen,
    people: reach.people,
  };
}
