import { getTasks } from 'node-cron';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { reminderJob, Scheduler, type ScheduledJob } from '../../src/bot/scheduler.js';
import { createReminder } from '../../src/services/reminders/create-reminder.js';
import type { Database } from '../../src/store/database.js';
import { createRepos } from '../../src/store/repos.js';
import { LogCapture } from '../helpers/app.js';
import { eventually } from '../helpers/channels.js';
import { createTestDatabase, PG_URL, type TestDatabase } from '../helpers/db.js';
import { BroadcastFixtures } from '../services/broadcasts/fixtures.js';

const silent = pino({ level: 'silent' });
const vn = (y: number, mo: number, d: number, h = 0, mi = 0) => new Date(Date.UTC(y, mo - 1, d, h - 7, mi));
const MIN = 60_000;

function capturedLog() {
  const logs = new LogCapture();
  return { logs, log: pino({ level: 'debug', base: undefined }, logs) };
}

/** A job whose runs stay open until the test releases them. */
function gatedJob(name: string) {
  const runs: Date[] = [];
  let release: (() => void) | undefined;
  const job: ScheduledJob = {
    name,
    run: (now) => {
      runs.push(now);
      return new Promise<void>((resolve) => (release = resolve));
    },
  };
  return { job, runs, release: () => release?.() };
}

let schedulers: Scheduler[] = [];
afterEach(async () => {
  await Promise.all(schedulers.map((s) => s.stop()));
  schedulers = [];
});
const track = (s: Scheduler) => (schedulers.push(s), s);

describe('the scheduler', () => {
  it('runs the registered jobs in order with the tick time; a failing job is logged by name only and the others go on', async () => {
    const { logs, log } = capturedLog();
    const calls: string[] = [];
    const s = track(
      new Scheduler({ log }, [
        { name: 'first', run: async (now) => void calls.push(`first ${now.toISOString()}`) },
        {
          name: 'broken',
          run: async () => {
            throw new Error('Nguyễn Văn An 0908123456 could not be reached');
          },
        },
      ]),
    );
    s.register({ name: 'last', run: async (now) => void calls.push(`last ${now.toISOString()}`) });
    expect(() => s.register({ name: 'last', run: async () => {} })).toThrow(/twice/);

    const at = vn(2026, 12, 7, 6, 30);
    const report = await s.tick(at);
    expect(report).toEqual({ skipped: false, ran: ['first', 'last'], failed: ['broken'] });
    expect(calls).toEqual([`first ${at.toISOString()}`, `last ${at.toISOString()}`]);
    const line = logs.lines.map((l) => JSON.parse(l)).find((l) => l.msg === 'scheduled job failed');
    expect(line).toMatchObject({ job: 'broken', err: 'Error' });
    expect(logs.lines.join('\n')).not.toMatch(/Nguyễn|0908123456|reached/);
  });

  it('never overlaps itself: a tick while one runs is skipped, and stop waits for the one in flight', async () => {
    const gated = gatedJob('slow');
    const s = track(new Scheduler({ log: silent }, [gated.job]));
    const first = s.tick(vn(2026, 1, 1, 8));
    await eventually(() => gated.runs.length === 1, 'the first tick started');
    expect(await s.tick(vn(2026, 1, 1, 8, 1))).toEqual({ skipped: true, ran: [], failed: [] });
    expect(gated.runs).toHaveLength(1);

    let stopped = false;
    const stopping = s.stop().then(() => (stopped = true));
    await new Promise((r) => setImmediate(r));
    expect(stopped).toBe(false); // still waiting for the slow job
    gated.release();
    await stopping;
    expect(await first).toEqual({ skipped: false, ran: ['slow'], failed: [] });
    // Stopped: later ticks do nothing.
    expect((await s.tick(vn(2026, 1, 1, 8, 2))).skipped).toBe(true);
    expect(gated.runs).toHaveLength(1);
  });

  it('ticks once at start with its clock, then on the node-cron timer, and removes its timer on stop', async () => {
    const seen: Date[] = [];
    const clock = vn(2026, 8, 16, 8);
    // Every second (node-cron's 6-field form) so the test sees the timer fire without waiting for a minute.
    const s = track(new Scheduler({ log: silent, now: () => clock, expression: '* * * * * *' }, [{ name: 'probe', run: async (now) => void seen.push(now) }]));
    expect(await s.start()).toEqual({ skipped: false, ran: ['probe'], failed: [] });
    expect(seen[0]?.toISOString()).toBe(clock.toISOString());
    expect([...getTasks().values()].some((t) => t.name === 'scheduler')).toBe(true);
    await eventually(() => seen.length >= 2, 'the node-cron timer ticked', 10_000);
    expect(seen.every((d) => d.getTime() === clock.getTime())).toBe(true);
    await s.stop();
    expect([...getTasks().values()].some((t) => t.name === 'scheduler')).toBe(false);
    const count = seen.length;
    expect((await s.tick()).skipped).toBe(true);
    expect(seen).toHaveLength(count);
  });
});

describe('the reminders job on a real database', () => {
  let testDb: TestDatabase;
  let other: Database;
  let fx: BroadcastFixtures;
  let schoolId: string;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    // Two replicas: on PostgreSQL a second client of its own, on PGlite (one connection) the same one.
    other = PG_URL ? await testDb.openAnother() : testDb;
    fx = new BroadcastFixtures(testDb.prisma);
    schoolId = (await fx.school({ classes: ['6A1'] })).id;
  });
  afterAll(async () => {
    await testDb.drop();
  });

  const text = (t: string) => [{ type: 'text' as const, text: t }];
  async function reminder(opts: { cron?: string; runAt?: Date; createdAt: Date }) {
    const created = await createReminder(
      createRepos(testDb.prisma),
      {
        title: 'Nhắc đội mũ bảo hiểm',
        cron: opts.cron ?? null,
        runAt: opts.runAt ?? null,
        audience: { schoolIds: [schoolId], classIds: [], roles: ['parent', 'student'], onlyUnpledged: false, includeGroups: false },
        message: { vi: text('Đội mũ bảo hiểm, cài quai đúng cách.'), en: text('Wear a helmet, strap fastened.') },
        source: 'Luật số 36/2024/QH15',
      },
      opts.createdAt,
    );
    if (!created.ok) throw new Error(created.reason);
    return created.reminder.id;
  }
  const broadcastsOf = (id: string) => testDb.prisma.broadcast.findMany({ where: { source: `reminder:${id}` }, orderBy: { createdAt: 'asc' } });
  const runsOf = (id: string) => testDb.prisma.reminderRun.findMany({ where: { reminderId: id }, orderBy: { scheduledAt: 'asc' } });
  const scheduler = (db: Database, now?: () => Date) => track(new Scheduler({ log: silent, ...(now ? { now } : {}) }, [reminderJob({ prisma: db.prisma, log: silent })]));

  it('two schedulers ticking the same minute run a reminder once', async () => {
    const id = await reminder({ cron: '30 6 * * 1', createdAt: vn(2026, 11, 25) });
    const monday = vn(2026, 11, 30, 6, 30);
    const [a, b] = [scheduler(testDb), scheduler(other)];
    const reports = await Promise.all([a.tick(new Date(monday.getTime() + 120)), b.tick(new Date(monday.getTime() + 450)), a.tick(monday), b.tick(monday)]);
    expect(reports.filter((r) => !r.skipped).every((r) => r.failed.length === 0)).toBe(true);

    const broadcasts = await broadcastsOf(id);
    expect(broadcasts).toHaveLength(1);
    expect(broadcasts[0]).toMatchObject({ status: 'scheduled', needsApproval: false, sendAt: monday, message: text('Đội mũ bảo hiểm, cài quai đúng cách.') });
    expect(await runsOf(id)).toEqual([expect.objectContaining({ scheduledAt: monday, broadcastId: broadcasts[0]!.id })]);
    expect((await testDb.prisma.reminder.findUniqueOrThrow({ where: { id } })).lastRunAt).toEqual(monday);

    // And again a minute later, on both: still once.
    await Promise.all([a.tick(new Date(monday.getTime() + MIN)), b.tick(new Date(monday.getTime() + MIN))]);
    expect(await broadcastsOf(id)).toHaveLength(1);
  });

  it('a restart after 3 days of downtime runs the weekly reminder once, not once per missed tick', async () => {
    const id = await reminder({ cron: '30 6 * * 1', createdAt: vn(2026, 12, 1) });
    // Runs on Monday 07/12, then the server stops on Sunday 13/12 at 20:00.
    const before = scheduler(testDb);
    await before.tick(vn(2026, 12, 7, 6, 30));
    await before.tick(vn(2026, 12, 13, 20));
    await before.stop();
    expect(await broadcastsOf(id)).toHaveLength(1);

    // Back on Wednesday 16/12 at 20:00: the boot tick runs Monday 14/12's time once (sent now, it is late).
    const bootAt = vn(2026, 12, 16, 20);
    let clock = bootAt;
    const after = scheduler(testDb, () => clock);
    expect(await after.start()).toMatchObject({ ran: ['reminders'], failed: [] });
    for (let i = 1; i <= 30; i++) {
      clock = new Date(bootAt.getTime() + i * MIN);
      await after.tick();
    }
    const broadcasts = await broadcastsOf(id);
    expect(broadcasts).toHaveLength(2);
    expect(broadcasts[1]!.sendAt).toEqual(bootAt);
    expect((await runsOf(id)).map((r) => [r.scheduledAt.toISOString(), r.broadcastId !== null])).toEqual([
      [vn(2026, 12, 7, 6, 30).toISOString(), true],
      [vn(2026, 12, 14, 6, 30).toISOString(), true],
    ]);
  });

  it('after a longer downtime runs only the latest time and records the older one as missed', async () => {
    const id = await reminder({ cron: '30 6 * * 1', createdAt: vn(2027, 1, 1) });
    // Never ticked from Friday 01/01 to Tuesday 12/01: Mondays 04/01 and 11/01 both fell in the gap.
    await scheduler(testDb).tick(vn(2027, 1, 12, 9));
    expect(await broadcastsOf(id)).toHaveLength(1);
    expect((await runsOf(id)).map((r) => [r.scheduledAt.toISOString(), r.broadcastId !== null])).toEqual([
      [vn(2027, 1, 4, 6, 30).toISOString(), false],
      [vn(2027, 1, 11, 6, 30).toISOString(), true],
    ]);
  });

  it('a one-off reminder runs once, at its time, whatever ticks follow', async () => {
    const at = vn(2027, 8, 16, 8);
    const id = await reminder({ runAt: at, createdAt: vn(2027, 8, 1) });
    const s = scheduler(testDb);
    await s.tick(new Date(at.getTime() - MIN));
    expect(await broadcastsOf(id)).toHaveLength(0);
    for (const t of [at.getTime(), at.getTime() + MIN, at.getTime() + 3600_000, at.getTime() + 86_400_000]) await s.tick(new Date(t));
    await scheduler(testDb).tick(new Date(at.getTime() + 2 * MIN)); // a restart, too
    const broadcasts = await broadcastsOf(id);
    expect(broadcasts).toHaveLength(1);
    expect(broadcasts[0]!.sendAt).toEqual(at);
    expect(await runsOf(id)).toHaveLength(1);
  });
});
