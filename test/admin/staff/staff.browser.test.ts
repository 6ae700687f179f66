import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsoleApp, type ConsoleApp } from '../helpers/console-app.js';
import { scrollsSideways, seriousA11yProblems, SKIP_BROWSER, startJourneys, WAIT, withoutAxeInjection, type Journeys } from '../helpers/journeys.js';

/**
 * The staff page in Debian's headless Chromium, as an office admin uses it: create an account through the form (its
 * password shown once, then used to sign in), change its role, at 360 and 1280 px without sideways scrolling, with
 * axe-core finding no serious or critical violation on the list, the form and the account page. Screenshots go to
 * test-results/console/. Skipped locally without Chromium; on CI a missing Chromium fails.
 */
describe.skipIf(SKIP_BROWSER)('the staff page in headless Chromium', () => {
  let c: ConsoleApp;
  let j: Journeys;
  beforeAll(async () => {
    c = await startConsoleApp();
    j = await startJourneys(c);
  });
  afterAll(async () => {
    await j?.close();
    await c?.close();
  });

  it.each([360, 1280])('creates an account and changes its role at %i px', async (width) => {
    const { page, problems } = await j.open(width);
    await j.signIn(page, 'admin');
    const checkPage = async (name: string) => {
      expect(await scrollsSideways(page), `${name} at ${width} px scrolls sideways`).toBe(false);
      expect(seriousA11yProblems(await j.axe(page)), `${name} at ${width} px`).toEqual([]);
      await j.screenshot(page, `staff-${name}`);
    };

    await page.getByRole('navigation', { name: 'Chức năng' }).getByRole('link', { name: 'Cán bộ', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Cán bộ' }).waitFor(WAIT);
    await page.getByRole('table', { name: /Tài khoản cán bộ/ }).getByRole('link', { name: c.world.accounts.teacher.name }).waitFor(WAIT);
    await checkPage('list');

    await Promise.all([page.waitForURL(`${c.url}/admin/staff/new`, WAIT), page.getByRole('link', { name: 'Thêm tài khoản' }).click()]);
    const email = `ho.van.moi.${width}@staff.test`;
    await page.getByLabel('Họ tên').fill(`Hồ Văn Mới ${width}`);
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Vai trò', { exact: true }).selectOption({ label: 'Giáo viên' });
    await page.getByLabel('Mã lớp (chỉ cho giáo viên)').fill('NTT-6A2');
    await checkPage('new');
    await Promise.all([page.waitForURL(`${c.url}/admin/staff`, WAIT), page.getByRole('button', { name: 'Tạo tài khoản' }).click()]);
    await page.getByRole('heading', { level: 1, name: 'Đã tạo tài khoản' }).waitFor(WAIT);
    const password = (await page.locator('.notice-success strong.code').innerText()).trim();
    expect(password).toMatch(/^[A-Za-z0-9_-]{20}$/);
    const created = await c.testDb.prisma.staffUser.findUniqueOrThrow({ where: { email } });
    expect(created).toMatchObject({ role: 'teacher', classId: c.world.classes.sameSchool.id });

    await Promise.all([page.waitForURL(`${c.url}/admin/staff/${created.id}`, WAIT), page.getByRole('link', { name: 'Xem tài khoản' }).click()]);
    await page.getByRole('heading', { level: 1, name: `Hồ Văn Mới ${width}` }).waitFor(WAIT);
    await checkPage('account');
    await page.getByLabel('Vai trò', { exact: true }).selectOption({ label: 'Cán bộ tiếp nhận tin báo' });
    await page.getByLabel('Đơn vị', { exact: true }).selectOption({ label: 'Trường THCS Nguyễn Thị Thập' });
    await page.getByLabel('Mã lớp (chỉ cho giáo viên)').fill('');
    await Promise.all([page.waitForURL(/\?saved=role$/, WAIT), page.getByRole('button', { name: 'Lưu vai trò' }).click()]);
    await page.getByText('Đã đổi vai trò, phạm vi.').waitFor(WAIT);
    expect(await c.testDb.prisma.staffUser.findUniqueOrThrow({ where: { id: created.id } })).toMatchObject({ role: 'tip_handler', schoolId: c.world.schools.own.id, classId: null });
    expect(await c.testDb.prisma.auditLog.count({ where: { action: 'role_changed', targetId: created.id } })).toBe(1);
    await checkPage('account-saved');

    // The password shown once signs the new account in, in a browser of its own, with its new role.
    const other = await j.open(width);
    await other.page.goto(`${c.url}/admin/login`);
    await other.page.getByLabel('E-mail').fill(email);
    await other.page.getByLabel('Mật khẩu').fill(password);
    await Promise.all([other.page.waitForURL(`${c.url}/admin`, WAIT), other.page.getByRole('button', { name: 'Đăng nhập' }).click()]);
    await other.page.locator('.account-role', { hasText: 'Cán bộ tiếp nhận tin báo' }).waitFor(WAIT);

    expect(withoutAxeInjection(problems)).toEqual([]);
    expect(withoutAxeInjection(other.problems)).toEqual([]);
  });
});
