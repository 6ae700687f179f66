import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsoleApp, type ConsoleApp, type Identity } from '../helpers/console-app.js';
import { SKIP_BROWSER, startJourneys, WAIT, type Journeys, type OpenPage } from '../helpers/journeys.js';
import { fixtureTip, type FixtureTip } from './tip-fixtures.js';

/**
 * The tips inbox and the pledge pages in Debian's headless Chromium: a real form post (Origin and Sec-Fetch-Site as
 * a browser sends them) triages a tip, no page breaks the CSP, every page fits 360 px, and screenshots of the inbox,
 * a tip and a class page at 360 and 1280 px go to test-results/ for review. Skipped locally without Chromium, like
 * test/admin/console.browser.test.ts.
 */
const SHOTS = 'test-results';

describe.skipIf(SKIP_BROWSER)('tips and pledges in headless Chromium', () => {
  let c: ConsoleApp;
  let j: Journeys;
  let tip: FixtureTip;
  beforeAll(async () => {
    c = await startConsoleApp();
    j = await startJourneys(c);
    const p = c.testDb.prisma;
    tip = await fixtureTip(p, { schoolId: c.world.schools.own.id, category: 'other', description: 'Có nhóm thanh niên lạ tụ tập, hút thuốc và trêu chọc học sinh nữ trước cổng trường mỗi chiều.', place: 'Cổng chính' });
    await fixtureTip(p, { schoolId: c.world.schools.own.id, urgent: true, category: 'weapons', description: 'Có học sinh mang pháo tự chế vào lớp.' });
    await fixtureTip(p, { schoolId: null, category: 'online_scam', description: 'Tin nhắn giả danh nhà trường đòi chuyển tiền học phí.' });
    mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(async () => {
    await j?.close();
    await c?.close();
  });

  /** A fresh browser context at this width, signed in as `who`. */
  async function open(width: number, who: Identity): Promise<OpenPage> {
    const opened = await j.open(width);
    await j.signIn(opened.page, who);
    return opened;
  }

  it('triages a tip through its form in a real browser', async () => {
    const { page, problems } = await open(1280, 'tip_handler');
    await page.goto(`${c.url}/admin/tips/${tip.id}`);
    await page.getByLabel('Lĩnh vực').selectOption('school_violence');
    await page.getByLabel('Trạng thái').selectOption('in_progress');
    await Promise.all([page.waitForURL(`${c.url}/admin/tips/${tip.id}?done=triaged`, WAIT), page.getByRole('button', { name: 'Lưu phân loại' }).click()]);
    await page.getByText('Đã lưu phân loại tin báo.').waitFor(WAIT);
    expect(await c.testDb.prisma.tip.findUniqueOrThrow({ where: { id: tip.id } })).toMatchObject({ category: 'school_violence', status: 'in_progress' });
    await page.getByLabel('Thêm ghi chú nội bộ').fill('Đã nhờ bảo vệ trường để ý cổng chính giờ tan học.');
    await Promise.all([page.waitForURL(`${c.url}/admin/tips/${tip.id}?done=noted`, WAIT), page.getByRole('button', { name: 'Lưu ghi chú' }).click()]);
    expect(problems).toEqual([]);
  });

  it('fits 360 px on every page, with screenshots at 360 and 1280 px', async () => {
    const pages: [Identity, string, string][] = [
      ['admin', '/admin/tips', 'tips-inbox'],
      ['admin', `/admin/tips/${tip.id}`, 'tip-detail'],
      ['admin', '/admin/pledges', 'pledges-schools'],
      ['teacher', '/admin/pledges', 'pledges-classes'],
      ['teacher', `/admin/pledges/classes/${c.world.classes.own.id}`, 'pledge-class'],
    ];
    for (const width of [360, 1280]) {
      const sessions = new Map<Identity, Awaited<ReturnType<typeof open>>>();
      for (const [who, path, name] of pages) {
        if (!sessions.has(who)) sessions.set(who, await open(width, who));
        const { page, problems } = sessions.get(who)!;
        await page.goto(`${c.url}${path}`);
        expect(await page.evaluate(() => document.documentElement.scrollWidth), `${path} at ${width}`).toBeLessThanOrEqual(width);
        await page.screenshot({ path: `${SHOTS}/${name}-${width}.png`, fullPage: true });
        expect(problems, path).toEqual([]);
      }
    }
  });
});
