import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportFigures } from '../../../src/services/reports/report-figures.js';
import { createReadOnlyRepos, createRepos, type Repos } from '../../../src/store/repos.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.js';
import { buildWorld, NOW, scopeOf, type World } from '../dashboard/world.js';

let db: TestDatabase;
let repos: Repos;
let w: World;

beforeAll(async () => {
  db = await createTestDatabase();
  repos = createRepos(db.prisma);
  w = await buildWorld(db.prisma);
});
afterAll(async () => {
  await db?.drop();
});

const Q4 = { kind: 'quarter', year: 2026, quarter: 4 } as const;
const schoolA = () => ({ kind: 'school' as const, schoolId: w.a.id });

describe('the periodic report of a school', () => {
  it('counts the pupils with pledges per class and side: signed, withdrawn and valid at the end, any campaign', async () => {
    const out = await reportFigures(repos, w.scopes.schoolA, { unit: schoolA(), period: Q4 }, NOW);
    if (!out.ok) throw new Error(out.reason);
    const r = out.report;
    expect(r.unit).toEqual({ kind: 'school', id: w.a.id, name: w.a.name, parentName: 'Phòng GD&ĐT (kiểm thử)', schoolCount: 1 });
    expect(r.period).toMatchObject({ label: 'Quý IV năm 2026', span: 'từ ngày 01/10/2026 đến ngày 31/12/2026', from: new Date('2026-09-30T17:00:00Z'), to: new Date('2026-12-31T17:00:00Z') });
    expect(r.pledges?.level).toBe('class');
    // 6A1 parents: An, Huy, one not on the roster, Hà (withdrawn since) and Ngọc (the older campaign).
    expect(r.pledges?.rows).toEqual([
      { id: w.a1, name: '6A1', rosterSize: 4, parent: { signed: 5, withdrawn: 1, valid: 4 }, student: { signed: 1, withdrawn: 0, valid: 1, confirmed: 1 } },
      { id: w.a2, name: '6A2', rosterSize: 2, parent: { signed: 0, withdrawn: 0, valid: 0 }, student: { signed: 1, withdrawn: 0, valid: 1, confirmed: 0 } },
    ]);
    expect(r.pledges?.total).toEqual({ rosterSize: 6, parent: { signed: 5, withdrawn: 1, valid: 4 }, student: { signed: 2, withdrawn: 0, valid: 2, confirmed: 1 } });
  });

  it('counts what was sent to the school’s people and class groups, by kind', async () => {
    const out = await reportFigures(repos, w.scopes.schoolA, { unit: schoolA(), period: Q4 }, NOW);
    const reach = out.ok ? out.report.reach : null;
    expect(reach?.byKind).toEqual([
      { kind: 'broadcast', sent: 3, delivered: 1, seen: 1, people: 2, groups: 1 },
      { kind: 'reminder', sent: 0, delivered: 0, seen: 0, people: 0, groups: 0 },
      { kind: 'reply', sent: 0, delivered: 0, seen: 0, people: 0, groups: 0 },
    ]);
    expect(reach?.total).toEqual({ sent: 3, delivered: 1, seen: 1, people: 2, groups: 1 });
  });

  it('adds up the quizzes of the period per topic, each person once in the total', async () => {
    const out = await reportFigures(repos, w.scopes.schoolA, { unit: schoolA(), period: Q4 }, NOW);
    expect(out.ok && out.report.quizzes).toEqual({
      byTopic: [
        { topic: 'drugs', attempts: 1, participants: 1, averageScore: 5, averageQuestions: 5, correctPercent: 100 },
        { topic: 'traffic-safety', attempts: 2, participants: 2, averageScore: 3.5, averageQuestions: 5, correctPercent: 70 },
      ],
      total: { attempts: 3, participants: 2, averageScore: 4, averageQuestions: 5, correctPercent: 80 },
    });
  });

  it('counts tips by category and outcome, nothing else of them', async () => {
    const out = await reportFigures(repos, w.scopes.schoolA, { unit: schoolA(), period: Q4 }, NOW);
    const tips = out.ok ? out.report.tips : null;
    expect(tips).toMatchObject({ received: 5, urgent: 3, closed: 1, openAtEnd: 4, withoutSchool: null });
    expect(tips?.byCategory.filter((c) => c.received > 0)).toEqual([
      { category: 'drugs', received: 1, urgent: 1 },
      { category: 'school_violence', received: 1, urgent: 1 },
      { category: 'theft', received: 1, urgent: 0 },
      { category: 'weapons', received: 1, urgent: 1 },
      { category: 'other', received: 1, urgent: 0 },
    ]);
    expect(tips?.byCategory).toHaveLength(8);
    expect(tips?.byOutcome).toEqual([
      { outcome: 'resolved', closed: 0 }, { outcome: 'referred', closed: 0 }, { outcome: 'no_action', closed: 0 }, { outcome: 'duplicate', closed: 0 }, { outcome: 'spam', closed: 1 },
    ]);
    expect(JSON.stringify(out)).not.toMatch(/secret|TB-/);
  });

  it('counts the broadcasts due in the period that reached the school, and their reach within it', async () => {
    const q4 = await reportFigures(repos, w.scopes.schoolA, { unit: schoolA(), period: Q4 }, NOW);
    expect(q4.ok && q4.report.broadcasts).toEqual({ due: 1, sent: 1, cancelled: 0, rejected: 0, waiting: 0, recipients: 6, recipientsSent: 3, delivered: 1, seen: 1, people: 2 });
    // The broadcast of 28/09 belongs to the third quarter; nothing of it was sent.
    const q3 = await reportFigures(repos, w.scopes.schoolA, { unit: schoolA(), period: { kind: 'quarter', year: 2026, quarter: 3 } }, NOW);
    expect(q3.ok && q3.report.broadcasts).toMatchObject({ due: 1, sent: 1, recipients: 6, recipientsSent: 0 });
    expect(q3.ok && q3.report.quizzes?.total).toMatchObject({ attempts: 1, participants: 1 });
    expect(q3.ok && q3.report.tips?.received).toBe(0);
  });

  it('only reads', async () => {
    let wrote = false;
    const out = await reportFigures(createReadOnlyRepos(db.prisma, () => (wrote = true)), w.scopes.schoolA, { unit: schoolA(), period: Q4 }, NOW);
    expect(out.ok).toBe(true);
    expect(wrote).toBe(false);
  });
});

describe('the periodic report of an office', () => {
  it('has one pledge row per school of the office and counts the tips naming no school apart', async () => {
    const out = await reportFigures(repos, w.scopes.office, { unit: { kind: 'office', officeId: w.o1 }, period: { kind: 'year', year: 2026 } }, NOW);
    if (!out.ok) throw new Error(out.reason);
    expect(out.report.unit).toMatchObject({ kind: 'office', id: w.o1, parentName: null, schoolCount: 2 });
    expect(out.report.pledges?.level).toBe('school');
    expect(out.report.pledges?.rows.map((r) => [r.id, r.rosterSize, r.parent.valid, r.student.valid]).sort()).toEqual([[w.a.id, 6, 4, 2], [w.b.id, 3, 1, 1]].sort());
    expect(out.report.tips).toMatchObject({ received: 8, withoutSchool: 1 });
    expect(out.report.broadcasts).toMatchObject({ due: 3, recipientsSent: 4 });
    expect(out.report.quizzes?.total).toMatchObject({ attempts: 5, participants: 3 });
  });
});

describe('who gets which report', () => {
  it('gives a tip handler the tips section alone', async () => {
    const out = await reportFigures(repos, w.scopes.handlerA, { unit: schoolA(), period: Q4 }, NOW);
    expect(out.ok && [out.report.pledges, out.report.reach, out.report.quizzes, out.report.broadcasts]).toEqual([null, null, null, null]);
    expect(out.ok && out.report.tips?.received).toBe(5);
  });

  it('refuses a teacher, another school, another office, and a school admin asking for the office', async () => {
    expect(await reportFigures(repos, w.scopes.teacherA1, { unit: schoolA(), period: Q4 }, NOW)).toEqual({ ok: false, reason: 'not_allowed' });
    expect(await reportFigures(repos, w.scopes.schoolA, { unit: { kind: 'school', schoolId: w.b.id }, period: Q4 }, NOW)).toEqual({ ok: false, reason: 'not_visible' });
    expect(await reportFigures(repos, w.scopes.office, { unit: { kind: 'office', officeId: w.o2 }, period: Q4 }, NOW)).toEqual({ ok: false, reason: 'not_visible' });
    expect(await reportFigures(repos, w.scopes.schoolA, { unit: { kind: 'office', officeId: w.o1 }, period: Q4 }, NOW)).toEqual({ ok: false, reason: 'not_visible' });
    const unknown = await reportFigures(repos, scopeOf('admin', { schoolIds: 'all' }), { unit: { kind: 'school', schoolId: 'no-such-school' }, period: Q4 }, NOW);
    expect(unknown).toEqual({ ok: false, reason: 'not_visible' });
  });

  it('gives an office-level handler the office’s tips, and a handler of one school no office report', async () => {
    const office = await reportFigures(repos, w.scopes.officeHandler, { unit: { kind: 'office', officeId: w.o1 }, period: Q4 }, NOW);
    expect(office.ok && [office.report.tips?.received, office.report.tips?.withoutSchool, office.report.pledges]).toEqual([8, 1, null]);
    const oneSchool = scopeOf('tip_handler', { officeId: w.o1, schoolIds: [w.a.id] });
    expect(await reportFigures(repos, oneSchool, { unit: { kind: 'office', officeId: w.o1 }, period: Q4 }, NOW)).toEqual({ ok: false, reason: 'not_visible' });
  });

  it('answers a bad period with a Vietnamese sentence', async () => {
    expect(await reportFigures(repos, w.scopes.schoolA, { unit: schoolA(), period: { kind: 'quarter', year: 2026, quarter: 5 } }, NOW)).toEqual({ ok: false, reason: 'invalid_period', message: 'Quý phải là 1, 2, 3 hoặc 4.' });
  });
});
