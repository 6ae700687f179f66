import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { studentKey } from '../../../src/content/person-name.js';
import { byGivenName, classPledgeProgress, progressClasses } from '../../../src/services/pledges/pledge-progress.js';
import { createReadOnlyRepos, createRepos, type Repos } from '../../../src/store/repos.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.js';
import { BroadcastFixtures } from '../broadcasts/fixtures.js';

let db: TestDatabase;
let fx: BroadcastFixtures;
let repos: Repos;
let school: Awaited<ReturnType<BroadcastFixtures['school']>>;
let campaign: string;
let older: string;
let a1: string;
let a2: string;
let b1: string;
let n = 0;

const ROSTER_A1 = ['Trần Bảo Ngọc', 'Nguyễn Minh An', 'Lê Gia Huy', 'Phạm Thu Hà'];

async function roster(classId: string, names: string[]) {
  await db.prisma.rosterEntry.createMany({ data: names.map((studentName) => ({ classId, studentName, studentKey: studentKey(studentName) })) });
}

async function pledge(classId: string, studentName: string, audience: 'parent' | 'student', opts: { campaignId?: string; withdrawn?: boolean } = {}) {
  n += 1;
  await db.prisma.pledge.create({
    data: {
      campaignId: opts.campaignId ?? campaign, templateId: 't', audience, schoolId: school.id, classId, studentName, studentKey: studentKey(studentName),
      contactId: null, receiptCode: `CK-TEST-${String(n).padStart(4, '0')}`, consentAt: new Date(), withdrawnAt: opts.withdrawn ? new Date() : null,
    },
  });
}

beforeAll(async () => {
  db = await createTestDatabase();
  fx = new BroadcastFixtures(db.prisma);
  repos = createRepos(db.prisma);
  school = await fx.school({ classes: ['6A1', '6A2', '7A1'] });
  [a1, a2, b1] = school.classes.map((c) => c.id) as [string, string, string];
  older = await fx.campaign();
  campaign = await fx.campaign();
  // The newest-started campaign is the active one; make sure of the order whatever the random start times.
  await db.prisma.campaign.update({ where: { id: older }, data: { startsOn: new Date(Date.UTC(2098, 0, 1)) } });
  await roster(a1, ROSTER_A1);
  await roster(a2, ['Hoàng Thị Mơ', 'Đỗ Văn Khoa']);
  await pledge(a1, 'Nguyễn Minh An', 'parent');
  await pledge(a1, 'Nguyễn Minh An', 'student');
  await pledge(a1, 'Lê Gia Huy', 'student');
  // Not counted: withdrawn, of another campaign.
  await pledge(a1, 'Phạm Thu Hà', 'parent', { withdrawn: true });
  await pledge(a1, 'Trần Bảo Ngọc', 'parent', { campaignId: older });
  // Not on the roster: counted only as "signed" where there is no roster.
  await pledge(a1, 'Người Ngoài Danh Sách', 'parent');
  await pledge(b1, 'Bùi Văn Tí', 'parent');
  await pledge(b1, 'Bùi Văn Tèo', 'student');
});
afterAll(async () => {
  await db?.drop();
});

describe('who has not pledged in a class', () => {
  it('counts roster pupils with a valid pledge per side and lists the others by given name', async () => {
    const teacher = await fx.contact({ role: 'teacher', schoolId: school.id, classId: a1 });
    await fx.verify(teacher, school.id, a1);
    const out = await classPledgeProgress(repos, { contactId: teacher, classId: a1 });
    expect(out).toEqual({
      ok: true,
      progress: {
        classId: a1,
        className: '6A1',
        schoolName: school.name,
        campaignTitle: 'Chiến dịch',
        rosterSize: 4,
        parent: { signed: 1, missing: ['Phạm Thu Hà', 'Lê Gia Huy', 'Trần Bảo Ngọc'] },
        student: { signed: 2, missing: ['Phạm Thu Hà', 'Trần Bảo Ngọc'] },
      },
    });
  });

  it('gives a class teacher only their class: another class of the school is not visible', async () => {
    const teacher = await fx.contact({ role: 'teacher', schoolId: school.id, classId: a1 });
    await fx.verify(teacher, school.id, a1);
    expect((await progressClasses(repos, teacher)).map((c) => c.name)).toEqual(['6A1']);
    expect(await classPledgeProgress(repos, { contactId: teacher, classId: a2 })).toEqual({ ok: false, reason: 'not_visible' });
  });

  it('gives a school-wide teacher every class of the school, their own class first', async () => {
    const teacher = await fx.contact({ role: 'teacher', schoolId: school.id, classId: a2 });
    await fx.verify(teacher, school.id, null);
    await fx.verify(teacher, school.id, a2);
    const classes = await progressClasses(repos, teacher);
    expect(classes.map((c) => [c.name, c.own])).toEqual([['6A2', true], ['6A1', false], ['7A1', false]]);
    const out = await classPledgeProgress(repos, { contactId: teacher, classId: a2 });
    expect(out.ok && out.progress.parent).toEqual({ signed: 0, missing: ['Đỗ Văn Khoa', 'Hoàng Thị Mơ'] });
    // A class of the school-wide code that is not their own: counts only, no names.
    expect(await classPledgeProgress(repos, { contactId: teacher, classId: a1 })).toMatchObject({ ok: false, reason: 'counts_only' });
  });

  it('shows nothing to a contact that redeemed no teacher code, whatever its role', async () => {
    const self = await fx.contact({ role: 'teacher', schoolId: school.id, classId: a1 });
    expect(await progressClasses(repos, self)).toEqual([]);
    expect(await classPledgeProgress(repos, { contactId: self, classId: a1 })).toEqual({ ok: false, reason: 'not_visible' });
  });

  it('counts the pledges signed in a class without a roster, and names no one', async () => {
    const teacher = await fx.contact({ role: 'teacher', schoolId: school.id, classId: b1 });
    await fx.verify(teacher, school.id, b1);
    expect(await classPledgeProgress(repos, { contactId: teacher, classId: b1 })).toEqual({
      ok: false, reason: 'no_roster', className: '7A1', schoolName: school.name, campaignTitle: 'Chiến dịch', signed: { parent: 1, student: 1 },
    });
  });

  it('reads without writing (a read-only turn needs no transaction)', async () => {
    const teacher = await fx.contact({ role: 'teacher', schoolId: school.id, classId: a1 });
    await fx.verify(teacher, school.id, a1);
    let wrote = false;
    const ro = createReadOnlyRepos(db.prisma, () => (wrote = true));
    expect((await classPledgeProgress(ro, { contactId: teacher, classId: a1 })).ok).toBe(true);
    expect(wrote).toBe(false);
  });

  it('orders names as Vietnamese class lists do: given name, then the full name', () => {
    expect(['Trần Văn Bình', 'Lê Thị Ánh', 'Nguyễn Văn An', 'Đặng An', 'Phạm Thu Hà', 'Lê Gia Huy'].sort(byGivenName)).toEqual([
      'Đặng An', 'Nguyễn Văn An', 'Lê Thị Ánh', 'Trần Văn Bình', 'Phạm Thu Hà', 'Lê Gia Huy',
    ]);
  });

  it('says so when no campaign is active', async () => {
    const teacher = await fx.contact({ role: 'teacher', schoolId: school.id, classId: a1 });
    await fx.verify(teacher, school.id, a1);
    await db.prisma.campaign.updateMany({ data: { active: false } });
    expect(await classPledgeProgress(repos, { contactId: teacher, classId: a1 })).toEqual({ ok: false, reason: 'no_campaign' });
  });
});
