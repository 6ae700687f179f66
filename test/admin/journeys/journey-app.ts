import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { chosenAccountPassword } from '../../../src/services/staff/account-password.js';
import { createStaffAccount, type CreateStaffAccountRequest } from '../../../src/services/staff/create-staff-account.js';
import { createRepos } from '../../../src/store/repos.js';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import type { ConsoleApp, World } from '../helpers/console-app.js';
import { WAIT } from '../helpers/journeys.js';

// Journeys that cross from the chat to the console and back need the whole pipeline: the inbox worker runs the
// simulator's turns and the dispatcher sends what the console queues (startConsoleApp runs neither). So these start
// the real app as test/helpers/app.ts does, with the console accounts they sign in with.

/** The console accounts of these journeys, all of the demo school NTT (class NTT-6A1 for the teacher). */
export type JourneyIdentity = 'tip_handler' | 'school_admin' | 'teacher';
export interface JourneyAccount {
  id: string;
  email: string;
  password: string;
  name: string;
}

export interface JourneyApp {
  app: TestApp;
  url: string;
  school: { id: string; name: string };
  accounts: Record<JourneyIdentity, JourneyAccount>;
  /** What `startJourneys` reads of a console app (its address and the accounts `signIn` uses). */
  console: ConsoleApp;
  close(): Promise<void>;
}

/** The real app with its worker and dispatcher on a fresh database, and a tip handler, a school admin and a teacher of NTT. */
export async function startJourneyApp(): Promise<JourneyApp> {
  const app = await startTestApp();
  const p = app.db.prisma;
  const school = await p.school.findUniqueOrThrow({ where: { code: 'NTT' } });
  const ownClass = await p.class.findUniqueOrThrow({ where: { code: 'NTT-6A1' } });
  const specs: Record<JourneyIdentity, CreateStaffAccountRequest> = {
    tip_handler: { email: 'tinbao@journey.test', name: 'Tiếp nhận tin báo NTT (kiểm thử)', role: 'tip_handler', school: school.id },
    school_admin: { email: 'bgh@journey.test', name: 'Ban giám hiệu NTT (kiểm thử)', role: 'school_admin', school: school.id },
    teacher: { email: 'gv@journey.test', name: 'Giáo viên 6A1 (kiểm thử)', role: 'teacher', class: ownClass.id },
  };
  const accounts = {} as Record<JourneyIdentity, JourneyAccount>;
  for (const [who, spec] of Object.entries(specs) as [JourneyIdentity, CreateStaffAccountRequest][]) {
    const password = `mật-khẩu-${who}-hành-trình`;
    const out = await createStaffAccount(createRepos(p), spec, (await chosenAccountPassword(password))!, { actor: null, now: new Date() });
    if (!out.ok) throw new Error(`could not create ${who}: ${out.reason}`);
    accounts[who] = { id: out.account.id, email: out.account.email, password, name: out.account.name };
  }
  // startJourneys and its signIn read only `url` and `world.accounts`; the journeys sign in only as these three.
  const forJourneys: Pick<ConsoleApp, 'url'> & { world: Pick<World, 'accounts'> } = { url: app.url, world: { accounts: accounts as World['accounts'] } };
  return {
    app,
    url: app.url,
    school: { id: school.id, name: school.name },
    accounts,
    console: forJourneys as ConsoleApp,
    close: () => app.close(),
  };
}

/**
 * The simulator page (/simulator) as a person uses it: what they type or press, and the bot's answers as they show.
 * Each step waits for a new bot bubble that says what is expected (the page renders the replies the API returns, and
 * polls every few seconds for messages that come later, such as a handler's notice).
 */
export class SimulatorPage {
  private readonly bots: Locator;
  constructor(readonly page: Page) {
    this.bots = page.locator('#log .msg.bot');
  }

  /** The chat user id the page made up for this person (kept in its localStorage). */
  user(): Promise<string> {
    return this.page.locator('#user').inputValue();
  }

  /** Types a message and sends it; returns the first new bot bubble whose text matches `expected`. */
  async type(text: string, expected: string | RegExp): Promise<Locator> {
    return this.after(async () => {
      await this.page.getByLabel('Tin nhắn').fill(text);
      await this.page.getByRole('button', { name: 'Gửi', exact: true }).click();
    }, expected);
  }

  /** Presses a button of a bot bubble; returns the first new bot bubble whose text matches `expected`. */
  async press(bubble: Locator, title: string, expected: string | RegExp): Promise<Locator> {
    return this.after(() => bubble.getByRole('button', { name: title, exact: true }).click(), expected);
  }

  /** Waits (without doing anything) for a new bot bubble after the first `seen` whose text matches `expected`. */
  async arrives(seen: number, expected: string | RegExp): Promise<Locator> {
    const matches = (t: string) => (typeof expected === 'string' ? t.includes(expected) : expected.test(t));
    let index = -1;
    try {
      await expect
        .poll(async () => {
          index = (await this.bots.allInnerTexts()).findIndex((t, i) => i >= seen && matches(t));
          return index;
        }, WAIT)
        .toBeGreaterThanOrEqual(0);
    } catch {
      const log = await this.page.locator('#log').innerText();
      throw new Error(`no bot message matching ${String(expected)} after the first ${seen}; the chat shows:\n${log}`);
    }
    return this.bots.nth(index);
  }

  /** How many bot bubbles the page shows now. */
  count(): Promise<number> {
    return this.bots.count();
  }

  private async after(act: () => Promise<unknown>, expected: string | RegExp): Promise<Locator> {
    const seen = await this.count();
    await act();
    return this.arrives(seen, expected);
  }
}
