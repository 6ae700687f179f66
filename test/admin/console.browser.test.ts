import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsoleApp, type ConsoleApp } from './helpers/console-app.js';

/**
 * The console in Debian's headless Chromium (playwright-core, never a downloaded browser): what only a real browser
 * shows — its Origin and Sec-Fetch-Site on our form posts under `Referrer-Policy: no-referrer`, SameSite=Strict
 * cookies, the CSP (no violation), htmx from our origin carrying the CSRF header, and the layout at 360 px.
 * Skipped locally without Chromium (scripts/setup-browser.sh installs it); on CI a missing Chromium fails.
 */
const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const inCI = process.env.CI === 'true';
const WAIT = { timeout: 15_000 };

describe.skipIf(!hasChromium && !inCI)('the console in headless Chromium', () => {
  let c: ConsoleApp;
  let browser: Browser;
  beforeAll(async () => {
    if (!hasChromium) throw new Error(`CI=true but ${CHROMIUM} not found: run scripts/setup-browser.sh`);
    [c, browser] = await Promise.all([startConsoleApp(), chromium.launch({ executablePath: CHROMIUM, args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] })]);
  });
  afterAll(async () => {
    await browser?.close();
    await c?.close();
  });

  async function open(width: number): Promise<{ page: Page; problems: string[] }> {
    const context = await browser.newContext({ viewport: { width, height: 800 }, locale: 'vi-VN' });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' && !/favicon/.test(m.location().url)) problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    return { page, problems };
  }

  async function signIn(page: Page, who: 'admin' | 'teacher'): Promise<void> {
    await page.goto(`${c.url}/admin/login`);
    await page.getByLabel('E-mail').fill(c.world.accounts[who].email);
    await page.getByLabel('Mật khẩu').fill(c.world.accounts[who].password);
    await Promise.all([page.waitForURL(`${c.url}/admin`, WAIT), page.getByRole('button', { name: 'Đăng nhập' }).click()]);
  }

  it('signs in through the form, loads htmx and our script without a CSP violation, and signs out', async () => {
    const { page, problems } = await open(1280);
    await signIn(page, 'admin');
    await page.getByText(`Xin chào ${c.world.accounts.admin.name}.`).waitFor(WAIT);
    expect(await page.evaluate(() => typeof (window as unknown as { htmx?: object }).htmx)).toBe('object');
    await Promise.all([page.waitForURL(`${c.url}/admin/login`, WAIT), page.getByRole('button', { name: 'Đăng xuất' }).click()]);
    await page.goto(`${c.url}/admin/profile`);
    expect(page.url()).toBe(`${c.url}/admin/login?next=%2Fadmin%2Fprofile`);
    expect(problems).toEqual([]);
  });

  it('sends the CSRF token with an htmx request', async () => {
    const { page, problems } = await open(1280);
    await signIn(page, 'teacher');
    const status = await page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          const htmx = (window as unknown as { htmx: { ajax(m: string, u: string, o: object): Promise<void> } }).htmx;
          document.body.addEventListener('htmx:afterRequest', (e) => resolve((e as CustomEvent<{ xhr: XMLHttpRequest }>).detail.xhr.status), { once: true });
          void htmx.ajax('POST', '/admin/profile/link-code', { target: '#main', swap: 'none' });
        }),
    );
    expect(status).toBe(200);
    const row = await c.testDb.prisma.staffUser.findUniqueOrThrow({ where: { id: c.world.accounts.teacher.id } });
    expect(row.linkCodeHash).not.toBeNull();
    expect(problems).toEqual([]);
  });

  it('fits a 360 px screen without sideways scrolling', async () => {
    const { page } = await open(360);
    await signIn(page, 'admin');
    for (const path of ['/admin', '/admin/profile', '/admin/login']) {
      await page.goto(`${c.url}${path}`);
      expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(360);
    }
  });
});
