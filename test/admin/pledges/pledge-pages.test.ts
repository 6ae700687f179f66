import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { studentKey } from '../../../src/content/person-name.js';
import { formatVnDate } from '../../../src/content/vn-time.js';
import { createConsolePledges } from '../../../src/services/pledges/console-pledges.js';
import { signPledge } from '../../../src/services/pledges/sign-pledge.js';
import type { StaffScope } from '../../../src/services/staff/staff-scope.js';
import { createRepos } from '../../../src/store/repos.js';
import { startConsoleApp, type ConsoleApp } from '../helpers/console-app.js';

// The pledge pages: who in a class has and has not pledged (names only where the account may read them), the
// figures per class and school, and the exports (XLSX read back with exceljs, CSV with csv-parse) against the database.

let c: ConsoleApp;
const SECRET_NAME = 'Hoàng Thị Bímật'; // on 6A2's roster: must never reach the teacher of 6A1
const OFF_ROSTER = 'Trịnh Văn Ngoài';
const FORMULA_NAME = '-Lê Văn Công'; // a name a spreadsheet would take for a formula

async function sign(audience: 'parent' | 'student', classId: string, studentName: string, contactId: string) {
  const repos = createRepos(c.testDb.prisma);
  const template = await repos.pledges.currentTemplate(audience);
  if (!template) throw new Error('no demo template');
  const r = await signPledge(repos.pledges, { templateId: template.id, audience, classId, studentName, parentName: audience === 'parent' ? 'Phụ Huynh' : null, contactId, now: c.clock.now() });
  if (!r.ok) throw new Error(r.reason);
  return r.pledge;
}

beforeAll(async () => {
  c = await startConsoleApp();
  const own = c.world.classes.own.id;
  const p = c.testDb.prisma;
  await p.rosterEntry.create({ data: { classId: own, studentName: FORMULA_NAME, studentKey: studentKey(FORMULA_NAME) } });
  await p.rosterEntry.create({ data: { classId: c.world.classes.sameSchool.id, studentName: SECRET_NAME, studentKey: studentKey(SECRET_NAME) } });
  await sign('parent', own, 'Nguyễn Minh An', 'contact-parent-an');
  await sign('student', own, 'Nguyễn Minh An', 'contact-student-an');
  await sign('student', own, 'Trần Bảo Ngọc', 'contact-student-ngoc');
  const huy = await sign('parent', own, 'Lê Gia Huy', 'contact-parent-huy');
  c.clock.advance(24 * 3600_000);
  await createRepos(p).pledges.markWithdrawn('contact-parent-huy', huy.id, c.clock.now());
  await sign('parent', own, OFF_ROSTER, 'contact-parent-ngoai');
  await sign('parent', c.world.classes.sameSchool.id, SECRET_NAME, 'contact-parent-secret');
});
afterAll(async () => {
  await c?.close();
});

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&amp;/g, '&').replace(/\s+/g, ' ');

describe('the pledge list', () => {
  it("shows a teacher only their class, with parents and students signed against the roster", async () => {
    const a = await (await c.signedIn('teacher')).get('/admin/pledges');
    expect(a.status).toBe(200);
    const t = text(a.text);
    expect(a.text).toContain(`/admin/pledges/classes/${c.world.classes.own.id}`);
    expect(a.text).not.toContain(c.world.classes.sameSchool.id);
    // 7 on the roster (6 demo pupils and one added); An's parent signed (Huy's withdrew); An and Ngọc signed themselves.
    expect(t).toContain('6A1');
    expect(t).toMatch(/ 7 1\/7 \(14 %\) 2\/7 \(29 %\) 1 1 /);
    expect(t).not.toContain(SECRET_NAME);
  });

  it('shows an office admin one row per school of the office, and the classes of a school picked', async () => {
    const b = await c.signedIn('admin');
    const all = await b.get('/admin/pledges');
    expect(all.status).toBe(200);
    // Per school: 5 classes, 8 on the rosters (6A1's 7 and 6A2's one); valid pledges counted: parents An, the name
    // off the roster and 6A2's pupil; students An and Ngọc; one confirmed; one withdrawn.
    expect(text(all.text)).toContain('Trường THCS Nguyễn Thị Thập 5 8 3/8 (38 %) 2/8 (25 %) 1 1');
    expect(all.text).not.toContain('Trường THCS Khác');
    const one = await b.get(`/admin/pledges?school=${c.world.schools.own.id}`);
    expect(one.status).toBe(200);
    expect(one.text).toContain(`/admin/pledges/classes/${c.world.classes.sameSchool.id}`);
    expect(one.text).toContain(`/admin/pledges/schools/${c.world.schools.own.id}/export.xlsx`);
    expect((await b.get(`/admin/pledges?school=${c.world.schools.foreign.id}`)).status).toBe(404);
    expect((await b.get('/admin/pledges?school=%3Cscript%3E')).status).toBe(400);
  });
});

describe('a class page', () => {
  it("lists the teacher's pupils with who has and has not pledged, withdrawals and confirmations", async () => {
    const a = await (await c.signedIn('teacher')).get(`/admin/pledges/classes/${c.world.classes.own.id}`);
    expect(a.status).toBe(200);
    const t = text(a.text);
    const signedDay = formatVnDate(new Date(c.clock.now().getTime() - 24 * 3600_000));
    expect(t).toContain(`Nguyễn Minh An Đã ký ngày ${signedDay} Đã ký ngày ${signedDay} Đã xác nhận`);
    expect(t).toContain(`Trần Bảo Ngọc Chưa ký Đã ký ngày ${signedDay} Chưa xác nhận`);
    expect(t).toContain(`Lê Gia Huy Đã rút ngày ${formatVnDate(c.clock.now())} Chưa ký`);
    expect(t).toContain('Đặng Khánh Linh Chưa ký Chưa ký');
    expect(t).toContain(`${OFF_ROSTER} (ngoài danh sách lớp)`);
    expect(t).toContain('phụ huynh: 6 · học sinh: 5');
    expect(t).not.toContain(SECRET_NAME);
  });

  it('answers 404 to the teacher of 6A1 for 6A2, its page and both exports, and records no export', async () => {
    const b = await c.signedIn('teacher');
    const before = await c.testDb.prisma.auditLog.count({ where: { action: 'export_downloaded' } });
    for (const path of ['', '/export.xlsx', '/export.csv']) {
      const a = await b.get(`/admin/pledges/classes/${c.world.classes.sameSchool.id}${path}`);
      expect(a.status, path).toBe(404);
      expect(a.text).toContain('Không tìm thấy trang');
      expect(a.text).not.toContain(SECRET_NAME);
    }
    expect((await b.get(`/admin/pledges/schools/${c.world.schools.own.id}/export.csv`)).status).toBe(403);
    expect(await c.testDb.prisma.auditLog.count({ where: { action: 'export_downloaded' } })).toBe(before);
  });

  it('shows counts and no names to an account that reaches a class but may not read its names', async () => {
    const pledges = createConsolePledges({ prisma: c.testDb.prisma });
    const countsOnly: StaffScope = { staffId: c.world.accounts.school_admin.id, role: 'school_admin', officeId: null, schoolIds: [c.world.schools.own.id], classIds: [] };
    const r = await pledges.classStatus(countsOnly, c.world.classes.own.id);
    if (!r.ok) throw new Error(r.reason);
    expect(r.status.names).toBe(false);
    expect(r.status.pupils).toBeNull();
    expect(r.status.counts).toEqual({ rosterSize: 7, parentValid: 2, parentOnRoster: 1, studentValid: 2, studentOnRoster: 2, studentConfirmed: 1, withdrawn: 1 });
    const file = await pledges.export(countsOnly, { kind: 'class', classId: c.world.classes.own.id }, 'csv', { staffId: countsOnly.staffId, now: c.clock.now() });
    if (!file.ok) throw new Error(file.reason);
    const csv = file.file.body.toString('utf8');
    for (const name of ['Nguyễn Minh An', 'Đặng Khánh Linh', OFF_ROSTER]) expect(csv).not.toContain(name);
    expect(csv).toContain('Sĩ số theo danh sách');
  });
});

/** What the database says about each pupil of the class, in the export's words (read here, not through the service). */
async function expectedRows(classId: string): Promise<Map<string, string[]>> {
  const p = c.testDb.prisma;
  const campaign = await createRepos(p).pledges.activeCampaign();
  const roster = await p.rosterEntry.findMany({ where: { classId } });
  const pledges = await p.pledge.findMany({ where: { classId, campaignId: campaign!.id } });
  const names = new Map(roster.map((r) => [r.studentKey, { name: r.studentName, onRoster: true }]));
  for (const pl of pledges) if (!names.has(pl.studentKey)) names.set(pl.studentKey, { name: pl.studentName, onRoster: false });
  const out = new Map<string, string[]>();
  for (const [key, { name, onRoster }] of names) {
    const of = (audience: string) => pledges.find((pl) => pl.studentKey === key && pl.audience === audience);
    const state = (pl: (typeof pledges)[number] | undefined) => (!pl ? 'Chưa ký' : pl.withdrawnAt ? `Đã rút (${formatVnDate(pl.withdrawnAt)})` : 'Đã ký');
    const day = (pl: (typeof pledges)[number] | undefined) => (pl && !pl.withdrawnAt ? formatVnDate(pl.consentAt) : '');
    const parent = of('parent');
    const student = of('student');
    out.set(name, [
      'Trường THCS Nguyễn Thị Thập',
      '6A1',
      name,
      onRoster ? 'Có' : 'Không',
      state(parent),
      day(parent),
      state(student),
      day(student),
      student && !student.withdrawnAt ? (student.confirmedAt ? 'Đã xác nhận' : 'Chưa xác nhận') : '',
    ]);
  }
  return out;
}

describe('exports', () => {
  it('gives the class as XLSX that reads back (exceljs) as the database has it, and records the export', async () => {
    const b = await c.signedIn('teacher');
    const a = await b.send('GET', `/admin/pledges/classes/${c.world.classes.own.id}/export.xlsx`);
    expect(a.status).toBe(200);
    expect(a.headers['content-type']).toContain('spreadsheetml');
    expect(String(a.headers['content-disposition'])).toMatch(/^attachment; filename="cam-ket-NTT-6A1-\d{4}-\d{2}-\d{2}\.xlsx"/);
    expect(a.headers['cache-control']).toBe('no-store');
    const raw = await new Promise<Buffer>((resolve, reject) => {
      // The Browser helper reads bodies as text; fetch the bytes again with its cookie.
      const cookie = [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
      fetch(`${c.url}/admin/pledges/classes/${c.world.classes.own.id}/export.xlsx`, { headers: { cookie } }).then(async (r) => resolve(Buffer.from(await r.arrayBuffer())), reject);
    });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(raw as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('Danh sách')!;
    const rows: string[][] = [];
    // row.values is 1-based and sparse (an empty cell is a hole): read ten cells by position.
    sheet.eachRow((row) => {
      const vals = row.values as unknown[];
      rows.push(Array.from({ length: 10 }, (_, i) => (vals[i + 1] === null || vals[i + 1] === undefined ? '' : String(vals[i + 1]))));
    });
    expect(rows[0]).toEqual(['STT', 'Trường', 'Lớp', 'Họ và tên học sinh', 'Có trong danh sách lớp', 'Cam kết của phụ huynh', 'Ngày phụ huynh ký', 'Cam kết của học sinh', 'Ngày học sinh ký', 'Phụ huynh xác nhận cam kết của học sinh']);
    const expected = await expectedRows(c.world.classes.own.id);
    expect(rows.length - 1).toBe(expected.size);
    for (const [i, row] of rows.slice(1).entries()) {
      expect(row[0]).toBe(String(i + 1));
      const want = expected.get(row[3]!);
      expect(want, row[3]).toBeDefined();
      expect(row.slice(1)).toEqual(want);
    }
    const summary = wb.getWorksheet('Tổng hợp')!;
    expect((summary.getRow(2).values as unknown[]).slice(1)).toEqual(['Trường THCS Nguyễn Thị Thập', '6A1', 7, 1, 2, 1, 1, 1]);
    const entries = await c.testDb.prisma.auditLog.findMany({ where: { action: 'export_downloaded', staffId: c.world.accounts.teacher.id, targetId: c.world.classes.own.id } });
    expect(entries.length).toBe(2);
    expect(entries[0]).toMatchObject({ targetType: 'class', schoolId: c.world.schools.own.id, detail: { export: 'pledges', format: 'xlsx', rows: 8, names: true } });
  });

  it('gives CSV in UTF-8 with a byte-order mark, so Excel shows the diacritics, and no cell a spreadsheet would run', async () => {
    const b = await c.signedIn('teacher');
    const cookie = [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const r = await fetch(`${c.url}/admin/pledges/classes/${c.world.classes.own.id}/export.csv`, { headers: { cookie } });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const bytes = Buffer.from(await r.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const csv = bytes.subarray(3).toString('utf8');
    expect(csv).toContain('\r\n');
    const rows = parse(csv) as string[][];
    expect(rows[0]![3]).toBe('Họ và tên học sinh');
    const names = rows.slice(1).map((row) => row[3]);
    expect(names).toEqual(expect.arrayContaining(['Nguyễn Minh An', 'Trần Bảo Ngọc', 'Đặng Khánh Linh', 'Võ Quốc Bảo', OFF_ROSTER, `'${FORMULA_NAME}`]));
    const expected = await expectedRows(c.world.classes.own.id);
    for (const row of rows.slice(1)) {
      const name = row[3]!.replace(/^'/, '');
      expect(row.slice(1).map((v, i) => (i === 2 ? v.replace(/^'/, '') : v)), name).toEqual(expected.get(name));
    }
    expect(await c.testDb.prisma.auditLog.count({ where: { action: 'export_downloaded', staffId: c.world.accounts.teacher.id, detail: { path: ['format'], equals: 'csv' } } })).toBe(1);
  });

  it('gives a school admin the whole school, every class, and the office admin no school of another office', async () => {
    const b = await c.signedIn('school_admin');
    const cookie = [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const r = await fetch(`${c.url}/admin/pledges/schools/${c.world.schools.own.id}/export.csv`, { headers: { cookie } });
    expect(r.status).toBe(200);
    const rows = parse((await r.text()).replace(/^\uFEFF/, '')) as string[][];
    expect(new Set(rows.slice(1).map((row) => row[2]))).toEqual(new Set(['6A1', '6A2']));
    expect(rows.some((row) => row[3] === SECRET_NAME)).toBe(true);
    expect((await b.get(`/admin/pledges/schools/${c.world.schools.sibling.id}/export.xlsx`)).status).toBe(404);
    expect((await (await c.signedIn('admin')).get(`/admin/pledges/schools/${c.world.schools.foreign.id}/export.csv`)).status).toBe(404);
  });
});
