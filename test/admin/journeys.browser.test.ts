import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_ROUTES } from '../../src/admin/routes.js';
import { resolveReportPeriod } from '../../src/services/reports/report-period.js';
import { startConsoleApp, type ConsoleApp } from './helpers/console-app.js';
import { seedConsoleFigures, type SeededFigures } from './helpers/console-figures.js';
import { scrollsSideways, seriousA11yProblems, SKIP_BROWSER, startJourneys, WAIT, withoutAxeInjection, type Journeys } from './helpers/journeys.js';
import { docxRuns, docxTableRows, readXlsx, rowStarting } from './helpers/report-files.js';

/**
 * The console's main journeys in Debian's headless Chromium: sign in, read the dashboard, make the periodic report
 * and open its two files (the XLSX read back with exceljs, the DOCX unzipped with fflate) against the database;
 * screenshots at 360 and 1280 px under test-results/console/ for review; axe-core on the main pages. Skipped locally
 * without Chromium (scripts/setup-browser.sh installs it); on CI a missing Chromium fails.
 */

const has = (path: string) => CONSOLE_ROUTES.some((r) => r.method === 'GET' && r.path === path);
// Pages other helpers build: their screenshots are taken as soon as the routes exist.
const TIPS_INBOX = has('/admin/tips');
const CLASS_PAGE = has('/admin/classes/:classId');

describe.skipIf(SKIP_BROWSER)('console journeys in headless Chromium', () => {
  let c: ConsoleApp;
  let f: SeededFigures;
  let j: Journeys;
  let quarter: { year: string; quarter: string };
  beforeAll(async () => {
    c = await startConsoleApp();
    [f, j] = await Promise.all([seedConsoleFigures(c), startJourneys(c)]);
    const vn = new Date(c.clock.now().getTime() + 7 * 3600_000);
    quarter = { year: String(vn.getUTCFullYear()), quarter: String(Math.floor(vn.getUTCMonth() / 3) + 1) };
  });
  afterAll(async () => {
    await j?.close();
    await c?.close();
  });

  it('signs in and reads the dashboard: urgent tips on top and linked, the pledge chart drawn, its numbers in a table', async () => {
    const { page, problems } = await j.open(1280);
    await j.signIn(page, 'admin');
    await page.getByRole('heading', { level: 1, name: 'Tổng quan' }).waitFor(WAIT);
    await expect.poll(() => page.getByText('3 tin báo khẩn cấp').count(), WAIT).toBe(1);
    const link = page.getByRole('link', { name: f.tips.ownUrgent.code });
    expect(await link.getAttribute('href')).toBe(`/admin/tips/${f.tips.ownUrgent.id}`);
    if (has('/admin/tips/:id')) {
      // The link opens the tip in the tips inbox, then back to the dashboard.
      await Promise.all([page.waitForURL(`${c.url}/admin/tips/${f.tips.ownUrgent.id}`, WAIT), link.click()]);
      await page.getByRole('heading', { level: 1, name: `Tin báo ${f.tips.ownUrgent.code}` }).waitFor(WAIT);
      await page.goBack();
      await page.getByRole('heading', { level: 1, name: 'Tổng quan' }).waitFor(WAIT);
    }
    // The chart is an image the browser decoded (the CSP lets data: images through), with an alternative text.
    const chart = page.locator('figure.chart img');
    await expect.poll(() => chart.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), WAIT).toBe(true);
    expect(await chart.getAttribute('alt')).toContain('Số liệu đầy đủ ở bảng');
    const table = page.getByRole('table', { name: `Cam kết theo trường: ${f.campaign.title}` });
    const row = table.getByRole('row', { name: new RegExp(f.schoolNames.own) });
    expect((await row.getByRole('cell').allInnerTexts()).slice(0, 2)).toEqual(['8', '3']);
    // The school filter narrows it to the classes of one school.
    await page.getByLabel('Xem theo trường').selectOption(c.world.schools.own.id);
    await Promise.all([page.waitForURL(/\?school=/, WAIT), page.getByRole('button', { name: 'Xem', exact: true }).click()]);
    await page.getByRole('table', { name: `Cam kết theo lớp: ${f.campaign.title}` }).waitFor(WAIT);
    expect(problems).toEqual([]);
  });

  it('shows a teacher which pupils of the class have not pledged yet, from the nav to the class page', async () => {
    const { page, problems } = await j.open(360);
    await j.signIn(page, 'teacher');
    await page.getByRole('navigation', { name: 'Chức năng' }).getByRole('link', { name: 'Cam kết' }).click();
    await page.getByRole('link', { name: f.classNames.own, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: `Cam kết lớp ${f.classNames.own}` }).waitFor(WAIT);

    // What the database says: the roster's pupils without a parent's (or their own) pledge still standing.
    const p = c.testDb.prisma;
    const classId = c.world.classes.own.id;
    const roster = await p.rosterEntry.findMany({ where: { classId }, select: { studentName: true, studentKey: true } });
    const standing = await p.pledge.findMany({ where: { classId, campaignId: f.campaign.id, withdrawnAt: null }, select: { studentKey: true, audience: true } });
    const signed = (audience: string) => new Set(standing.filter((x) => x.audience === audience).map((x) => x.studentKey));
    const [parents, students] = [signed('parent'), signed('student')];
    const missing = roster.filter((r) => !parents.has(r.studentKey) || !students.has(r.studentKey)).map((r) => r.studentName).sort();
    expect(missing.length).toBeGreaterThan(0);
    expect(missing.length).toBeLessThan(roster.length);

    const facts = page.locator('dl.facts');
    await expect.poll(() => facts.locator('dt:has-text("Chưa có cam kết") + dd').innerText(), WAIT)
      .toBe(`phụ huynh: ${roster.filter((r) => !parents.has(r.studentKey)).length} · học sinh: ${roster.filter((r) => !students.has(r.studentKey)).length}`);
    const table = page.getByRole('table', { name: `Học sinh lớp ${f.classNames.own} và cam kết an toàn giao thông` });
    const marked = await table.locator('tr.pledge-missing td:nth-child(2)').allInnerTexts();
    expect(marked.filter((name) => !name.includes('ngoài danh sách')).sort()).toEqual(missing);
    // A withdrawn pledge reads as withdrawn, not as signed.
    const withdrawn = await p.pledge.findFirstOrThrow({ where: { classId, campaignId: f.campaign.id, audience: 'parent', withdrawnAt: { not: null } }, select: { studentName: true } });
    const withdrawnRow = table.getByRole('row', { name: new RegExp(withdrawn.studentName) });
    expect(await withdrawnRow.getByRole('cell').nth(2).innerText()).toMatch(/^Đã rút/);
    expect(await scrollsSideways(page)).toBe(false);
    expect(problems).toEqual([]);
  });

  it('makes a school’s quarterly report, downloads it as Excel and Word, and both hold the database’s figures', async () => {
    const { page, problems } = await j.open(1280);
    await j.signIn(page, 'admin');
    await page.getByRole('navigation', { name: 'Chức năng' }).getByRole('link', { name: 'Báo cáo' }).click();
    await page.getByRole('heading', { level: 1, name: 'Báo cáo định kỳ' }).waitFor(WAIT);
    await page.getByLabel('Đơn vị báo cáo').selectOption(`school:${c.world.schools.own.id}`);
    await page.getByLabel('Loại kỳ').selectOption('quarter');
    await page.getByLabel('Năm', { exact: true }).fill(quarter.year);
    await page.getByLabel('Quý', { exact: true }).selectOption(quarter.quarter);
    await Promise.all([page.waitForURL(/unit=school/, WAIT), page.getByRole('button', { name: 'Xem báo cáo' }).click()]);
    await page.getByRole('heading', { level: 2, name: new RegExp(`Số liệu: ${f.schoolNames.own}`) }).waitFor(WAIT);

    // The database's figures, counted here from the tables.
    const p = c.testDb.prisma;
    const range = resolveReportPeriod({ kind: 'quarter', ...quarter });
    if (!range.ok) throw new Error(range.message);
    const { from, to } = range.range;
    const schoolId = c.world.schools.own.id;
    const tipsReceived = await p.tip.count({ where: { schoolId, createdAt: { gte: from, lt: to } } });
    const parentsValid = new Set((await p.pledge.findMany({ where: { schoolId, classId: c.world.classes.own.id, audience: 'parent', withdrawnAt: null, consentAt: { lt: to } }, select: { studentKey: true } })).map((x) => x.studentKey)).size;
    const roster = await p.rosterEntry.count({ where: { classId: c.world.classes.own.id } });
    const audited = await p.auditLog.count({ where: { action: 'export_downloaded' } });

    const xlsx = await j.download(page, () => page.getByRole('button', { name: 'Tải bảng số liệu Excel (.xlsx)' }).click());
    const roman = ['I', 'II', 'III', 'IV'][Number(quarter.quarter) - 1];
    expect(xlsx.filename).toBe(`Báo cáo ANTQ - ${f.schoolNames.own} - Quý ${roman} năm ${quarter.year}.xlsx`);
    const sheets = await readXlsx(xlsx.bytes);
    expect(rowStarting(sheets.get('Thông tin chung'), 'Đơn vị')).toEqual(['Đơn vị', f.schoolNames.own]);
    expect(rowStarting(sheets.get('Tin báo'), 'Tin báo nhận trong kỳ')).toEqual(['Tin báo nhận trong kỳ', tipsReceived]);
    const pledgeRow = rowStarting(sheets.get('Cam kết ATGT'), f.classNames.own)!;
    expect([pledgeRow[1], pledgeRow[4]]).toEqual([roster, parentsValid]);

    const docx = await j.download(page, () => page.getByRole('button', { name: 'Tải báo cáo Word (.docx)' }).click());
    expect(docx.filename).toMatch(/\.docx$/);
    const runs = docxRuns(docx.bytes);
    expect(runs).toContain(f.schoolNames.own.toUpperCase());
    expect(runs).toContain('Kết quả thực hiện phong trào toàn dân bảo vệ an ninh Tổ quốc');
    const rows = docxTableRows(docx.bytes);
    expect(rows.find((r) => r[0] === 'Tin báo nhận trong kỳ')).toEqual(['Tin báo nhận trong kỳ', String(tipsReceived)]);
    const classRow = rows.find((r) => r[0] === f.classNames.own)!;
    expect([classRow[1], classRow[4]]).toEqual([String(roster), String(parentsValid)]);

    // Each download is in the audit log.
    expect(await p.auditLog.count({ where: { action: 'export_downloaded' } })).toBe(audited + 2);
    expect(problems).toEqual([]);
  });

  it.each([360, 1280])('writes screenshots of the dashboard (and the tips inbox and a class page, once they exist) at %i px, none scrolling sideways', async (width) => {
    const { page } = await j.open(width);
    await j.signIn(page, 'admin');
    await page.getByRole('heading', { level: 1, name: 'Tổng quan' }).waitFor(WAIT);
    await page.locator('figure.chart img').evaluate((img: HTMLImageElement) => img.decode());
    expect(await scrollsSideways(page), 'dashboard').toBe(false);
    await j.screenshot(page, 'dashboard');
    await page.goto(`${c.url}/admin/reports?unit=school:${c.world.schools.own.id}&kind=quarter&year=${quarter.year}&quarter=${quarter.quarter}`);
    expect(await scrollsSideways(page), 'reports').toBe(false);
    await j.screenshot(page, 'reports');
    if (TIPS_INBOX) {
      await page.goto(`${c.url}/admin/tips`);
      expect(await scrollsSideways(page), 'tips inbox').toBe(false);
      await j.screenshot(page, 'tips-inbox');
    }
    if (CLASS_PAGE) {
      await page.goto(`${c.url}/admin/classes/${c.world.classes.own.id}`);
      expect(await scrollsSideways(page), 'class page').toBe(false);
      await j.screenshot(page, 'class');
    }
  });

  it('finds no serious or critical accessibility problem on the sign-in, dashboard and reports pages (axe-core)', async () => {
    const found: string[] = [];
    const signedOut = await j.open(1280);
    await signedOut.page.goto(`${c.url}/admin/login`);
    found.push(...seriousA11yProblems(await j.axe(signedOut.page)).map((x) => `login: ${x}`));
    for (const width of [1280, 360]) {
      const { page, problems } = await j.open(width);
      await j.signIn(page, 'admin');
      found.push(...seriousA11yProblems(await j.axe(page)).map((x) => `dashboard ${width}: ${x}`));
      await page.goto(`${c.url}/admin/reports?unit=school:${c.world.schools.own.id}&kind=quarter&year=${quarter.year}&quarter=${quarter.quarter}`);
      found.push(...seriousA11yProblems(await j.axe(page)).map((x) => `reports ${width}: ${x}`));
      expect(withoutAxeInjection(problems)).toEqual([]);
      // The form with its messages, too (answered 400, which the console shows as a failed load).
      await page.goto(`${c.url}/admin/reports?unit=school:${c.world.schools.own.id}&kind=quarter&year=1999&quarter=9`);
      await page.getByText('Năm phải từ 2020 đến 2100.').waitFor(WAIT);
      found.push(...seriousA11yProblems(await j.axe(page)).map((x) => `reports with errors ${width}: ${x}`));
    }
    expect(found).toEqual([]);
  });

  it('finds no serious or critical accessibility problem on the other main pages (axe-core)', async () => {
    const own = { school: c.world.schools.own.id, class: c.world.classes.own.id, tip: f.tips.ownUrgent.id };
    const pages: [route: string, path: string][] = [
      ['/admin/tips', '/admin/tips'],
      ['/admin/tips/:id', `/admin/tips/${own.tip}`],
      ['/admin/pledges', '/admin/pledges'],
      ['/admin/pledges/classes/:classId', `/admin/pledges/classes/${own.class}`],
      ['/admin/schools', '/admin/schools'],
      ['/admin/schools/:schoolId', `/admin/schools/${own.school}`],
      ['/admin/classes/:classId', `/admin/classes/${own.class}`],
      ['/admin/classes/:classId/roster', `/admin/classes/${own.class}/roster`],
      ['/admin/broadcasts', '/admin/broadcasts'],
      ['/admin/broadcasts/new', '/admin/broadcasts/new'],
      ['/admin/content', '/admin/content'],
      ['/admin/reminders', '/admin/reminders'],
      ['/admin/audit', '/admin/audit'],
      ['/admin/profile', '/admin/profile'],
    ];
    const present = pages.filter(([route]) => has(route));
    expect(present.length).toBeGreaterThanOrEqual(10);
    const found: string[] = [];
    for (const width of [1280, 360]) {
      const { page, problems } = await j.open(width);
      await j.signIn(page, 'admin');
      for (const [, path] of present) {
        await page.goto(`${c.url}${path}`);
        found.push(...seriousA11yProblems(await j.axe(page)).map((x) => `${path} ${width}: ${x}`));
      }
      expect(withoutAxeInjection(problems)).toEqual([]);
    }
    expect(found).toEqual([]);
  });

  it('runs axe-core inside the page although the CSP refuses its inline script tag, and axe finds what it should', async () => {
    const { page, problems } = await j.open(1280);
    await page.goto(`${c.url}/admin/login`);
    // The check must be able to fail: a page with an unlabelled field and an image without alt text.
    await page.evaluate(() => {
      document.querySelector('main')!.insertAdjacentHTML('beforeend', '<input type="text" name="x"><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">');
    });
    const run = await j.axe(page);
    expect(run.injectedBy).toBe('evaluate');
    await expect.poll(() => problems.some((p) => p.includes("Content Security Policy directive 'script-src 'self''")), WAIT).toBe(true);
    const ids = seriousA11yProblems(run).map((x) => x.split(':')[0]);
    expect(ids).toEqual(expect.arrayContaining(['critical label', 'critical image-alt']));
  });
});
