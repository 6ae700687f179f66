// The reminder path end to end: a recurring reminder (19:30 every day, Asia/Ho_Chi_Minh) for a class is ticked by the
// scheduler, becomes a broadcast, is expanded and sent through the Zalo and Messenger doubles and into the class's
// Zalo group, once; a second tick, and a second app on the same database (another replica, or the process after a
// restart), do not send it again.
//
// The six contacts write to us through signed webhooks (onboarding with the class code). The reminder is created with
// the service `npm run`/the console use; the demo calendar's seeded reminders are switched off first (as staff can),
// so that only this one can be due whatever the date. The app runs on a test clock (`StartOptions.clock`) set to a
// Vietnamese evening after the wall clock; the scheduler is ticked by hand (`scheduler.tick(now)`), never by node-cron.
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/main.js';
import { linkGroupToClass } from '../../src/services/groups/link-group-to-class.js';
import { createReminder } from '../../src/services/reminders/create-reminder.js';
import { createRepos } from '../../src/store/repos.js';
import { startMessengerDouble, type MessengerDouble } from '../doubles/messenger-double.js';
import { startZaloDouble, type ZaloDouble } from '../doubles/zalo-double.js';
import { eventually, ZALO_OA_ID } from '../helpers/channels.js';
import { messengerWrites, nextVietnamTime, platformNow, startE2eApp, TestClock, turnsDone, zaloWrites, type E2eApp } from './e2e-helpers.js';

const CLASS_CODE = 'NTT-7A1';
const GROUP_ID = '8246013579024689999';
const ONE_OFF = 'Nhắc lịch: 19:35 hôm nay nhà trường gửi bản cam kết an toàn giao thông, phụ huynh và các em đọc kỹ giúp thầy cô.';
const TEXT = 'Nhắc lịch: tối nay 19:30 phụ huynh lớp 7A1 cùng con xem lại cách đội mũ bảo hiểm đúng cách trước khi đi học sáng mai.';
const zaloUsers = ['2468013579000101', '2468013579000102', '2468013579000103'];
const messengerUsers = ['7200000000101', '7200000000102', '7200000000103'];

let zalo: ZaloDouble;
let meta: MessengerDouble;
let app: E2eApp;
let second: RunningApp | undefined;
const clock = new TestClock();
const setupAt = nextVietnamTime(19, 20, Date.now() + 60_000);
const runAt = new Date(setupAt.getTime() + 10 * 60_000); // 19:30 in Vietnam

beforeAll(async () => {
  zalo = await startZaloDouble();
  meta = await startMessengerDouble();
  clock.set(setupAt);
  app = await startE2eApp({ zalo, messenger: meta }, clock);
});
afterAll(async () => {
  await second?.stop();
  await app?.close();
  await zalo?.close();
  await meta?.close();
});

const has = (m: unknown, text: string) => JSON.stringify(m).includes(text);
const zaloGot = (text = TEXT) => zalo.sent().filter((s) => has(s.message, text)).map((s) => `${s.kind}:${s.to}`);
const messengerGot = (text = TEXT) => meta.sent().filter((s) => has(s.message, text)).map((s) => s.recipientId);
const sorted = (xs: string[]) => [...xs].sort();
const counts = async () => ({
  runs: await app.db.prisma.reminderRun.count(),
  broadcasts: await app.db.prisma.broadcast.count(),
  deliveries: await app.db.prisma.delivery.count({ where: { broadcastId: { not: null } } }),
});

describe('a class reminder run by the scheduler', { timeout: 180_000 }, () => {
  let reminderId = '';

  it('reaches the class through Zalo, Messenger and the class group at its time, once', async () => {
    const steps: [string, string, { text: string; quickReply?: string }][] = [
      ['hello', 'xin chào', { text: 'xin chào' }],
      ['role', '#ROLE:parent', { text: 'Học sinh', quickReply: 'ROLE:student' }],
      ['class', CLASS_CODE, { text: CLASS_CODE }],
    ];
    for (const [step, zaloText, messenger] of steps) {
      await Promise.all([
        ...zaloUsers.map((u) => zaloWrites(app, zalo, u, zaloText, `z-${u}-${step}`, platformNow(clock))),
        ...messengerUsers.map((u) => messengerWrites(app, meta, u, messenger, `m-${u}-${step}`, platformNow(clock))),
      ]);
      await turnsDone(app, [...zaloUsers.map((u) => `z-${u}-${step}`), ...messengerUsers.map((u) => `m-${u}-${step}`)], `the "${step}" turns`);
    }
    const cls = await app.db.prisma.class.findFirstOrThrow({ where: { code: CLASS_CODE } });
    expect(await app.db.prisma.contact.count({ where: { classId: cls.id } })).toBe(6);
    zalo.addGroup({ id: GROUP_ID, name: 'Phụ huynh lớp 7A1' });
    await app.db.prisma.zaloGroup.create({ data: { id: GROUP_ID, accountId: ZALO_OA_ID, name: 'Phụ huynh lớp 7A1' } });
    expect(await linkGroupToClass(createRepos(app.db.prisma), { groupId: GROUP_ID, classCode: CLASS_CODE })).toMatchObject({ ok: true });

    await app.db.prisma.reminder.updateMany({ where: { slug: { not: null } }, data: { active: false } });
    const created = await createReminder(
      createRepos(app.db.prisma),
      {
        title: 'Nhắc đội mũ bảo hiểm (lớp 7A1)',
        cron: '30 19 * * *',
        audience: { schoolIds: [], classIds: [cls.id], roles: ['parent', 'student'], onlyUnpledged: false, includeGroups: true },
        message: { vi: [{ type: 'text', text: TEXT }] },
        source: 'Kế hoạch tháng an toàn giao thông của trường (kiểm thử)',
      },
      clock.now(),
    );
    if (!created.ok) throw new Error(`reminder not created: ${created.reason}`);
    reminderId = created.reminder.id;

    // Before its time, a tick does nothing.
    const early = await counts();
    await app.scheduler.tick(new Date(runAt.getTime() - 60_000));
    expect(await counts()).toEqual(early);

    clock.set(new Date(runAt.getTime() + 5_000));
    const report = await app.scheduler.tick(clock.now());
    expect(report).toMatchObject({ skipped: false, failed: [] });
    const runs = await app.db.prisma.reminderRun.findMany({ where: { reminderId } });
    expect(runs.map((r) => r.scheduledAt.toISOString())).toEqual([runAt.toISOString()]);
    const b = await app.db.prisma.broadcast.findUniqueOrThrow({ where: { id: runs[0]!.broadcastId! } });
    expect([b.source, b.sendAt.toISOString(), b.needsApproval]).toEqual([`reminder:${reminderId}`, runAt.toISOString(), false]);

    await eventually(() => zaloGot().length === 4 && messengerGot().length === 3, 'the reminder on both platforms and in the group');
    expect(sorted(zaloGot())).toEqual(sorted([...zaloUsers.map((u) => `user:${u}`), `group:${GROUP_ID}`]));
    expect(sorted(messengerGot())).toEqual(sorted(messengerUsers));
    await eventually(async () => (await app.db.prisma.delivery.count({ where: { broadcastId: b.id, status: 'sent' } })) === 7, 'every reminder row sent');
  });

  it('is not sent again by a second tick, nor by a second app on the same database ticking later', async () => {
    const after = await counts();
    await app.scheduler.tick(clock.now());
    clock.set(new Date(runAt.getTime() + 60_000));
    await app.scheduler.tick(clock.now());
    expect(await counts()).toEqual(after);

    // Another replica (or this server after a restart): on PostgreSQL its own connection, on the embedded database
    // the same one (PGlite has a single connection). Its boot re-seeds the calendar and keeps the seeded reminders off.
    const db = app.testDb.url ? await app.testDb.openAnother() : app.testDb;
    second = await startApp(app.config, { db, log: pino({ level: 'silent' }), clock: clock.now, scheduler: false });
    clock.set(new Date(runAt.getTime() + 5 * 60_000));
    const report = await second.scheduler.tick(clock.now());
    expect(report).toMatchObject({ skipped: false, failed: [] });
    expect(await counts()).toEqual(after);
    expect(await app.db.prisma.reminder.count({ where: { slug: { not: null }, active: true } })).toBe(0);
    expect((await app.db.prisma.reminder.findUniqueOrThrow({ where: { id: reminderId } })).lastRunAt?.toISOString()).toBe(runAt.toISOString());

    // No new outbox row exists, so nothing more can reach the doubles: each recipient got it exactly once.
    expect(sorted(zaloGot())).toEqual(sorted([...zaloUsers.map((u) => `user:${u}`), `group:${GROUP_ID}`]));
    expect(sorted(messengerGot())).toEqual(sorted(messengerUsers));
  });

  it('runs a one-off reminder once when both apps tick at the same moment', async () => {
    if (!second) throw new Error('the second app did not start');
    const cls = await app.db.prisma.class.findFirstOrThrow({ where: { code: CLASS_CODE } });
    const at = new Date(runAt.getTime() + 5 * 60_000 + 30_000); // 19:35:30
    const created = await createReminder(
      createRepos(app.db.prisma),
      {
        title: 'Gửi bản cam kết (lớp 7A1)',
        runAt: at,
        audience: { schoolIds: [], classIds: [cls.id], roles: ['parent', 'student'], onlyUnpledged: false, includeGroups: true },
        message: { vi: [{ type: 'text', text: ONE_OFF }] },
        source: 'Kế hoạch tháng an toàn giao thông của trường (kiểm thử)',
      },
      clock.now(),
    );
    if (!created.ok) throw new Error(`reminder not created: ${created.reason}`);
    const before = await counts();
    clock.set(new Date(at.getTime() + 2_000));
    const now = clock.now();
    const reports = await Promise.all([app.scheduler.tick(now), second.scheduler.tick(now)]);
    for (const r of reports) expect(r).toMatchObject({ skipped: false, failed: [] });
    const runs = await app.db.prisma.reminderRun.findMany({ where: { reminderId: created.reminder.id } });
    expect(runs.map((r) => [r.scheduledAt.toISOString(), r.broadcastId !== null])).toEqual([[at.toISOString(), true]]);
    expect((await counts()).broadcasts).toBe(before.broadcasts + 1);

    // Both apps dispatch (two replicas): each recipient still gets it once.
    await eventually(async () => (await app.db.prisma.delivery.count({ where: { broadcastId: runs[0]!.broadcastId!, status: 'sent' } })) === 7, 'every one-off row sent');
    expect(sorted(zaloGot(ONE_OFF))).toEqual(sorted([...zaloUsers.map((u) => `user:${u}`), `group:${GROUP_ID}`]));
    expect(sorted(messengerGot(ONE_OFF))).toEqual(sorted(messengerUsers));
  });
});
