import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSchool } from '../../../src/services/schools/create-school.js';
import { listSchools } from '../../../src/services/schools/list-schools.js';
import { updateSchool } from '../../../src/services/schools/update-school.js';
import { createRepos, type Repos } from '../../../src/store/repos.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.js';
import { seedScopeWorld, type ScopeWorld } from './scope-fixtures.js';

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

const names = (r: Awaited<ReturnType<typeof listSchools>>) => (r.ok ? r.schools.map((s) => s.code) : r.reason);

describe('listing schools', () => {
  it('shows each role the schools of its scope, with class counts, and a tip handler none', async () => {
    expect(names(await listSchools(repos, w.scopes.system))).toEqual(['NTT', 'TAN', 'TP']);
    const office = await listSchools(repos, w.scopes.officeAdmin);
    expect(office.ok && office.schools.map((s) => [s.code, s.classCount])).toEqual([['NTT', 5], ['TP', 5]]);
    expect(names(await listSchools(repos, w.scopes.nttAdmin))).toEqual(['NTT']);
    expect(names(await listSchools(repos, w.scopes.teacher6a1))).toEqual(['NTT']);
    expect(await listSchools(repos, w.scopes.handler)).toEqual({ ok: false, reason: 'forbidden' });
  });
});

describe('creating a school', () => {
  it('lets an office admin create a school in their office, which they reach at once', async () => {
    const out = await createSchool(repos, w.scopes.officeAdmin, { code: ' ltv ', name: '  Trường  THCS   Lê Thị Vân ', level: 'THCS' });
    expect(out.ok && [out.school.code, out.school.name, out.school.officeId, out.school.broadcastNeedsApproval]).toEqual(['LTV', 'Trường THCS Lê Thị Vân', w.officeId, true]);
    expect(names(await listSchools(repos, w.scopes.officeAdmin))).toContain('LTV');
  });

  it('refuses teachers, school admins and tip handlers, and an office admin naming another office', async () => {
    const input = { code: 'XYZ', name: 'Trường Tiểu học XYZ', level: 'TH' as const };
    for (const s of [w.scopes.teacher6a1, w.scopes.nttAdmin, w.scopes.handler]) expect(await createSchool(repos, s, input)).toEqual({ ok: false, reason: 'forbidden' });
    const cross = await createSchool(repos, w.scopes.officeAdmin, { ...input, officeId: w.otherOfficeId });
    expect(cross).toMatchObject({ ok: false, reason: 'invalid', errors: [{ field: 'officeId' }] });
    expect(await db.prisma.school.count({ where: { code: 'XYZ' } })).toBe(0);
  });

  it('asks a system admin for an existing office', async () => {
    const input = { code: 'SYS', name: 'Trường THPT Hệ Thống', level: 'THPT' as const };
    expect(await createSchool(repos, w.scopes.system, input)).toMatchObject({ ok: false, reason: 'invalid', errors: [{ field: 'officeId', message: 'Chọn phòng/sở giáo dục của trường.' }] });
    expect(await createSchool(repos, w.scopes.system, { ...input, officeId: 'nope' })).toMatchObject({ ok: false, errors: [{ message: 'Không có phòng/sở giáo dục này.' }] });
    const ok = await createSchool(repos, w.scopes.system, { ...input, officeId: w.otherOfficeId, broadcastNeedsApproval: false });
    expect(ok.ok && [ok.school.officeId, ok.school.broadcastNeedsApproval]).toEqual([w.otherOfficeId, false]);
  });

  it('answers bad input with Vietnamese messages per field and keeps HTML as typed text', async () => {
    const bad = await createSchool(repos, w.scopes.officeAdmin, { code: 'N T', name: 'ab\u202Ecd', level: 'ĐH' as never });
    expect(bad.ok ? [] : 'errors' in bad ? bad.errors : []).toEqual([
      { field: 'code', message: 'Mã trường gồm 2–12 chữ cái không dấu (A–Z) hoặc chữ số, ví dụ NTT.' },
      { field: 'name', message: 'Tên trường có ký tự điều khiển hoặc ký tự ẩn; hãy gõ lại.' },
      { field: 'level', message: expect.stringContaining('Cấp học phải là một trong') },
    ]);
    const long = await createSchool(repos, w.scopes.officeAdmin, { code: 'LONG', name: 'x'.repeat(121), level: 'TH' });
    expect(long).toMatchObject({ errors: [{ field: 'name', message: 'Tên trường dài quá 120 ký tự.' }] });
    const html = await createSchool(repos, w.scopes.officeAdmin, { code: 'HTML', name: '<script>alert(1)</script> Trường', level: 'TH' });
    expect(html.ok && html.school.name).toBe('<script>alert(1)</script> Trường');
  });

  it('refuses a code already used, in any case', async () => {
    const out = await createSchool(repos, w.scopes.officeAdmin, { code: 'ntt', name: 'Trường khác', level: 'TH' });
    expect(out).toEqual({ ok: false, reason: 'duplicate', errors: [{ field: 'code', message: 'Mã trường NTT đã được dùng; hãy chọn mã khác.' }] });
  });
});

describe('updating a school', () => {
  it('lets the school admin rename their school and switch approvals off', async () => {
    const out = await updateSchool(repos, w.scopes.tpAdmin, w.tp, { name: 'Trường Tiểu học Tân Phong (mới)', broadcastNeedsApproval: false });
    expect(out.ok && [out.school.name, out.school.broadcastNeedsApproval]).toEqual(['Trường Tiểu học Tân Phong (mới)', false]);
  });

  it('answers not_found outside the scope, exactly as for a missing school, and forbidden to a teacher of the school', async () => {
    const patch = { name: 'Đổi tên' };
    expect(await updateSchool(repos, w.scopes.nttAdmin, w.tp, patch)).toEqual({ ok: false, reason: 'not_found' });
    expect(await updateSchool(repos, w.scopes.nttAdmin, 'no-such-school', patch)).toEqual({ ok: false, reason: 'not_found' });
    expect(await updateSchool(repos, w.scopes.otherOfficeAdmin, w.ntt, patch)).toEqual({ ok: false, reason: 'not_found' });
    expect(await updateSchool(repos, w.scopes.handler, w.ntt, patch)).toEqual({ ok: false, reason: 'not_found' });
    expect(await updateSchool(repos, w.scopes.teacher6a1, w.ntt, patch)).toEqual({ ok: false, reason: 'forbidden' });
    expect((await db.prisma.school.findUniqueOrThrow({ where: { id: w.ntt } })).name).toBe('Trường THCS Nguyễn Thị Thập');
  });

  it('refuses an empty change', async () => {
    expect(await updateSchool(repos, w.scopes.nttAdmin, w.ntt, {})).toEqual({ ok: false, reason: 'invalid', errors: [{ field: 'form', message: 'Không có gì để thay đổi.' }] });
  });
});
