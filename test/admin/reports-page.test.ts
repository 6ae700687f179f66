import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeadlineSection } from '../../src/admin/pages/reports/deadlines.js';
import { renderFragment } from '../../src/admin/views/render.js';
import { loadConfig } from '../../src/config.js';
import { createAdminDeps } from '../../src/main.js';
import { nextDeadline, reportDeadlines } from '../../src/services/reports/report-deadlines.js';
import { resolveReportPeriod } from '../../src/services/reports/report-period.js';
import type { Browser } from './helpers/browser.js';
import { startConsoleApp, type ConsoleApp } from './helpers/console-app.js';
import { seedConsoleFigures, type SeededFigures } from './helpers/console-figures.js';
import { captionsOf, rowWith, rowsWith, sectionOf, textOf } from './helpers/html.js';
import { docxRuns, docxTableRows, postForBytes, readXlsx, rowStarting } from './helpers/report-files.js';

// The reports page (/admin/reports) and its downloads over HTTP: the form, the deadlines, the figures as tables
// (checked against the database), DOCX and XLSX read back, every download audited, bad input and other units refused.

let c: ConsoleApp;
let f: SeededFigures;
let quarter: { year: string; quarter: string };
beforeAll(async () => {
  c = await startConsoleApp();
  f = await seedConsoleFigures(c);
  const vn = new Date(c.clock.now().getTime() + 7 * 3600_000);
  quarter = { year: String(vn.getUTCFullYear()), quarter: String(Math.floor(vn.getUTCMonth() / 3) + 1) };
});
afterAll(async () => {
  await c?.close();
});

const own = () => `school:${c.world.schools.own.id}`;
const qs = (q: Record<string, string>) => `?${new URLSearchParams(q).toString()}`;

/** The figures of the own school over this quarter, counted straight from the tables (not through the service). */
async function expectedOfOwnSchool() {
  const p = c.testDb.prisma;
  const range = resolveReportPeriod({ kind: 'quarter', ...quarter });
  if (!range.ok) throw new Error(range.message);
  const { from, to } = range.range;
  const schoolId = c.world.schools.own.id;
  const pupils = async (where: object) => new Set((await p.pledge.findMany({ where: { schoolId, classId: c.world.classes.own.id, ...where }, select: { studentKey: true } })).map((x) => x.studentKey)).size;
  return {
    parentsSigned: await pupils({ audience: 'parent', consentAt: { gte: from, lt: to } }),
    parentsWithdrawn: await pupils({ audience: 'parent', withdrawnAt: { gte: from, lt: to } }),
    parentsValid: await pupils({ audience: 'parent', consentAt: { lt: to }, withdrawnAt: null }),
    roster: await p.rosterEntry.count({ where: { classId: c.world.classes.own.id } }),
    tipsReceived: await p.tip.count({ where: { schoolId, createdAt: { gte: from, lt: to } } }),
    tipsUrgent: await p.tip.count({ where: { schoolId, urgent: true, createdAt: { gte: from, lt: to } } }),
    tipsClosed: await p.tip.count({ where: { schoolId, closedAt: { gte: from, lt: to } } }),
    broadcastSent: await p.delivery.count({ where: { broadcastId: { not: null }, status: 'sent', contact: { schoolId }, sentAt: { gte: from, lt: to } } }),
  };
}

async function exportAs(b: Browser, format: string, form: Record<string, string>) {
  return b.send('POST', '/admin/reports/export', new URLSearchParams({ ...form, format, _csrf: b.csrf }).toString(), { 'content-type': 'application/x-www-form-urlencoded', origin: c.url });
}

async function bytesOf(b: Browser, form: Record<string, string>): Promise<Buffer> {
  const a = await postForBytes(c.url, b, '/admin/reports/export', form);
  if (a.status !== 200) throw new Error(`export answered ${a.status}`);
  return a.bytes;
}

async function exportsAudited(): Promise<number> {
  return c.testDb.prisma.auditLog.count({ where: { action: 'export_downloaded' } });
}

describe('the reports page', () => {
  it('shows the deadlines of the plans with the next one highlighted and the notes staff must confirm', async () => {
    const b = await c.signedIn('admin');
    const a = await b.get('/admin/reports');
    expect(a.status).toBe(200);
    const d = sectionOf(a.text, 'han-bao-cao')!;
    const next = nextDeadline(c.clock.now())!;
    expect(textOf(d)).toContain(`Hạn gần nhất: ${next.label}, ${next.dueText}`);
    expect(textOf(d)).toContain(next.rule.source.quote);
    const highlighted = [...d.matchAll(/<tr class="deadline-next">(.*?)<\/tr>/gs)];
    expect(highlighted).toHaveLength(1);
    expect(textOf(highlighted[0]![1]!)).toContain(`${next.dueText}Gần nhất`);
    // The coming twelve months' deadlines in the table, this year's past ones folded away, each plan's note once.
    const year = Number(quarter.year);
    const now = c.clock.now().getTime();
    const all = [...reportDeadlines(year), ...reportDeadlines(year + 1)];
    const upcoming = all.filter((x) => x.dueBefore.getTime() > now && x.dueBefore.getTime() <= now + 366 * 86_400_000);
    const past = reportDeadlines(year).filter((x) => x.dueBefore.getTime() <= now);
    expect(upcoming.length).toBeGreaterThan(0);
    const [soon, gone] = [...d.matchAll(/<table class="figures">(.*?)<\/table>/gs)].map((m) => m[1]!);
    for (const x of upcoming) expect(textOf(soon!)).toContain(`${x.dueText}`);
    for (const x of past) expect(textOf(gone!)).toContain(x.label);
    expect(d).toContain(`<summary>Các hạn đã qua trong năm ${year} (${past.length})</summary>`);
    const note = 'Cần cán bộ xác nhận: công văn ghi “trước ngày 05 hàng quý”';
    expect(textOf(d).split(note).length - 1).toBe(2); // in the next deadline's box and once in the notes
    // The city Sở's plan sets no date: said so, no date invented.
    expect(textOf(d)).toContain('hệ thống không tự đặt hạn');
    expect(captionsOf(d)).toEqual(['Các hạn nộp trong 12 tháng tới theo từng kế hoạch', `Các hạn nộp đã qua trong năm ${year}`]);
  });

  it('offers an office admin the office and its schools, never another office’s', async () => {
    const b = await c.signedIn('admin');
    const a = await b.get('/admin/reports');
    const form = sectionOf(a.text, 'lap-bao-cao')!;
    expect(form).toContain(`value="office:${c.world.office.id}"`);
    expect(form).toContain(`value="${own()}"`);
    expect(form).toContain(`value="school:${c.world.schools.sibling.id}"`);
    expect(form).not.toContain(c.world.schools.foreign.id);
    expect(form).not.toContain(c.world.foreignOffice.id);
    // Labels on every field.
    for (const id of ['f-unit', 'f-kind', 'f-year', 'f-quarter', 'f-half', 'f-from', 'f-to']) expect(form).toContain(`<label for="${id}">`);
    const school = await (await c.signedIn('school_admin')).get('/admin/reports');
    expect(sectionOf(school.text, 'lap-bao-cao')).not.toContain('office:');
  });

  it('shows a school’s quarter as tables whose figures are the database’s', async () => {
    const b = await c.signedIn('school_admin');
    const a = await b.get(`/admin/reports${qs({ unit: own(), kind: 'quarter', ...quarter })}`);
    expect(a.status).toBe(200);
    const figures = sectionOf(a.text, 'so-lieu')!;
    const e = await expectedOfOwnSchool();
    expect(e).toMatchObject({ parentsSigned: 4, parentsWithdrawn: 1, parentsValid: 3, tipsReceived: 3, tipsUrgent: 1, tipsClosed: 1, broadcastSent: 2 });
    // Class, roster, parents signed / withdrawn / valid, …
    expect(rowWith(figures, f.classNames.own, { exact: true }).slice(0, 5)).toEqual([f.classNames.own, String(e.roster), String(e.parentsSigned), String(e.parentsWithdrawn), String(e.parentsValid)]);
    expect(rowWith(figures, 'Tin báo nhận trong kỳ', { exact: true })[1]).toBe(String(e.tipsReceived));
    expect(rowWith(figures, 'Trong đó: tin báo khẩn cấp')[1]).toBe(String(e.tipsUrgent));
    expect(rowWith(figures, 'Tin báo đã xử lý xong (đóng) trong kỳ')[1]).toBe(String(e.tipsClosed));
    expect(rowWith(figures, 'Thông báo của nhà trường, của phòng')[1]).toBe(String(e.broadcastSent));
    expect(captionsOf(figures)).toContain('IV. TIẾP NHẬN TIN BÁO, TỐ GIÁC TỘI PHẠM: Theo lĩnh vực');
    // The download buttons carry the same request.
    expect(a.text).toMatch(/<form method="post" action="\/admin\/reports\/export"/);
    expect(a.text).toContain(`<input type="hidden" name="unit" value="${own()}"`);
    expect(a.text).not.toContain(f.pupilName);
    expect(a.text).not.toContain('BI-MAT');
  });

  it('downloads the report as XLSX with the same figures, and audits the download', async () => {
    const b = await c.signedIn('admin');
    await b.get('/admin/reports');
    const before = await exportsAudited();
    const a = await b.send('POST', '/admin/reports/export', new URLSearchParams({ unit: own(), kind: 'quarter', ...quarter, format: 'xlsx', _csrf: b.csrf }).toString(), { 'content-type': 'application/x-www-form-urlencoded', origin: c.url });
    expect(a.status).toBe(200);
    expect(a.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(a.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent(`Báo cáo ANTQ - ${f.schoolNames.own} - Quý IV năm ${quarter.year}.xlsx`)}`);
    const raw = await bytesOf(b, { unit: own(), kind: 'quarter', ...quarter, format: 'xlsx' });
    const sheets = await readXlsx(raw);
    const e = await expectedOfOwnSchool();
    expect(rowStarting(sheets.get('Cam kết ATGT'), f.classNames.own)?.slice(0, 5)).toEqual([f.classNames.own, e.roster, e.parentsSigned, e.parentsWithdrawn, e.parentsValid]);
    expect(rowStarting(sheets.get('Tin báo'), 'Tin báo nhận trong kỳ')).toEqual(['Tin báo nhận trong kỳ', e.tipsReceived]);
    expect(await exportsAudited()).toBe(before + 2);
    const entry = await c.testDb.prisma.auditLog.findFirstOrThrow({ where: { action: 'export_downloaded' }, orderBy: { id: 'desc' } });
    expect(entry).toMatchObject({ staffId: c.world.accounts.admin.id, targetType: 'report', targetId: c.world.schools.own.id, schoolId: c.world.schools.own.id, officeId: c.world.office.id });
    expect(entry.detail).toMatchObject({ format: 'xlsx', unit: 'school', period: 'quarter', tipsOnly: false });
  });

  it('downloads the office’s report as DOCX, an administrative report naming the office and its figures', async () => {
    const b = await c.signedIn('admin');
    await b.get('/admin/reports');
    const before = await exportsAudited();
    const raw = await bytesOf(b, { unit: `office:${c.world.office.id}`, kind: 'year', year: quarter.year, format: 'docx' });
    const runs = docxRuns(raw);
    expect(runs).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(runs).toContain('Kết quả thực hiện phong trào toàn dân bảo vệ an ninh Tổ quốc');
    const office = await c.testDb.prisma.office.findUniqueOrThrow({ where: { id: c.world.office.id } });
    expect(runs).toContain(office.name.toUpperCase());
    // The office's tips of the year: its schools' and those naming no school (the foreign one left out).
    const schools = (await c.testDb.prisma.school.findMany({ where: { officeId: office.id }, select: { id: true } })).map((s) => s.id);
    const tips = await c.testDb.prisma.tip.count({ where: { OR: [{ schoolId: { in: schools } }, { schoolId: null }] } });
    expect(docxTableRows(raw).find((r) => r[0] === 'Tin báo nhận trong kỳ')).toEqual(['Tin báo nhận trong kỳ', String(tips)]);
    expect(await exportsAudited()).toBe(before + 1);
    const entry = await c.testDb.prisma.auditLog.findFirstOrThrow({ where: { action: 'export_downloaded' }, orderBy: { id: 'desc' } });
    expect(entry).toMatchObject({ targetType: 'report', targetId: office.id, schoolId: null, officeId: office.id });
    expect(entry.detail).toMatchObject({ format: 'docx', unit: 'office', period: 'year' });
  });

  it('gives a tip handler the tips section only, in the page and in the file', async () => {
    const b = await c.signedIn('tip_handler');
    const a = await b.get(`/admin/reports${qs({ unit: own(), kind: 'quarter', ...quarter })}`);
    expect(a.status).toBe(200);
    const figures = sectionOf(a.text, 'so-lieu')!;
    expect(figures).toContain('I. TIẾP NHẬN TIN BÁO, TỐ GIÁC TỘI PHẠM');
    expect(figures).not.toContain('CAM KẾT AN TOÀN GIAO THÔNG');
    const sheets = await readXlsx(await bytesOf(b, { unit: own(), kind: 'quarter', ...quarter, format: 'xlsx' }));
    expect([...sheets.keys()]).toEqual(['Thông tin chung', 'Tin báo']);
  });
});

describe('bad input on the report form', () => {
  const cases: [string, Record<string, string>, string][] = [
    ['a kind of period that does not exist', { kind: 'tuần', year: '2026' }, 'Hãy chọn kỳ báo cáo: quý, 6 tháng, cả năm hoặc khoảng ngày.'],
    ['a fifth quarter', { kind: 'quarter', year: '2026', quarter: '5' }, 'Quý phải là 1, 2, 3 hoặc 4.'],
    ['a year that is not a number', { kind: 'year', year: 'hai nghìn' }, 'Năm phải là một số, ví dụ 2026.'],
    ['a year out of range', { kind: 'year', year: '1999' }, 'Năm phải từ 2020 đến 2100.'],
    ['a range ending before it starts', { kind: 'custom', from: '2026-03-31', to: '2026-01-01' }, 'Ngày bắt đầu phải trước hoặc trùng ngày kết thúc.'],
    ['a day not on the calendar', { kind: 'custom', from: '2026-02-30', to: '2026-03-01' }, 'Ngày không có trên lịch'],
    ['a range of three years', { kind: 'custom', from: '2024-01-01', to: '2026-12-31' }, 'Khoảng thời gian dài nhất là 2 năm.'],
    ['no kind at all', { year: '2026' }, 'Hãy chọn kỳ báo cáo'],
    ['a script for a year', { kind: 'year', year: '<script>alert(1)</script>' }, 'Năm phải là một số'],
  ];

  it.each(cases)('answers %s with a Vietnamese message and the form again (400), downloading nothing', async (_why, period, message) => {
    const b = await c.signedIn('admin');
    const view = await b.get(`/admin/reports${qs({ unit: own(), ...period })}`);
    expect(view.status).toBe(400);
    expect(textOf(view.text)).toContain(message);
    expect(sectionOf(view.text, 'so-lieu')).toBeNull();
    expect(view.text).not.toContain('<script>alert');
    const before = await exportsAudited();
    const file = await exportAs(b, 'xlsx', { unit: own(), ...period });
    expect(file.status).toBe(400);
    expect(file.headers['content-disposition']).toBeUndefined();
    expect(await exportsAudited()).toBe(before);
  });

  it('refuses a unit that is not one of the list, and a format other than Word or Excel', async () => {
    const b = await c.signedIn('admin');
    for (const unit of ['', '<script>alert(1)</script>', 'class:abc', `school:${'x'.repeat(70)}`]) {
      const a = await b.get(`/admin/reports${qs({ unit, kind: 'year', year: '2026' })}`);
      expect(a.status, unit).toBe(400);
      expect(textOf(a.text)).toContain('Hãy chọn đơn vị báo cáo trong danh sách.');
      expect(a.text).not.toContain('<script>alert');
    }
    const before = await exportsAudited();
    for (const format of ['pdf', '', '<script>']) {
      const a = await exportAs(b, format, { unit: own(), kind: 'year', year: '2026' });
      expect(a.status, format).toBe(400);
      expect(textOf(a.text)).toContain('Hãy chọn định dạng tải về');
    }
    expect(await exportsAudited()).toBe(before);
  });

  it('answers 404 for another office’s unit, in the page and the download, and records nothing', async () => {
    const before = await exportsAudited();
    for (const who of ['admin', 'school_admin', 'tip_handler'] as const) {
      const b = await c.signedIn(who);
      for (const unit of [`school:${c.world.schools.foreign.id}`, `office:${c.world.foreignOffice.id}`]) {
        expect((await b.get(`/admin/reports${qs({ unit, kind: 'year', year: '2026' })}`)).status, `${who} ${unit}`).toBe(404);
        expect((await exportAs(b, 'docx', { unit, kind: 'year', year: '2026' })).status, `${who} ${unit}`).toBe(404);
      }
    }
    expect(await exportsAudited()).toBe(before);
  });

  it('never answers a 5xx to fields of the wrong shape', async () => {
    const b = await c.signedIn('admin');
    for (const q of ['unit=a&unit=b&kind=year&year=2026', `unit=${own()}&kind=year&kind=half&year=2026`, `unit=${own()}&kind=quarter&year=2026&quarter=1&quarter=2`, `unit=${own()}&kind=custom&from=${'9'.repeat(50)}&to=x`, `unit=%00&kind=%00`, `unit=${own()}&kind=year&year=${'é'.repeat(1000)}`]) {
      const a = await b.get(`/admin/reports?${q}`);
      expect(a.status, q).toBe(400);
    }
  });

  it('is not open to a teacher', async () => {
    const b = await c.signedIn('teacher');
    expect((await b.get('/admin/reports')).status).toBe(403);
  });
});

describe('the reporting area (REPORT_REGION)', () => {
  it('reaches the reports page from the configuration through createAdminDeps', () => {
    const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: `/tmp/ssb-test-${process.pid}`, APP_SECRET: 'test-secret-test-secret-test-secret-0123', REPORT_REGION: 'cu-chi' });
    expect(config.admin.reportRegion).toBe('cu-chi');
    expect(createAdminDeps(config, { prisma: c.testDb.prisma }, pino({ level: 'silent' }), () => new Date()).reports.region).toBe('cu-chi');
    expect(loadConfig({ NODE_ENV: 'test', DATA_DIR: `/tmp/ssb-test-${process.pid}`, APP_SECRET: 'test-secret-test-secret-test-secret-0123' }).admin.reportRegion).toBeNull();
    expect(() => loadConfig({ NODE_ENV: 'test', DATA_DIR: `/tmp/ssb-test-${process.pid}`, APP_SECRET: 'test-secret-test-secret-test-secret-0123', REPORT_REGION: 'ha-noi' })).toThrow(/REPORT_REGION/);
  });

  it('shows only that area’s deadlines, the next of them highlighted', () => {
    const now = new Date('2026-06-01T03:00:00Z');
    const html = renderFragment(DeadlineSection({ now, region: 'cu-chi' }));
    expect(textOf(html)).toContain('Hạn gần nhất: Báo cáo hạn ngày 15/11/2026, ngày 15/11/2026');
    expect(rowsWith(html, 'ngày').map((r) => [r[0], r[2]])).toEqual([
      ['ngày 15/11/2026Gần nhất', 'Huyện Củ Chi'],
      ['ngày 10/05/2027', 'Huyện Củ Chi'],
      ['ngày 10/05/2026', 'Huyện Củ Chi'],
    ]);
    expect(html).not.toContain('Quận 7');
    expect(html).not.toContain('REPORT_REGION');
  });
});
