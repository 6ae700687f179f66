import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chosenAccountPassword } from '../../../src/services/staff/account-password.js';
import { changeStaffRole } from '../../../src/services/staff/change-staff-role.js';
import { createStaffAccount, type CreateStaffAccountRequest } from '../../../src/services/staff/create-staff-account.js';
import { verifyPassword } from '../../../src/services/staff/hash-password.js';
import { resolveStaffScope } from '../../../src/services/staff/resolve-staff-scope.js';
import type { StaffScope } from '../../../src/services/staff/staff-scope.js';
import { seedDemoData } from '../../../src/store/demo-seed.repo.js';
import { createRepos } from '../../../src/store/repos.js';
import { createTestDatabase, PG_URL, type TestDatabase } from '../../helpers/db.js';

let db: TestDatabase;
const ids = { office: '', otherOffice: '', ntt: '', tp: '', other: '', ntt6a1: '', ntt6a2: '', tp1a: '' };
const now = new Date('2026-12-01T03:00:00Z');
const repos = () => createRepos(db.prisma);
beforeAll(async () => {
  db = await createTestDatabase();
  await db.prisma.$transaction((tx) => seedDemoData(tx));
  const p = db.prisma;
  ids.office = (await p.office.findUniqueOrThrow({ where: { code: 'PGD-Q7-DEMO' } })).id;
  ids.ntt = (await p.school.findUniqueOrThrow({ where: { code: 'NTT' } })).id;
  ids.tp = (await p.school.findUniqueOrThrow({ where: { code: 'TP' } })).id;
  ids.ntt6a1 = (await p.class.findUniqueOrThrow({ where: { code: 'NTT-6A1' } })).id;
  ids.ntt6a2 = (await p.class.findUniqueOrThrow({ where: { code: 'NTT-6A2' } })).id;
  ids.tp1a = (await p.class.findUniqueOrThrow({ where: { code: 'TP-1A' } })).id;
  const other = await p.office.create({ data: { code: 'PGD-B', name: 'Phòng B' } });
  ids.otherOffice = other.id;
  ids.other = (await p.school.create({ data: { officeId: other.id, code: 'B1', name: 'Trường B1', level: 'TH' } })).id;
});
afterAll(async () => {
  await db?.drop();
});

const PASSWORD = 'mot-mat-khau-du-dai';
async function create(req: CreateStaffAccountRequest, actor: StaffScope | null = null) {
  return createStaffAccount(repos(), req, (await chosenAccountPassword(PASSWORD))!, { actor, now });
}
async function scopeOf(email: string): Promise<StaffScope> {
  const m = await db.prisma.staffUser.findUniqueOrThrow({ where: { email } });
  return (await resolveStaffScope(repos(), m))!;
}

describe('resolving a scope from the account', () => {
  it('gives each role its reach', async () => {
    await create({ email: 'a.office@t.test', name: 'A', role: 'admin', office: 'PGD-Q7-DEMO' });
    await create({ email: 'a.all@t.test', name: 'A', role: 'admin' });
    await create({ email: 'sa@t.test', name: 'SA', role: 'school_admin', school: 'NTT' });
    await create({ email: 't@t.test', name: 'T', role: 'teacher', class: 'NTT-6A1' });
    await create({ email: 'h.school@t.test', name: 'H', role: 'tip_handler', school: 'NTT' });
    await create({ email: 'h.office@t.test', name: 'H', role: 'tip_handler', office: 'PGD-Q7-DEMO' });
    const pick = (s: StaffScope) => ({ role: s.role, officeId: s.officeId, schoolIds: s.schoolIds === 'all' ? 'all' : [...s.schoolIds].sort(), classIds: s.classIds });
    expect(pick(await scopeOf('a.office@t.test'))).toEqual({ role: 'admin', officeId: ids.office, schoolIds: [ids.ntt, ids.tp].sort(), classIds: 'all' });
    expect(pick(await scopeOf('a.all@t.test'))).toEqual({ role: 'admin', officeId: null, schoolIds: 'all', classIds: 'all' });
    expect(pick(await scopeOf('sa@t.test'))).toEqual({ role: 'school_admin', officeId: null, schoolIds: [ids.ntt], classIds: 'all' });
    expect(pick(await scopeOf('t@t.test'))).toEqual({ role: 'teacher', officeId: null, schoolIds: [ids.ntt], classIds: [ids.ntt6a1] });
    expect(pick(await scopeOf('h.school@t.test'))).toEqual({ role: 'tip_handler', officeId: null, schoolIds: [ids.ntt], classIds: [] });
    expect(pick(await scopeOf('h.office@t.test'))).toEqual({ role: 'tip_handler', officeId: ids.office, schoolIds: [ids.ntt, ids.tp].sort(), classIds: [] });
  });

  it('resolves an unknown role to nothing', async () => {
    expect(await resolveStaffScope(repos(), { id: 'x', role: 'superuser', officeId: null, schoolId: null, classId: null })).toBeNull();
  });
});

describe('creating an account', () => {
  it('stores the e-mail lower-cased and only an argon2 hash of the password, and records it in the audit log', async () => {
    const out = await create({ email: '  New.Admin@T.Test ', name: ' Quản trị mới ', role: 'admin' });
    expect(out.ok && out.account).toMatchObject({ email: 'new.admin@t.test', name: 'Quản trị mới', role: 'admin' });
    const row = await db.prisma.staffUser.findUniqueOrThrow({ where: { email: 'new.admin@t.test' } });
    expect(row.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(row.passwordHash, PASSWORD)).toBe(true);
    const audit = await db.prisma.auditLog.findFirstOrThrow({ where: { action: 'staff_created', targetId: row.id } });
    expect(audit).toMatchObject({ staffId: null, detail: { role: 'admin', via: 'command_line' } });
  });

  it.each([
    [{ role: 'admin', school: 'NTT' }, 'admin_takes_office_only'],
    [{ role: 'school_admin' }, 'needs_school'],
    [{ role: 'teacher', school: 'NTT' }, 'needs_class'],
    [{ role: 'teacher', school: 'TP', class: 'NTT-6A1' }, 'class_not_in_school'],
    [{ role: 'tip_handler' }, 'needs_school_or_office'],
    [{ role: 'tip_handler', school: 'NTT', office: 'PGD-Q7-DEMO' }, 'school_or_office_not_both'],
    [{ role: 'school_admin', school: 'NOPE' }, 'unknown_school'],
    [{ role: 'superuser' }, 'bad_role'],
  ] as const)('refuses %o: %s', async (placement, reason) => {
    expect(await create({ email: `x-${reason}@t.test`, name: 'X', ...placement })).toEqual({ ok: false, reason });
  });

  it('refuses a taken e-mail, a bad e-mail and a name with control characters', async () => {
    await create({ email: 'taken@t.test', name: 'A', role: 'admin' });
    expect(await create({ email: 'TAKEN@t.test', name: 'B', role: 'admin' })).toEqual({ ok: false, reason: 'email_taken' });
    expect(await create({ email: 'not-an-email', name: 'B', role: 'admin' })).toEqual({ ok: false, reason: 'bad_email' });
    expect(await create({ email: 'ctl@t.test', name: 'B\u0007', role: 'admin' })).toEqual({ ok: false, reason: 'bad_name' });
  });

  it('lets an office admin create accounts only in their office', async () => {
    const actor = await scopeOf('a.office@t.test');
    expect((await create({ email: 'in-office@t.test', name: 'A', role: 'teacher', class: 'TP-1A' }, actor)).ok).toBe(true);
    expect(await create({ email: 'out-office@t.test', name: 'A', role: 'school_admin', school: 'B1' }, actor)).toEqual({ ok: false, reason: 'forbidden' });
    expect(await create({ email: 'sysadmin@t.test', name: 'A', role: 'admin' }, actor)).toEqual({ ok: false, reason: 'forbidden' });
    expect(await create({ email: 'teacher-actor@t.test', name: 'A', role: 'teacher', class: 'NTT-6A2' }, await scopeOf('t@t.test'))).toEqual({ ok: false, reason: 'forbidden' });
  });

  it('lets a school admin create accounts of their school up to their own role, never a tip handler, and nothing else', async () => {
    const sa = await scopeOf('sa@t.test');
    expect((await create({ email: 'sa-teacher@t.test', name: 'A', role: 'teacher', class: 'NTT-6A2' }, sa)).ok).toBe(true);
    expect((await create({ email: 'sa-deputy@t.test', name: 'A', role: 'school_admin', school: 'NTT' }, sa)).ok).toBe(true);
    expect(await create({ email: 'sa-handler@t.test', name: 'A', role: 'tip_handler', school: 'NTT' }, sa)).toEqual({ ok: false, reason: 'forbidden' });
    expect(await create({ email: 'sa-other-school@t.test', name: 'A', role: 'teacher', class: 'TP-1A' }, sa)).toEqual({ ok: false, reason: 'forbidden' });
    expect(await create({ email: 'sa-office-handler@t.test', name: 'A', role: 'tip_handler', office: 'PGD-Q7-DEMO' }, sa)).toEqual({ ok: false, reason: 'forbidden' });
    expect(await create({ email: 'sa-admin@t.test', name: 'A', role: 'admin', office: 'PGD-Q7-DEMO' }, sa)).toEqual({ ok: false, reason: 'forbidden' });
  });
});

describe('changing a role', () => {
  it('changes the role and placement, records from and to, and the scope follows at once', async () => {
    await create({ email: 'moving@t.test', name: 'M', role: 'teacher', class: 'NTT-6A1' });
    const target = await db.prisma.staffUser.findUniqueOrThrow({ where: { email: 'moving@t.test' } });
    const actor = await scopeOf('a.office@t.test');
    const out = await changeStaffRole(repos(), { staffId: target.id, role: 'school_admin', school: 'NTT' }, { actor, now });
    expect(out.ok && out.account).toMatchObject({ role: 'school_admin', schoolId: ids.ntt, classId: null });
    expect(await scopeOf('moving@t.test')).toMatchObject({ role: 'school_admin', classIds: 'all' });
    const audit = await db.prisma.auditLog.findFirstOrThrow({ where: { action: 'role_changed', targetId: target.id } });
    expect(audit).toMatchObject({ staffId: actor.staffId, officeId: ids.office, detail: { from: 'teacher', to: 'school_admin' } });
  });

  it('refuses other roles, a school admin an admin role, accounts outside the office (as not found), places outside it, and the admin themself', async () => {
    await create({ email: 'elsewhere@t.test', name: 'E', role: 'school_admin', school: 'B1' });
    const elsewhere = await db.prisma.staffUser.findUniqueOrThrow({ where: { email: 'elsewhere@t.test' } });
    const teacher = await db.prisma.staffUser.findUniqueOrThrow({ where: { email: 't@t.test' } });
    const actor = await scopeOf('a.office@t.test');
    const change = (staffId: string, req: object, who: StaffScope) => changeStaffRole(repos(), { staffId, role: 'teacher', class: 'NTT-6A2', ...req }, { actor: who, now });
    expect(await change(teacher.id, {}, await scopeOf('h.school@t.test'))).toEqual({ ok: false, reason: 'forbidden' });
    expect(await change(teacher.id, { role: 'admin', class: null, office: 'PGD-Q7-DEMO' }, await scopeOf('sa@t.test'))).toEqual({ ok: false, reason: 'forbidden' });
    expect(await change(elsewhere.id, {}, await scopeOf('sa@t.test'))).toEqual({ ok: false, reason: 'not_found' });
    expect(await change(elsewhere.id, {}, actor)).toEqual({ ok: false, reason: 'not_found' });
    expect(await change(teacher.id, { role: 'school_admin', class: null, school: 'B1' }, actor)).toEqual({ ok: false, reason: 'forbidden' });
    expect(await change(actor.staffId, { role: 'admin', class: null }, actor)).toEqual({ ok: false, reason: 'own_account' });
    expect(await change('no-such-id', {}, actor)).toEqual({ ok: false, reason: 'not_found' });
    // A system admin may move anyone anywhere.
    expect((await change(elsewhere.id, {}, await scopeOf('a.all@t.test'))).ok).toBe(true);
  });
});

describe('npm run admin:create', () => {
  // On the embedded database a child process would need its own DATA_DIR (PGlite has one owner), which takes about
  // 20 s to initialise on these machines; the PostgreSQL run covers the script end to end.
  it.skipIf(!PG_URL)('prints a generated password once that signs in, and explains a refusal in Vietnamese and English', async () => {
    const run = promisify(execFile);
    const env = { ...process.env, DATABASE_URL: db.url!, APP_SECRET: 'admin-create-secret-admin-create-secret-0', TIP_ENCRYPTION_KEY: '1'.repeat(64), TIP_HANDLE_KEY: '2'.repeat(64), LOG_LEVEL: 'silent' };
    const { stdout } = await run('npx', ['tsx', 'scripts/admin-create.ts', '--email', 'cli@t.test', '--name', 'Quản trị Phòng', '--office', 'PGD-Q7-DEMO'], { env, timeout: 60_000 });
    const password = /^Mật khẩu: (\S+)$/m.exec(stdout)?.[1];
    expect(password).toMatch(/^[A-Za-z0-9_-]{20}$/);
    expect(stdout).toContain('Password: ');
    const row = await db.prisma.staffUser.findUniqueOrThrow({ where: { email: 'cli@t.test' } });
    expect(row).toMatchObject({ role: 'admin', officeId: ids.office });
    expect(await verifyPassword(row.passwordHash, password!)).toBe(true);
    const refused = await run('npx', ['tsx', 'scripts/admin-create.ts', '--email', 'cli2@t.test', '--name', 'X', '--role', 'teacher'], { env, timeout: 60_000 }).catch((err: { code: number; stderr: string }) => err);
    expect(refused).toMatchObject({ code: 1 });
    expect((refused as { stderr: string }).stderr).toContain('Giáo viên cần --class. / A teacher needs --class.');
  });
});
