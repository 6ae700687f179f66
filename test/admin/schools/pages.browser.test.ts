import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsoleApp, type ConsoleApp, type Identity } from '../helpers/console-app.js';
import { SKIP_BROWSER, startJourneys, WAIT, type Journeys, type OpenPage } from '../helpers/journeys.js';

/**
 * The school, content and broadcast pages in Debian's headless Chromium: a roster imported through the real file
 * form (multipart, CSRF in the action's query, the browser's own Origin and Sec-Fetch-Site), a broadcast composed,
 * previewed and sent, and every page at 360 px without sideways scrolling or a CSP violation. Screenshots at 360 and
 * 1280 px go to test-results/ for review. Skipped without Chromium, as test/admin/console.browser.test.ts is.
 */
const SHOTS = path.join(process.cwd(), 'test-results', 'console-school-pages');

describe.skipIf(SKIP_BROWSER)('school, content and broadcast pages in headless Chromium', () => {
  let c: ConsoleApp;
  let j: Journeys;
  beforeAll(async () => {
    c = await startConsoleApp();
    j = await startJourneys(c);
    mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(async () => {
    await j?.close();
    await c?.close();
  });

  /** A fresh browser context at this width, signed in as `who`. */
  async function signedInPage(width: number, who: Identity): Promise<OpenPage> {
    const opened = await j.open(width, 800);
    await j.signIn(opened.page, who);
    return opened;
  }

  it('imports a roster through the file form: preview first, then the confirmation', async () => {
    const { page, problems } = await signedInPage(1280, 'school_admin');
    const cls = await c.testDb.prisma.class.create({ data: { schoolId: c.world.schools.own.id, name: '9B1', grade: 9, schoolYear: '2026-2027', code: 'NTT-9B1' } });
    await page.goto(`${c.url}/admin/classes/${cls.id}/roster`);
    await page.getByLabel('Tệp danh sách lớp').setInputFiles({ name: 'lop-9b1.csv', mimeType: 'text/csv', buffer: Buffer.from('STT,Họ và tên\n1,Ngô Bảo Châu\n2,trần  thị LAN\n', 'utf8') });
    await Promise.all([page.waitForURL(/\/roster\/preview/, WAIT), page.getByRole('button', { name: 'Xem trước' }).click()]);
    await page.getByText('Chưa có gì được thay đổi.').first().waitFor(WAIT);
    expect(await c.testDb.prisma.rosterEntry.count({ where: { classId: cls.id } })).toBe(0);
    await page.screenshot({ path: path.join(SHOTS, 'roster-preview-1280.png'), fullPage: true });
    await Promise.all([page.waitForURL(new RegExp(`/admin/classes/${cls.id}\\?saved=imported`), WAIT), page.getByRole('button', { name: /Xác nhận nhập danh sách/ }).click()]);
    await page.getByText('Đã nhập danh sách lớp: 2 học sinh thêm mới').waitFor(WAIT);
    expect((await c.testDb.prisma.rosterEntry.findMany({ where: { classId: cls.id }, orderBy: { studentName: 'asc' } })).map((r) => r.studentName)).toEqual(['Ngô Bảo Châu', 'Trần Thị Lan']);
    expect(problems).toEqual([]);
  });

  it('composes a broadcast, shows its preview and forecast, and sends it', async () => {
    const { page, problems } = await signedInPage(1280, 'school_admin');
    await page.goto(`${c.url}/admin/broadcasts/new`);
    await page.getByLabel('Lớp 6A1 – Trường THCS Nguyễn Thị Thập', { exact: false }).check();
    await page.getByLabel('Nội dung tự soạn').fill('Kính mời phụ huynh họp lớp lúc 19:00 thứ Sáu.');
    await Promise.all([page.waitForURL(/\/admin\/broadcasts\/preview/, WAIT), page.getByRole('button', { name: 'Xem trước và dự báo' }).click()]);
    await page.getByRole('heading', { name: 'Dự báo số người nhận' }).waitFor(WAIT);
    await page.screenshot({ path: path.join(SHOTS, 'broadcast-preview-1280.png'), fullPage: true });
    const before = await c.testDb.prisma.broadcast.count();
    await Promise.all([page.waitForURL(/\/admin\/broadcasts\/[^/?]+\?saved=created/, WAIT), page.getByRole('button', { name: 'Gửi thông báo' }).click()]);
    expect(await c.testDb.prisma.broadcast.count()).toBe(before + 1);
    expect(problems).toEqual([]);
  });

  it('fits every page on a 360 px screen, without a CSP violation', async () => {
    const item = 'atgt-cam-ket-an-toan-giao-thong';
    const paths = [
      '/admin/schools',
      `/admin/schools/${c.world.schools.own.id}`,
      `/admin/classes/${c.world.classes.own.id}`,
      `/admin/classes/${c.world.classes.own.id}/roster`,
      '/admin/schools/new',
      '/admin/content',
      `/admin/content/${item}`,
      '/admin/broadcasts',
      '/admin/broadcasts/new',
      '/admin/reminders',
    ];
    for (const width of [360, 1280]) {
      const { page, problems } = await signedInPage(width, 'admin');
      for (const [i, p] of paths.entries()) {
        const answer = await page.goto(`${c.url}${p}`);
        expect(answer?.status(), p).toBe(200);
        if (width === 360) expect(await page.evaluate(() => document.documentElement.scrollWidth), `${p} at 360 px`).toBeLessThanOrEqual(360);
        const name = `${String(i + 1).padStart(2, '0')}-${p.replace(/^\/admin\/?/, '').replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, 'id').replace(/[^a-z0-9]+/gi, '-')}`;
        await page.screenshot({ path: path.join(SHOTS, `${name}-${width}.png`), fullPage: true });
      }
      expect(problems, `at ${width} px`).toEqual([]);
    }
  });
});
