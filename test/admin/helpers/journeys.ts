import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { ConsoleApp, Identity } from './console-app.js';

// Journeys through the console in Debian's headless Chromium (playwright-core; a browser is never downloaded).
// A journey file: `describe.skipIf(SKIP_BROWSER)(…)`, `const j = await startJourneys(app)` in beforeAll, then
// `const { page } = await j.open(1280)`, `await j.signIn(page, 'admin')`, `await j.screenshot(page, 'dashboard')`,
// `expectNoSeriousA11yProblems(await j.axe(page))`, `const file = await j.download(page, () => button.click())`.

/** Debian's Chromium (scripts/setup-browser.sh installs it). */
export const CHROMIUM = '/usr/bin/chromium';
export const HAS_CHROMIUM = existsSync(CHROMIUM);
const IN_CI = process.env.CI === 'true';
/** Skip browser journeys locally without Chromium; on CI (CI=true) a missing Chromium fails instead. */
export const SKIP_BROWSER = !HAS_CHROMIUM && !IN_CI;
/** Generous: the machine is shared (never a measure of speed). */
export const WAIT = { timeout: 20_000 };
/** Where screenshots and downloads go for review (git-ignored). */
export const RESULTS_DIR = path.resolve(import.meta.dirname, '../../../test-results/console');

const require = createRequire(import.meta.url);

/** One page of a fresh browser context, with what went wrong in it (console errors, CSP violations, page errors). */
export interface OpenPage {
  page: Page;
  context: BrowserContext;
  problems: string[];
}

/** An axe-core finding as the tests read it. */
export interface A11yViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

export interface Journeys {
  browser: Browser;
  /** A fresh context (own cookies) at this width, Vietnamese locale. */
  open(width: number, height?: number): Promise<OpenPage>;
  /** Signs in through the sign-in form as a person does, and waits for the dashboard. */
  signIn(page: Page, who: Identity): Promise<void>;
  /** Writes a full-page screenshot to test-results/console/<name>-<width>px.png; returns its path. */
  screenshot(page: Page, name: string): Promise<string>;
  /**
   * Runs axe-core (WCAG 2.1 A and AA rules, best practices) on the page as it is: every violation, any impact, and
   * how its source got in (`script-tag`: page.addScriptTag ran it; `evaluate`: the page's CSP refused the inline
   * script, whose refusal the page's console then shows, so the source was evaluated through the DevTools protocol).
   */
  axe(page: Page): Promise<{ violations: A11yViolation[]; injectedBy: 'script-tag' | 'evaluate' }>;
  /** Starts a download with `start` (a click), keeps the file under test-results/console/ and returns its bytes and name. */
  download(page: Page, start: () => Promise<unknown>): Promise<{ bytes: Buffer; filename: string }>;
  close(): Promise<void>;
}

/** Launches Chromium for the console app's journeys (throws on CI when Chromium is missing). */
export async function startJourneys(app: ConsoleApp): Promise<Journeys> {
  if (!HAS_CHROMIUM) throw new Error(`CI=true but ${CHROMIUM} not found: run scripts/setup-browser.sh`);
  mkdirSync(RESULTS_DIR, { recursive: true });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const contexts: BrowserContext[] = [];
  const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  return {
    browser,
    async open(width, height = 900) {
      const context = await browser.newContext({ viewport: { width, height }, locale: 'vi-VN', acceptDownloads: true });
      contexts.push(context);
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' && !/favicon/.test(m.location().url)) problems.push(m.text());
      });
      page.on('pageerror', (e) => problems.push(e.message));
      return { page, context, problems };
    },
    async signIn(page, who) {
      const account = app.world.accounts[who];
      await page.goto(`${app.url}/admin/login`);
      await page.getByLabel('E-mail').fill(account.email);
      await page.getByLabel('Mật khẩu').fill(account.password);
      await Promise.all([page.waitForURL(`${app.url}/admin`, WAIT), page.getByRole('button', { name: 'Đăng nhập' }).click()]);
    },
    async screenshot(page, name) {
      const width = page.viewportSize()?.width ?? 0;
      const file = path.join(RESULTS_DIR, `${name}-${width}px.png`);
      await page.screenshot({ path: file, fullPage: true });
      return file;
    },
    async axe(page) {
      // The console's CSP (script-src 'self') refuses an inline <script>, so addScriptTag({ content }) does not run
      // there; the DevTools protocol's evaluate is not subject to the page's CSP, so the source goes in that way then.
      const loaded = () => page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe === 'object');
      let injectedBy: 'script-tag' | 'evaluate' = 'script-tag';
      if (!(await loaded())) {
        await page.addScriptTag({ content: axeSource }).catch(() => undefined);
        if (!(await loaded())) {
          injectedBy = 'evaluate';
          await page.evaluate(axeSource);
        }
      }
      const violations = await page.evaluate(async () => {
        const axe = (window as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] }> } }).axe;
        const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] }, resultTypes: ['violations'] });
        return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => JSON.stringify(n.target)) }));
      });
      return { violations, injectedBy };
    },
    async download(page, start) {
      const [d] = await Promise.all([page.waitForEvent('download', WAIT), start()]);
      const filename = d.suggestedFilename();
      const file = path.join(RESULTS_DIR, filename);
      await d.saveAs(file);
      return { bytes: readFileSync(file), filename };
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => undefined);
      await browser.close();
    },
  };
}

/** The serious and critical ones of axe's violations, as readable lines (for an assertion that names them). */
export function seriousA11yProblems(run: { violations: A11yViolation[] }): string[] {
  return run.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.slice(0, 3).join(', ')}`);
}

/** The page's problems without the CSP's refusal of axe's inline script tag (expected: it proves the CSP holds). */
export function withoutAxeInjection(problems: string[]): string[] {
  return problems.filter((p) => !/^Executing inline script violates the following Content Security Policy directive 'script-src 'self''/.test(p));
}

/** Whether the page scrolls sideways (its content wider than the viewport). */
export async function scrollsSideways(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
}
