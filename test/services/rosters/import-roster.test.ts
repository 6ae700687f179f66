import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { importRoster } from '../../../src/services/rosters/import-roster.js';
import { listRoster } from '../../../src/services/rosters/list-roster.js';
import { previewRosterImport, type RosterImportRequest } from '../../../src/services/rosters/preview-roster-import.js';
import { rosterDeps, type RosterDeps } from '../../../src/services/rosters/roster-deps.js';
import type { StaffScope } from '../../../src/services/staff/staff-scope.js';
import { createRepos, inTransaction, type Repos } from '../../../src/store/repos.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.js';
import { seedScopeWorld, type ScopeWorld } from '../schools/scope-fixtures.js';
import { csvFile, fixtureFile, xlsxFile } from './roster-files.js';

let db: TestDatabase;
let w: ScopeWorld;
let repos: Repos;
let deps: RosterDeps;
beforeAll(async () => {
  db = await createTestDatabase();
  w = await seedScopeWorld(db);
  repos = createRepos(db.prisma);
  deps = rosterDeps(db.prisma);
});
afterAll(async () => {
  await db?.drop();
});

const roster = async (classId: string) => (await db.prisma.rosterEntry.findMany({ where: { classId }, orderBy: { studentName: 'asc' } })).map((r) => r.studentName);

/** Previews, then imports with the preview's digest, as the page does. */
async function previewAndImport(scope: StaffScope, req: RosterImportRequest) {
  const p = await previewRosterImport(repos, scope, req);
  if (!p.ok) throw new Error(`preview refused: ${p.reason}`);
  return { preview: p.preview, imported: await importRoster(deps, scope, { ...req, digest: p.preview.digest ?? '' }) };
}

describe('previewing a roster import', () => {
  beforeEach(async () => {
    await db.prisma.rosterEntry.deleteMany({});
  });

  it('shows every row, the columns not stored, and what would change, and changes nothing', async () => {
    await db.prisma.rosterEntry.createMany({
      data: [
        { classId: w.classes.ntt6a1, studentName: 'Nguyễn Văn An', studentKey: 'nguyễn văn an' },
        { classId: w.classes.ntt6a1, studentName: 'Phạm Thị Thủy', studentKey: 'phạm thị thuỷ' },
        { classId: w.classes.ntt6a1, studentName: 'Hồ Văn Cường', studentKey: 'hồ văn cường' },
      ],
    });
    const before = await roster(w.classes.ntt6a1);
    const out = await previewRosterImport(repos, w.scopes.teacher6a1, { classId: w.classes.ntt6a1, mode: 'replace', file: fixtureFile('lop-6a1-utf8-bom.csv') });
    if (!out.ok) throw new Error(out.reason);
    const p = out.preview;
    expect(p.rows.map((r) => [r.row, r.name, r.status])).toEqual([
      [5, 'Nguyễn Văn An', 'unchanged'],
      [6, 'Trần Thị Bích Ngọc', 'new'],
      [7, 'Lê Hoàng Phúc', 'new'],
      [8, 'Phạm Thị Thuỷ', 'respelled'],
      [9, 'Đặng Quốc Việt', 'new'],
    ]);
    expect(p.summary).toEqual({ rows: 5, new: 3, unchanged: 1, respelled: 1, toRemove: 1, errors: 0 });
    expect(p.toRemove).toEqual(['Hồ Văn Cường']);
    expect(p.notices).toEqual([
      'Các cột “STT”, “Ngày sinh”, “Giới tính” không được lưu: hệ thống chỉ lưu họ tên học sinh.',
      'Chế độ thay thế: 1 học sinh không có trong tệp sẽ bị xoá khỏi danh sách lớp (các cam kết đã ký vẫn được giữ).',
    ]);
    expect([p.canImport, typeof p.digest]).toEqual([true, 'string']);
    expect(await roster(w.classes.ntt6a1)).toEqual(before);
  });

  it('lists each bad row with its number, column and a Vietnamese message, and cannot be imported', async () => {
    const file = csvFile(['Họ và tên,Ngày sinh', 'Võ Thị Sáu,01/01/2014', ',02/02/2014', 'Kim Đồng 2,', 'vo thi  SAU,', `${'Dài'.repeat(21)},`]);
    const out = await previewRosterImport(repos, w.scopes.nttAdmin, { classId: w.classes.ntt6a1, mode: 'add', file });
    if (!out.ok) throw new Error(out.reason);
    expect(out.preview.errors).toEqual([
      { row: 3, column: 'Họ và tên', message: 'Thiếu họ tên học sinh.' },
      { row: 4, column: 'Họ và tên', message: 'Họ tên có chữ số (“Kim Đồng 2”): ô này có đúng là cột họ tên không?' },
      { row: 6, column: 'Họ và tên', message: 'Họ tên dài quá 60 ký tự.' },
    ]);
    expect(out.preview.rows.find((r) => r.row === 5)).toMatchObject({ status: 'new', name: 'Vo Thi Sau' });
    const dup = await previewRosterImport(repos, w.scopes.nttAdmin, { classId: w.classes.ntt6a1, mode: 'add', file: csvFile(['Họ và tên', 'Võ Thị Sáu', 'VÕ THỊ  SÁU']) });
    expect(dup.ok && dup.preview.errors).toEqual([{ row: 3, column: 'Họ và tên', message: 'Trùng tên với dòng 2 (Võ Thị Sáu). Hệ thống phân biệt học sinh theo họ tên: nếu lớp có hai bạn trùng tên, hãy thêm chữ để phân biệt (ví dụ “Võ Thị Sáu A”).' }]);
    expect([out.preview.canImport, out.preview.digest, out.preview.summary.errors]).toEqual([false, null, 3]);
  });

  it('answers a bad file with its message', async () => {
    const out = await previewRosterImport(repos, w.scopes.nttAdmin, { classId: w.classes.ntt6a1, mode: 'add', file: fixtureFile('lop-6a1-windows-1258.csv') });
    expect(out).toMatchObject({ ok: false, reason: 'bad_file', problem: 'bad_encoding', message: expect.stringContaining('CSV UTF-8') });
  });
});

describe('who may preview and import a class roster', () => {
  const file = () => csvFile(['Họ và tên', 'Võ Thị Sáu']);
  const cases: [string, keyof ScopeWorld['scopes'], keyof ScopeWorld['classes'], boolean][] = [
    ['a teacher, their own class', 'teacher6a1', 'ntt6a1', true],
    ['a teacher, another class of their school', 'teacher6a1', 'ntt6a2', false],
    ['a school admin, a class of their school', 'nttAdmin', 'ntt6a2', true],
    ['a school admin, a class of another school', 'nttAdmin', 'tp1a', false],
    ['an office admin, a class of their office', 'officeAdmin', 'tp1a', true],
    ['an office admin, a class of another office', 'officeAdmin', 'other6a1', false],
    ['a tip handler of the school', 'handler', 'ntt6a1', false],
    ['a system admin, any class', 'system', 'other6a1', true],
  ];
  it.each(cases)('%s: allowed %s', async (_what, who, cls, allowed) => {
    await db.prisma.rosterEntry.deleteMany({});
    const scope = w.scopes[who];
    const classId = w.classes[cls];
    const preview = await previewRosterImport(repos, scope, { classId, mode: 'add', file: file() });
    const imported = await importRoster(deps, scope, { classId, mode: 'add', file: file(), digest: preview.ok ? preview.preview.digest! : 'guess' });
    const listed = await listRoster(repos, scope, classId);
    if (allowed) {
      expect([preview.ok, imported.ok, listed.ok]).toEqual([true, true, true]);
      expect(await roster(classId)).toEqual(['Võ Thị Sáu']);
    } else {
      // Exactly what a class that does not exist answers.
      expect([preview, imported, listed]).toEqual([{ ok: false, reason: 'not_found' }, { ok: false, reason: 'not_found' }, { ok: false, reason: 'not_found' }]);
      expect(await previewRosterImport(repos, scope, { classId: 'no-such-class', mode: 'add', file: file() })).toEqual({ ok: false, reason: 'not_found' });
      expect(await roster(classId)).toEqual([]);
    }
  });
});

describe('importing a roster', () => {
  beforeEach(async () => {
    await db.prisma.rosterEntry.deleteMany({});
  });

  it('adds the new names and keeps the others in add mode; replace mode removes those not in the file', async () => {
    await db.prisma.rosterEntry.createMany({ data: [{ classId: w.classes.ntt6a1, studentName: 'Hồ Văn Cường', studentKey: 'hồ văn cường' }] });
    const add = await previewAndImport(w.scopes.teacher6a1, { classId: w.classes.ntt6a1, mode: 'add', file: fixtureFile('lop-6a1-utf8-bom.csv') });
    expect(add.imported).toEqual({ ok: true, added: 5, respelled: 0, removed: 0, rosterSize: 6 });
    expect(await roster(w.classes.ntt6a1)).toContain('Hồ Văn Cường');
    const file = await xlsxFile([{ name: '6A1', rows: [['STT', 'Họ và tên'], [1, 'Nguyễn Văn An'], [2, 'Phạm Thị Thủy']] }]);
    const replace = await previewAndImport(w.scopes.teacher6a1, { classId: w.classes.ntt6a1, mode: 'replace', file });
    expect(replace.imported).toEqual({ ok: true, added: 0, respelled: 1, removed: 4, rosterSize: 2 });
    expect(await roster(w.classes.ntt6a1)).toEqual(['Nguyễn Văn An', 'Phạm Thị Thủy']);
  });

  it('refuses a file with one bad row and changes nothing', async () => {
    await db.prisma.rosterEntry.createMany({ data: [{ classId: w.classes.ntt6a1, studentName: 'Hồ Văn Cường', studentKey: 'hồ văn cường' }] });
    const file = csvFile(['Họ và tên', 'Võ Thị Sáu', 'Lý Tự Trọng', '<script>', 'Kim Đồng']);
    const out = await importRoster(deps, w.scopes.nttAdmin, { classId: w.classes.ntt6a1, mode: 'replace', file, digest: 'whatever' });
    expect(out).toMatchObject({ ok: false, reason: 'has_errors', message: expect.stringContaining('chưa nhập gì'), preview: { errors: [{ row: 4 }] } });
    expect(await roster(w.classes.ntt6a1)).toEqual(['Hồ Văn Cường']);
  });

  it('refuses when the roster changed after the preview, and shows the new preview', async () => {
    const req = { classId: w.classes.ntt6a1, mode: 'replace' as const, file: csvFile(['Họ và tên', 'Võ Thị Sáu']) };
    const p = await previewRosterImport(repos, w.scopes.nttAdmin, req);
    if (!p.ok) throw new Error(p.reason);
    await db.prisma.rosterEntry.create({ data: { classId: w.classes.ntt6a1, studentName: 'Kim Đồng', studentKey: 'kim đồng' } });
    const out = await importRoster(deps, w.scopes.nttAdmin, { ...req, digest: p.preview.digest! });
    expect(out).toMatchObject({ ok: false, reason: 'stale_preview', preview: { toRemove: ['Kim Đồng'] } });
    expect(await roster(w.classes.ntt6a1)).toEqual(['Kim Đồng']);
    // Another file under the same digest is refused too.
    const other = await importRoster(deps, w.scopes.nttAdmin, { ...req, file: csvFile(['Họ và tên', 'Lý Tự Trọng']), digest: p.preview.digest! });
    expect(other).toMatchObject({ ok: false, reason: 'stale_preview' });
  });

  it('leaves nothing behind when the database fails midway through the import', async () => {
    await db.prisma.rosterEntry.createMany({ data: [{ classId: w.classes.ntt6a1, studentName: 'Hồ Văn Cường', studentKey: 'hồ văn cường' }] });
    const req = { classId: w.classes.ntt6a1, mode: 'replace' as const, file: fixtureFile('lop-6a1-utf8-bom.csv') };
    const p = await previewRosterImport(repos, w.scopes.nttAdmin, req);
    if (!p.ok) throw new Error(p.reason);
    let wrote = 0;
    // The removal and every insert run, then the connection "breaks": the transaction must take all of it back.
    const failing: RosterDeps = {
      repos,
      transaction: (fn) =>
        inTransaction(db.prisma, (tx) => {
          const rosters = tx.rosters;
          const apply = rosters.apply.bind(rosters);
          rosters.apply = async (classId, changes) => {
            const done = await apply(classId, changes);
            wrote = done.added + done.removed;
            throw new Error('connection lost');
          };
          return fn(tx);
        }),
    };
    await expect(importRoster(failing, w.scopes.nttAdmin, { ...req, digest: p.preview.digest! })).rejects.toThrow('connection lost');
    expect(wrote).toBe(6);
    expect(await roster(w.classes.ntt6a1)).toEqual(['Hồ Văn Cường']);
  });

  it('runs two imports into one class one after the other: the second sees the first and is refused as stale', async () => {
    const a = { classId: w.classes.ntt6a1, mode: 'replace' as const, file: csvFile(['Họ và tên', 'Võ Thị Sáu']) };
    const b = { classId: w.classes.ntt6a1, mode: 'replace' as const, file: csvFile(['Họ và tên', 'Lý Tự Trọng']) };
    const [pa, pb] = await Promise.all([previewRosterImport(repos, w.scopes.nttAdmin, a), previewRosterImport(repos, w.scopes.nttAdmin, b)]);
    if (!pa.ok || !pb.ok) throw new Error('preview');
    const results = await Promise.all([importRoster(deps, w.scopes.nttAdmin, { ...a, digest: pa.preview.digest! }), importRoster(deps, w.scopes.nttAdmin, { ...b, digest: pb.preview.digest! })]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.reason === 'stale_preview')).toHaveLength(1);
    expect((await roster(w.classes.ntt6a1)).length).toBe(1);
  });
});
