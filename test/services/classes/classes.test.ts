import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classCodeCandidates } from '../../../src/services/classes/class-code.js';
import { createClass } from '../../../src/services/classes/create-class.js';
import { listClasses } from '../../../src/services/classes/list-classes.js';
import { schoolYearOf } from '../../../src/services/classes/school-year.js';
import { updateClass } from '../../../src/services/classes/update-class.js';
import { createRepos, type Repos } from '../../../src/store/repos.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.js';
import { seedScopeWorld, type ScopeWorld } from '../schools/scope-fixtures.js';

let db: TestDatabase;
let w: ScopeWorld;
let repos: Repos;
beforeAll(async () => {
  db = await createTestDatabase();
  w = await seedScopeWorld(db);
  repos = createRepos(db.prisma);
});
afterAll(async () => {
  await db?.drop();
});

const SEPT = new Date('2026-09-15T03:00:00Z');

describe('listing classes', () => {
  it('lists a school’s classes by grade with roster counts; a teacher sees only their own class', async () => {
    await db.prisma.rosterEntry.createMany({ data: [{ classId: w.classes.ntt6a1, studentName: 'Lê Văn Bình', studentKey: 'lê văn bình' }] });
    const all = await listClasses(repos, w.scopes.nttAdmin, w.ntt);
    expect(all.ok && all.classes.map((c) => [c.name, c.rosterCount])).toEqual([['6A1', 1], ['6A2', 0], ['7A1', 0], ['8A1', 0], ['9A1', 0]]);
    const own = await listClasses(repos, w.scopes.teacher6a1, w.ntt);
    expect(own.ok && own.classes.map((c) => c.code)).toEqual(['NTT-6A1']);
  });

  it('answers not_found for a school outside the scope or missing', async () => {
    expect(await listClasses(repos, w.scopes.nttAdmin, w.tp)).toEqual({ ok: false, reason: 'not_found' });
    expect(await listClasses(repos, w.scopes.officeAdmin, w.other)).toEqual({ ok: false, reason: 'not_found' });
    expect(await listClasses(repos, w.scopes.handler, w.ntt)).toEqual({ ok: false, reason: 'not_found' });
    expect(await listClasses(repos, w.scopes.system, 'missing')).toEqual({ ok: false, reason: 'not_found' });
  });
});

describe('creating a class', () => {
  it('creates a class with a code parents can type, in the current school year', async () => {
    const out = await createClass(repos, w.scopes.nttAdmin, w.ntt, { name: ' lớp  6a3 ', grade: '6' as unknown as number }, SEPT);
    expect(out.ok && [out.class.name, out.class.grade, out.class.schoolYear, out.class.code]).toEqual(['6a3', 6, '2026-2027', 'NTT-6A3']);
  });

  it('refuses a name already used in the school that year, whatever its case or spacing', async () => {
    for (const name of ['6A1', '6a1', '6 A1', 'Lớp 6A1']) {
      expect(await createClass(repos, w.scopes.nttAdmin, w.ntt, { name, grade: 6 }, SEPT)).toEqual({ ok: false, reason: 'duplicate', errors: [{ field: 'name', message: `Lớp ${name.replace('Lớp ', '')} đã có ở trường này.` }] });
    }
    // Another school may have its own 6A1.
    const tp = await createClass(repos, w.scopes.tpAdmin, w.tp, { name: '6A1', grade: 6 }, SEPT);
    expect(tp.ok && tp.class.code).toBe('TP-6A1');
  });

  it('gives next year’s 6A1 its own code', async () => {
    const out = await createClass(repos, w.scopes.nttAdmin, w.ntt, { name: '6A1', grade: 6, schoolYear: '2027-2028' }, SEPT);
    expect(out.ok && [out.class.schoolYear, out.class.code]).toEqual(['2027-2028', 'NTT-6A1N27']);
  });

  it('refuses teachers and answers not_found to other schools’ admins', async () => {
    expect(await createClass(repos, w.scopes.teacher6a1, w.ntt, { name: '6A9', grade: 6 }, SEPT)).toEqual({ ok: false, reason: 'forbidden' });
    expect(await createClass(repos, w.scopes.tpAdmin, w.ntt, { name: '6A9', grade: 6 }, SEPT)).toEqual({ ok: false, reason: 'not_found' });
    expect(await createClass(repos, w.scopes.otherOfficeAdmin, w.ntt, { name: '6A9', grade: 6 }, SEPT)).toEqual({ ok: false, reason: 'not_found' });
    expect(await db.prisma.class.count({ where: { name: '6A9' } })).toBe(0);
  });

  it('answers bad names, grades and years with Vietnamese messages', async () => {
    const out = await createClass(repos, w.scopes.nttAdmin, w.ntt, { name: '6A\u0000', grade: 13, schoolYear: '2026-2028' }, SEPT);
    expect(out).toEqual({
      ok: false,
      reason: 'invalid',
      errors: [
        { field: 'name', message: 'Tên lớp có ký tự điều khiển hoặc ký tự ẩn; hãy gõ lại.' },
        { field: 'grade', message: 'Khối lớp phải là một số từ 0 (mầm non) đến 12.' },
        { field: 'schoolYear', message: 'Năm học có dạng 2026-2027.' },
      ],
    });
    expect(await createClass(repos, w.scopes.nttAdmin, w.ntt, { name: '   ', grade: 6 }, SEPT)).toMatchObject({ errors: [{ field: 'name', message: 'Tên lớp: bắt buộc nhập.' }] });
  });
});

describe('updating a class', () => {
  it('renames and regrades a class, keeping its code', async () => {
    const created = await createClass(repos, w.scopes.nttAdmin, w.ntt, { name: '7A5', grade: 7 }, SEPT);
    if (!created.ok) throw new Error(created.reason);
    const out = await updateClass(repos, w.scopes.officeAdmin, created.class.id, { name: '7A6', grade: 7 });
    expect(out.ok && [out.class.name, out.class.code]).toEqual(['7A6', 'NTT-7A5']);
    const row = await db.prisma.class.findUniqueOrThrow({ where: { id: created.class.id } });
    expect([row.name, row.code]).toEqual(['7A6', 'NTT-7A5']);
  });

  it('refuses a name another class of the school has, and a teacher, and other schools', async () => {
    expect(await updateClass(repos, w.scopes.nttAdmin, w.classes.ntt6a2, { name: '6a1' })).toEqual({ ok: false, reason: 'duplicate', errors: [{ field: 'name', message: 'Lớp 6a1 đã có ở trường này.' }] });
    expect(await updateClass(repos, w.scopes.teacher6a1, w.classes.ntt6a1, { grade: 7 })).toEqual({ ok: false, reason: 'forbidden' });
    expect(await updateClass(repos, w.scopes.teacher6a1, w.classes.ntt6a2, { grade: 7 })).toEqual({ ok: false, reason: 'not_found' });
    expect(await updateClass(repos, w.scopes.tpAdmin, w.classes.ntt6a1, { grade: 7 })).toEqual({ ok: false, reason: 'not_found' });
    expect((await db.prisma.class.findUniqueOrThrow({ where: { id: w.classes.ntt6a1 } })).grade).toBe(6);
  });
});

describe('the class repository under a race', () => {
  it('reports a rename onto a taken name as a duplicate (the unique index decides) and leaves the class as it was', async () => {
    expect(await repos.schoolAdmin.updateClass(w.classes.ntt6a2, { name: '6A1' })).toBe('duplicate');
    expect((await db.prisma.class.findUniqueOrThrow({ where: { id: w.classes.ntt6a2 } })).name).toBe('6A2');
    expect(await repos.schoolAdmin.insertClass({ schoolId: w.ntt, name: '6A1', grade: 6, schoolYear: '2026-2027', code: 'NTT-FRESH' })).toBeNull();
  });
});

describe('class codes and school years', () => {
  it('folds names to the code shape onboarding recognises', () => {
    const shape = /^[A-Za-z0-9]{1,12}-[A-Za-z0-9]{1,12}$/;
    for (const name of ['Lá 1', 'Chồi Đỏ', '10 Chuyên Toán Tin Học', '!!!']) {
      for (const code of classCodeCandidates('NTT', name, 3, '2026-2027')) expect(code).toMatch(shape);
    }
    expect(classCodeCandidates('MN', 'Chồi Đỏ', 0, '2026-2027')[0]).toBe('MN-CHOIDO');
    expect(classCodeCandidates('MN', '!!!', 0, '2026-2027')[0]).toBe('MN-K0');
  });

  it('starts the school year in August, Vietnam time', () => {
    expect(schoolYearOf(new Date('2026-07-31T16:59:00Z'))).toBe('2025-2026');
    expect(schoolYearOf(new Date('2026-07-31T17:00:00Z'))).toBe('2026-2027');
    expect(schoolYearOf(new Date('2027-01-10T00:00:00Z'))).toBe('2026-2027');
  });
});
