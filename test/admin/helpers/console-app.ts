import { pino } from 'pino';
import { loadConfig } from '../../../src/config.js';
import { startApp, type RunningApp } from '../../../src/main.js';
import { chosenAccountPassword } from '../../../src/services/staff/account-password.js';
import { createStaffAccount, type CreateStaffAccountRequest } from '../../../src/services/staff/create-staff-account.js';
import type { StaffRole } from '../../../src/services/staff/staff-scope.js';
import { startSession } from '../../../src/services/staff/start-session.js';
import { createRepos } from '../../../src/store/repos.js';
import { LogCapture } from '../../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.js';
import { Browser } from './browser.js';

/** A clock a test moves by hand (never backwards). */
export class TestClock {
  constructor(private t: Date) {}
  readonly now = (): Date => new Date(this.t);
  advance(ms: number): void {
    this.t = new Date(this.t.getTime() + ms);
  }
}

/** The accounts every console test has: one per role, all inside the demo office; plus a system-wide admin. */
export type Identity = StaffRole | 'system_admin';
export const ROLE_IDENTITIES: readonly StaffRole[] = ['admin', 'school_admin', 'teacher', 'tip_handler'];

/**
 * The places of the test world. "own" is what every role account reaches (the demo school NTT, its class 6A1, in
 * office PGD-Q7-DEMO); "sibling" is in the same office but outside the school-level accounts (school TP, class
 * NTT-6A2 for the teacher); "foreign" is in another office: outside every account but the system admin.
 */
export interface World {
  office: { id: string };
  foreignOffice: { id: string };
  schools: { own: { id: string }; sibling: { id: string }; foreign: { id: string } };
  classes: { own: { id: string }; sameSchool: { id: string }; foreign: { id: string } };
  accounts: Record<Identity, { id: string; email: string; password: string; name: string }>;
}

/** A console on a fresh database with a hand-moved clock. */
export interface ConsoleApp {
  url: string;
  app: RunningApp;
  testDb: TestDatabase;
  clock: TestClock;
  logs: LogCapture;
  world: World;
  /** A browser with no cookies (optionally from another loopback address). */
  browser(opts?: { localAddress?: string; origin?: string | null }): Browser;
  /** A browser already signed in as `who` (the session made directly, skipping the password's hash work). */
  signedIn(who: Identity): Promise<Browser>;
  /** A browser signed in through the sign-in form, as a person does it. */
  signInWithForm(who: Identity, opts?: { localAddress?: string }): Promise<Browser>;
  close(): Promise<void>;
}

// Inside a 15-minute and a 1-hour window, well away from their ends: the sign-in limits count in aligned windows.
function startOfTest(): Date {
  const hour = 3_600_000;
  return new Date(Math.ceil(Date.now() / hour) * hour + 2 * 60_000);
}

/** Starts the real app (console mounted by src/main.ts) without the background loops, its clock in the test's hand. */
export async function startConsoleApp(env: Record<string, string> = {}): Promise<ConsoleApp> {
  const testDb = await createTestDatabase();
  const clock = new TestClock(startOfTest());
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: `/tmp/ssb-test-${process.pid}`,
    APP_SECRET: 'test-secret-test-secret-test-secret-0123',
    SEED_DEMO: 'true',
    ...env,
  });
  const logs = new LogCapture();
  const app = await startApp(config, { db: testDb, log: pino({ level: 'info', base: undefined }, logs), background: false, clock: clock.now });
  const world = await buildWorld(testDb, clock.now());
  const browser = (opts: { localAddress?: string; origin?: string | null } = {}) => new Browser(app.url, opts);
  const cookieName = config.admin.cookieSecure ? '__Host-ssb_console' : 'ssb_console';
  return {
    url: app.url,
    app,
    testDb,
    clock,
    logs,
    world,
    browser,
    async signedIn(who) {
      const s = await startSession(createRepos(testDb.prisma), { staffId: world.accounts[who].id, now: clock.now(), policy: { idleMs: config.admin.sessionIdleMs, maxMs: config.admin.sessionMaxMs } });
      const b = browser();
      b.cookies.set(cookieName, s.token);
      await b.get('/admin');
      return b;
    },
    async signInWithForm(who, opts = {}) {
      const b = browser(opts);
      await b.get('/admin/login');
      const a = await b.post('/admin/login', { email: world.accounts[who].email, password: world.accounts[who].password });
      if (a.status !== 303) throw new Error(`sign-in of ${who} answered ${a.status}`);
      await b.get('/admin');
      return b;
    },
    async close() {
      await app.stop();
      await testDb.drop();
    },
  };
}

async function buildWorld(db: TestDatabase, now: Date): Promise<World> {
  const p = db.prisma;
  const office = await p.office.findUniqueOrThrow({ where: { code: 'PGD-Q7-DEMO' } });
  const own = await p.school.findUniqueOrThrow({ where: { code: 'NTT' } });
  const sibling = await p.school.findUniqueOrThrow({ where: { code: 'TP' } });
  const foreignOffice = await p.office.create({ data: { code: 'PGD-KHAC', name: 'Phòng GD&ĐT khác (kiểm thử)' } });
  const foreign = await p.school.create({ data: { officeId: foreignOffice.id, code: 'KHAC', name: 'Trường THCS Khác', level: 'THCS' } });
  const foreignClass = await p.class.create({ data: { schoolId: foreign.id, name: '6A1', grade: 6, schoolYear: '2026-2027', code: 'KHAC-6A1' } });
  const ownClass = await p.class.findUniqueOrThrow({ where: { code: 'NTT-6A1' } });
  const sameSchool = await p.class.findUniqueOrThrow({ where: { code: 'NTT-6A2' } });
  const specs: Record<Identity, CreateStaffAccountRequest> = {
    admin: { email: 'admin@console.test', name: 'Quản trị Phòng (kiểm thử)', role: 'admin', office: office.id },
    school_admin: { email: 'bgh@console.test', name: 'Ban giám hiệu NTT (kiểm thử)', role: 'school_admin', school: own.id },
    teacher: { email: 'gv@console.test', name: 'Giáo viên 6A1 (kiểm thử)', role: 'teacher', class: ownClass.id },
    tip_handler: { email: 'tinbao@console.test', name: 'Tiếp nhận tin báo NTT (kiểm thử)', role: 'tip_handler', school: own.id },
    system_admin: { email: 'root@console.test', name: 'Quản trị hệ thống (kiểm thử)', role: 'admin' },
  };
  const accounts = {} as World['accounts'];
  for (const [who, spec] of Object.entries(specs) as [Identity, CreateStaffAccountRequest][]) {
    const password = `mật-khẩu-${who}-12345`;
    const out = await createStaffAccount(createRepos(p), spec, (await chosenAccountPassword(password))!, { actor: null, now });
    if (!out.ok) throw new Error(`could not create ${who}: ${out.reason}`);
    accounts[who] = { id: out.account.id, email: out.account.email, password, name: out.account.name };
  }
  return {
    office: { id: office.id },
    foreignOffice: { id: foreignOffice.id },
    schools: { own: { id: own.id }, sibling: { id: sibling.id }, foreign: { id: foreign.id } },
    classes: { own: { id: ownClass.id }, sameSchool: { id: sameSchool.id }, foreign: { id: foreignClass.id } },
    accounts,
  };
}
