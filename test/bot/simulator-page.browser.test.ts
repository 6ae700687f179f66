import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';

/**
 * The simulator web page in a real headless Chromium: Debian's /usr/bin/chromium driven by playwright-core
 * (Playwright's own browser downloads are never used). Install it with scripts/setup-browser.sh.
 * Locally, without Chromium, the file is skipped; on CI (CI=true) a missing Chromium is a failure.
 */
const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const inCI = process.env.CI === 'true';
const MISSING = `${CHROMIUM} not found: run scripts/setup-browser.sh to install Debian's Chromium`;
const WAIT = { timeout: 15_000 };

if (!hasChromium && !inCI) console.warn(`[simulator-page.browser.test] skipped: ${MISSING}`);

let app: TestApp | undefined;
let browser: Browser | undefined;
const contexts: BrowserContext[] = [];

/** A fresh page (own localStorage, so a new simulated user) at /simulator. */
async function openSimulator(viewport = { width: 1000, height: 800 }): Promise<Page> {
  const context = await browser!.newContext({ viewport, locale: 'vi-VN' });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(`${app!.url}/simulator`);
  await page.getByText('Gõ “xin chào” để bắt đầu.').waitFor(WAIT);
  return page;
}

async function type(page: Page, text: string): Promise<void> {
  await page.getByLabel('Tin nhắn').fill(text);
  await page.getByLabel('Tin nhắn').press('Enter');
}

/** Clicks the newest bot button with exactly this caption, waiting for it to appear. */
async function tap(page: Page, title: string): Promise<void> {
  const btn = page.locator('.msg.bot button').getByText(title, { exact: true }).last();
  await btn.waitFor(WAIT);
  await btn.click();
}

/** Waits until some bot bubble shows this text. */
async function botSays(page: Page, text: string): Promise<void> {
  await page.locator('.msg.bot', { hasText: text }).last().waitFor(WAIT);
}

describe.skipIf(!hasChromium && !inCI)(
  hasChromium ? 'simulator page in headless Chromium' : `simulator page in headless Chromium (${MISSING})`,
  () => {
    beforeAll(async () => {
      if (!hasChromium) throw new Error(`CI=true but ${MISSING}`);
      [app, browser] = await Promise.all([
        startTestApp(),
        chromium.launch({
          executablePath: CHROMIUM,
          args: [
            '--headless=new',
            '--no-sandbox',
            '--disable-gpu',
            '--disable-quic',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
          ],
        }),
      ]);
    });

    afterAll(async () => {
      for (const c of contexts) await c.close().catch(() => undefined);
      await browser?.close();
      await app?.close();
    });

    it('lets a parent on the Zalo look link to a class with typed text and buttons', async () => {
      const page = await openSimulator();
      expect(await page.evaluate(() => document.body.className)).toBe('zalo');

      await type(page, 'xin chào');
      await page.locator('.msg.me', { hasText: 'xin chào' }).waitFor(WAIT);
      await tap(page, 'Phụ huynh');
      await botSays(page, 'Con bạn học trường nào?');
      await tap(page, 'Trường THCS Nguyễn Thị Thập');
      await tap(page, '6A1');
      await botSays(page, 'Xong! Bạn đã liên kết với lớp 6A1 – Trường THCS Nguyễn Thị Thập.');
      await botSays(page, 'Bạn muốn làm gì?');

      // What the user tapped is echoed as their own bubbles, in order.
      const mine = await page.locator('.msg.me').allTextContents();
      expect(mine).toEqual(['xin chào', 'Phụ huynh', 'Trường THCS Nguyễn Thị Thập', '6A1']);
      // The menu arrives as real buttons carrying payloads.
      const menu = page.locator('.msg.bot', { hasText: 'Bạn muốn làm gì?' }).last().locator('button');
      expect(await menu.count()).toBeGreaterThan(0);
      expect(await menu.first().getAttribute('data-payload')).toBeTruthy();
      expect(await page.evaluate(() => document.body.classList.contains('zalo'))).toBe(true);
    });

    it('switches to the Messenger look and lets a student start', async () => {
      const page = await openSimulator();
      await page.getByLabel('Kênh').selectOption('messenger');
      await page.getByText('Đã chuyển kênh: Messenger (học sinh)').waitFor(WAIT);
      expect(await page.evaluate(() => document.body.className)).toBe('messenger');
      // The look really changes: Messenger's blue header now, and white text on the user's blue bubbles below.
      const headerBg = await page.locator('header').evaluate((el) => getComputedStyle(el).backgroundColor);
      expect(headerBg).toBe('rgb(10, 124, 255)');

      await type(page, 'chào');
      await tap(page, 'Học sinh');
      await botSays(page, 'Bạn học trường nào?');
      const mine = page.locator('.msg.me').last();
      expect(await mine.evaluate((el) => getComputedStyle(el).color)).toBe('rgb(255, 255, 255)');
      // The choice is remembered for the next visit.
      expect(await page.evaluate(() => localStorage.getItem('sim-channel'))).toBe('messenger');
    });

    it('fits a 360x640 phone: input and buttons inside the width, no horizontal scroll', async () => {
      const page = await openSimulator({ width: 360, height: 640 });
      await type(page, 'xin chào');
      await tap(page, 'Phụ huynh');
      await botSays(page, 'Con bạn học trường nào?');
      await page.locator('.msg.bot button').getByText('Trường THCS Nguyễn Thị Thập', { exact: true }).last().waitFor(WAIT);

      const within = async (selector: string) => {
        const boxes = await page.locator(selector).evaluateAll((els) =>
          els.map((el) => {
            const r = el.getBoundingClientRect();
            return { left: r.left, right: r.right, width: r.width };
          }),
        );
        expect(boxes.length, selector).toBeGreaterThan(0);
        for (const b of boxes) {
          expect(b.width, selector).toBeGreaterThan(0);
          expect(b.left, selector).toBeGreaterThanOrEqual(0);
          expect(b.right, selector).toBeLessThanOrEqual(360);
        }
      };
      await within('#text');
      await within('#composer button[type=submit]');
      await within('.msg.bot button');
      await within('header select, header input, header button');
      expect(await page.getByLabel('Tin nhắn').isVisible()).toBe(true);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

      await page.screenshot({ path: '/tmp/simulator.png' });
    });

    it('shows a message that arrives later, without the user writing again', async () => {
      const page = await openSimulator();
      await type(page, 'xin chào');
      await botSays(page, 'Bạn là:');
      const user = await page.getByLabel('Mã người dùng').inputValue();
      // A message produced outside this request (as a broadcast or reminder will be) goes through the outbox.
      await app!.db.prisma.delivery.create({
        data: { channel: 'simulator', accountId: 'zalo', recipient: user, laneKey: `simulator:zalo:${user}`, message: { type: 'text', text: 'Nhắc lịch: họp phụ huynh lúc 8 giờ sáng thứ Bảy.' } },
      });
      await botSays(page, 'Nhắc lịch: họp phụ huynh lúc 8 giờ sáng thứ Bảy.');
      expect(await page.locator('.msg.bot', { hasText: 'Bạn là:' }).count()).toBe(1);
    });
  },
);
