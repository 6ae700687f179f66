import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadCampaignCalendar } from '../../../src/content/calendar/calendar.js';
import type { Audience } from '../../../src/services/broadcasts/broadcast-types.js';
import { createBroadcast } from '../../../src/services/broadcasts/create-broadcast.js';
import { createReminder, type ReminderInput } from '../../../src/services/reminders/create-reminder.js';
import { runDueReminders } from '../../../src/services/reminders/run-due-reminders.js';
import type { CreateBroadcast } from '../../../src/services/reminders/run-reminder.js';
import { seedCampaignCalendar } from '../../../src/services/reminders/seed-calendar.js';
import { seedDemoData } from '../../../src/store/demo-seed.repo.js';
import { createRepos } from '../../../src/store/repos.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.js';

const vn = (y: number, mo: number, d: number, h = 0, mi = 0) => new Date(Date.UTC(y, mo - 1, d, h - 7, mi));
const MIN = 60_000;
const DAY = 86_400_000;

let testDb: TestDatabase;
let schoolIds: string[];
let campaignId: string;
beforeAll(async () => {
  testDb = await createTestDatabase();
  // The demo district; its campaign runs from the 1st of this month (of `now`) for 90 days.
  await seedDemoData(testDb.prisma, vn(2026, 12, 1));
  schoolIds = (await testDb.prisma.school.findMany({ orderBy: { code: 'asc' } })).map((s) => s.id);
  campaignId = (await testDb.prisma.campaign.findUniqueOrThrow({ where: { slug: 'thang-an-toan-giao-thong' } })).id;
});
afterAll(async () => {
  await testDb.drop();
});
beforeEach(async () => {
  await testDb.prisma.reminder.deleteMany({});
  await testDb.prisma.reminderRun.deleteMany({});
  await testDb.prisma.broadcast.deleteMany({});
});

const text = (t: string) => [{ type: 'text' as const, text: t }];
const audience = (over: Partial<Audience> = {}): Audience => ({ schoolIds, classIds: [], roles: ['parent'], onlyUnpledged: false, includeGroups: false, ...over });
async function reminder(over: Partial<ReminderInput> & { createdAt?: Date } = {}) {
  const { createdAt = vn(2026, 12, 1), ...input } = over;
  const r = await createReminder(
    createRepos(testDb.prisma),
    { title: 'Nhắc cam kết', cron: '30 19 * * 1', audience: audience(), message: { vi: text('Mời Quý phụ huynh ký cam kết.'), en: text('Please sign the pledge.') }, source: 'Kế hoạch', ...input },
    createdAt,
  );
  if (!r.ok) throw new Error(r.reason);
  return r.reminder.id;
}
const runsOf = (id: string) => testDb.prisma.reminderRun.findMany({ where: { reminderId: id }, orderBy: { scheduledAt: 'asc' } });
const broadcastsOf = (id: string) => testDb.prisma.broadcast.findMany({ where: { source: `reminder:${id}` } });
const tick = (now: Date, createBroadcastFn?: CreateBroadcast) => runDueReminders({ prisma: testDb.prisma, ...(createBroadcastFn ? { createBroadcast: createBroadcastFn } : {}) }, now);

describe('creating a reminder', () => {
  it('validates the schedule with node-cron and the content', async () => {
    const repos = createRepos(testDb.prisma);
    const base: ReminderInput = { title: 'Nhắc', audience: audience(), message: { vi: text('Xin chào') }, source: 'Kế hoạch' };
    const now = vn(2026, 12, 1);
    expect(await createReminder(repos, { ...base, cron: '0 25 * * *' }, now)).toEqual({ ok: false, reason: 'cron_invalid' });
    expect(await createReminder(repos, { ...base, cron: '0 7 * * * *' }, now)).toEqual({ ok: false, reason: 'cron_not_five_fields' });
    expect(await createReminder(repos, { ...base, cron: '0 0 L * *' }, now)).toEqual({ ok: false, reason: 'cron_unsupported_token' });
    expect(await createReminder(repos, base, now)).toEqual({ ok: false, reason: 'no_schedule' });
    expect(await createReminder(repos, { ...base, cron: '0 7 * * 1', runAt: now }, now)).toEqual({ ok: false, reason: 'both_schedules' });
    expect(await createReminder(repos, { ...base, cron: '0 7 * * 1', audience: audience({ schoolIds: [] }) }, now)).toEqual({ ok: false, reason: 'invalid_content' });
    expect(await createReminder(repos, { ...base, cron: '0 7 * * 1', message: { vi: [] } }, now)).toEqual({ ok: false, reason: 'invalid_content' });
    expect(await createReminder(repos, { ...base, slug: 'x', cron: ' 0  7 * * 1 ' }, now)).toMatchObject({ ok: true, reminder: { cron: '0 7 * * 1', createdAt: now } });
    expect(await createReminder(repos, { ...base, slug: 'x', cron: '0 7 * * 1' }, now)).toEqual({ ok: false, reason: 'slug_taken' });
    expect(await testDb.prisma.reminder.count()).toBe(1);
  });
});

describe('a reminder tick', () => {
  it('creates the broadcast of a run: reminder author, scheduled send time, Vietnamese messages, the audience and campaign', async () => {
    const id = await reminder({ campaignId, audience: audience({ onlyUnpledged: true }) });
    const monday = vn(2026, 12, 7, 19, 30);
    const report = await tick(new Date(monday.getTime() + 800));
    expect(report.failed).toEqual([]);
    expect(report.outcomes).toEqual([expect.objectContaining({ kind: 'broadcast', reminderId: id, scheduledAt: monday, missed: 0, status: 'scheduled', needsApproval: false, approverContactIds: [] })]);
    const [b] = await broadcastsOf(id);
    expect(b).toMatchObject({ sendAt: monday, campaignId, status: 'scheduled', message: text('Mời Quý phụ huynh ký cam kết.'), audience: audience({ onlyUnpledged: true }) });
    expect(await runsOf(id)).toEqual([expect.objectContaining({ scheduledAt: monday, broadcastId: b!.id })]);
  });

  it('sends nothing outside its campaign, and says so once', async () => {
    const id = await reminder({ campaignId });
    // The demo campaign runs 01/12/2026 – 01/03/2027 (90 days): Monday 08/03/2027 is after it.
    const after = vn(2027, 3, 8, 19, 30);
    await testDb.prisma.reminder.update({ where: { id }, data: { lastRunAt: vn(2027, 3, 1, 19, 30) } });
    expect((await tick(after)).outcomes).toEqual([{ kind: 'outside_campaign', reminderId: id, scheduledAt: after, missed: 0 }]);
    expect((await tick(new Date(after.getTime() + MIN))).outcomes).toEqual([]);
    expect(await broadcastsOf(id)).toHaveLength(0);
    expect(await runsOf(id)).toEqual([expect.objectContaining({ scheduledAt: after, broadcastId: null })]);
    // A campaign switched off stops it too.
    await testDb.prisma.campaign.update({ where: { id: campaignId }, data: { active: false } });
    await testDb.prisma.reminder.update({ where: { id }, data: { lastRunAt: vn(2026, 12, 1) } });
    expect((await tick(vn(2026, 12, 7, 19, 30))).outcomes).toMatchObject([{ kind: 'outside_campaign' }]);
    await testDb.prisma.campaign.update({ where: { id: campaignId }, data: { active: true } });
  });

  it('records a run beyond the catch-up window as missed and sends nothing', async () => {
    const id = await reminder({ createdAt: vn(2026, 12, 1) });
    // Monday 07/12 19:30, looked at on Friday 11/12 at 08:00: more than 72 h late.
    expect((await tick(vn(2026, 12, 11, 8))).outcomes).toEqual([{ kind: 'missed', reminderId: id, scheduledAt: vn(2026, 12, 7, 19, 30), missed: 1 }]);
    expect(await broadcastsOf(id)).toHaveLength(0);
    expect(await runsOf(id)).toEqual([expect.objectContaining({ scheduledAt: vn(2026, 12, 7, 19, 30), broadcastId: null })]);
    // A wider window, as an option, sends it.
    const id2 = await reminder({ createdAt: vn(2026, 12, 1) });
    const report = await runDueReminders({ prisma: testDb.prisma, catchUp: { graceMs: 7 * DAY } }, vn(2026, 12, 11, 8));
    expect(report.outcomes).toEqual([expect.objectContaining({ kind: 'broadcast', reminderId: id2 })]);
    expect((await broadcastsOf(id2))[0]!.sendAt).toEqual(vn(2026, 12, 11, 8));
  });

  it('runs at any hour: a night reminder is created, the dispatcher defers its sends', async () => {
    const id = await reminder({ cron: '30 23 * * *' });
    const night = vn(2026, 12, 2, 23, 30);
    expect((await tick(night)).outcomes).toMatchObject([{ kind: 'broadcast', scheduledAt: night }]);
    expect(await broadcastsOf(id)).toHaveLength(1);
  });

  it('a refused broadcast is recorded and not retried; a failing transaction leaves nothing and is retried', async () => {
    const refused = await reminder();
    const monday = vn(2026, 12, 7, 19, 30);
    const refuse: CreateBroadcast = async () => ({ ok: false, reason: 'empty_audience' });
    expect((await tick(monday, refuse)).outcomes).toEqual([{ kind: 'not_created', reminderId: refused, scheduledAt: monday, missed: 0, reason: 'empty_audience' }]);
    expect((await tick(new Date(monday.getTime() + MIN), refuse)).outcomes).toEqual([]);
    expect(await runsOf(refused)).toEqual([expect.objectContaining({ broadcastId: null })]);

    await testDb.prisma.reminder.deleteMany({});
    const flaky = await reminder();
    const boom: CreateBroadcast = async () => {
      throw new TypeError('database went away');
    };
    expect(await tick(monday, boom)).toEqual({ outcomes: [], failed: [{ reminderId: flaky, error: 'TypeError' }] });
    expect(await runsOf(flaky)).toEqual([]);
    expect((await testDb.prisma.reminder.findUniqueOrThrow({ where: { id: flaky } })).lastRunAt).toBeNull();
    expect((await tick(new Date(monday.getTime() + MIN), createBroadcast)).outcomes).toMatchObject([{ kind: 'broadcast', reminderId: flaky, scheduledAt: monday }]);
  });

  it('a reminder whose stored content is unusable is recorded, sends nothing, and is not retried', async () => {
    const id = await reminder();
    await testDb.prisma.reminder.update({ where: { id }, data: { audience: { schoolIds: [], classIds: [], roles: ['parent'] } } });
    expect((await tick(vn(2026, 12, 7, 19, 30))).outcomes).toMatchObject([{ kind: 'invalid_content', reminderId: id }]);
    expect((await tick(vn(2026, 12, 7, 19, 31))).outcomes).toEqual([]);
    await testDb.prisma.reminder.update({ where: { id }, data: { cron: '99 * * * *' } });
    expect((await tick(vn(2026, 12, 14, 19, 30))).outcomes).toEqual([{ kind: 'invalid_schedule', reminderId: id }]);
  });

  it('an inactive reminder never runs', async () => {
    const id = await reminder({ active: false });
    expect((await tick(vn(2026, 12, 7, 19, 30))).outcomes).toEqual([]);
    expect(await runsOf(id)).toEqual([]);
  });
});

describe('the seeded calendar', () => {
  it('runs on its days: students\' pledge on Wednesday, helmets on Monday morning, parents\' pledge on Monday evening, reports on the 1st', async () => {
    const seededAt = vn(2026, 12, 2, 10);
    await seedCampaignCalendar(createRepos(testDb.prisma), loadCampaignCalendar(), seededAt);
    const bySlug = new Map((await testDb.prisma.reminder.findMany()).map((r) => [r.slug, r.id]));
    expect((await tick(vn(2026, 12, 2, 16, 59))).outcomes).toEqual([]);
    // Wednesday 17:00: the students' pledge reminder.
    expect((await tick(vn(2026, 12, 2, 17))).outcomes).toEqual([expect.objectContaining({ kind: 'broadcast', reminderId: bySlug.get('atgt-cam-ket-hoc-sinh') })]);
    expect((await broadcastsOf(bySlug.get('atgt-cam-ket-hoc-sinh')!))[0]!.audience).toMatchObject({ roles: ['student'], onlyUnpledged: true });
    expect((await tick(vn(2026, 12, 6, 12))).outcomes).toEqual([]);

    const morning = await tick(vn(2026, 12, 7, 6, 30));
    expect(morning.outcomes).toEqual([expect.objectContaining({ kind: 'broadcast', reminderId: bySlug.get('mu-bao-hiem-hang-tuan') })]);
    const [helmet] = await broadcastsOf(bySlug.get('mu-bao-hiem-hang-tuan')!);
    expect(helmet!.audience).toEqual({ schoolIds, classIds: [], roles: ['parent', 'student'], onlyUnpledged: false, includeGroups: false });
    expect(JSON.stringify(helmet!.message)).toContain('mũ bảo hiểm');

    const evening = await tick(vn(2026, 12, 7, 19, 30));
    expect(evening.outcomes).toEqual([expect.objectContaining({ kind: 'broadcast', reminderId: bySlug.get('atgt-cam-ket-phu-huynh') })]);
    expect((await broadcastsOf(bySlug.get('atgt-cam-ket-phu-huynh')!))[0]).toMatchObject({ campaignId, audience: expect.objectContaining({ onlyUnpledged: true, roles: ['parent'] }) });

    // New Year's Day 2027 at 08:00: the quarterly report reminder goes to staff.
    await testDb.prisma.reminder.updateMany({ where: { slug: { not: 'bao-cao-quy-ban-chi-dao-138' } }, data: { active: false } });
    expect((await tick(vn(2027, 1, 1, 8))).outcomes).toEqual([expect.objectContaining({ kind: 'broadcast', reminderId: bySlug.get('bao-cao-quy-ban-chi-dao-138') })]);
    expect((await broadcastsOf(bySlug.get('bao-cao-quy-ban-chi-dao-138')!))[0]!.audience).toMatchObject({ roles: ['staff'] });
  });
});
