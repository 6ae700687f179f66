import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatVnDateTime } from '../../../src/content/vn-time.js';
import { nextRunsOf } from '../../../src/services/reminders/list-calendar.js';
import { startConsoleApp, type ConsoleApp } from '../helpers/console-app.js';

// The campaign calendar page: the seeded reminders that concern the account's schools, each with its next run times
// in Vietnam time (a campaign's reminders only on its days while it is on), and what staff must confirm.

const HOUR = 3600_000;
const DAY = 24 * HOUR;
let c: ConsoleApp;
beforeAll(async () => {
  c = await startConsoleApp();
});
afterAll(async () => {
  await c?.close();
});

/** The next Monday 06:30 in Vietnam strictly after `t` (the weekly helmet reminder, `30 6 * * 1`). */
function nextMonday0630(t: Date): Date {
  const local = t.getTime() + 7 * HOUR;
  const dayStart = Math.floor(local / DAY) * DAY;
  for (let d = 0; d <= 7; d++) {
    const candidate = dayStart + d * DAY + 6 * HOUR + 30 * 60_000;
    if (new Date(candidate).getUTCDay() === 1 && candidate > local) return new Date(candidate - 7 * HOUR);
  }
  throw new Error('unreachable');
}

describe('the campaign calendar', () => {
  it('lists the seeded reminders with their next run in Vietnam time and the notes to confirm', async () => {
    const b = await c.signedIn('school_admin');
    const a = await b.get('/admin/reminders');
    expect(a.status).toBe(200);
    const helmet = await c.testDb.prisma.reminder.findUniqueOrThrow({ where: { slug: 'mu-bao-hiem-hang-tuan' } });
    expect(a.text).toContain(helmet.title);
    const expected = nextMonday0630(new Date(Math.max(c.clock.now().getTime(), helmet.lastRunAt?.getTime() ?? 0)));
    const card = a.text.slice(a.text.indexOf(`id="reminder-${helmet.id}"`)).split('</section>')[0]!;
    expect(card).toContain(formatVnDateTime(expected));
    expect(card).toContain('Định kỳ, biểu thức cron “30 6 * * 1” (giờ Việt Nam)');
    expect(card).toContain('class="review-note">Cần cán bộ xác nhận:');
    expect(card).toContain('Trường THCS Nguyễn Thị Thập');
    // The school admin does not see the other school of the office by name.
    expect(card).not.toContain('Trường Tiểu học Tân Phong');
    expect(card).toContain('1 trường/lớp khác ngoài phạm vi của bạn');
    expect(a.text).toContain('30 ngày tới');
  });

  it('shows the campaign’s reminders as paused while their campaign is switched off', async () => {
    const campaign = await c.testDb.prisma.campaign.findUniqueOrThrow({ where: { slug: 'thang-an-toan-giao-thong' } });
    await c.testDb.prisma.campaign.update({ where: { id: campaign.id }, data: { active: false } });
    try {
      const b = await c.signedIn('admin');
      const a = await b.get('/admin/reminders');
      const pledge = await c.testDb.prisma.reminder.findUniqueOrThrow({ where: { slug: 'atgt-cam-ket-phu-huynh' } });
      const card = a.text.slice(a.text.indexOf(`id="reminder-${pledge.id}"`)).split('</section>')[0]!;
      expect(card).toContain('Chiến dịch của lịch nhắc đang tắt: không gửi.');
      expect(card).toContain('(đang tắt)');
    } finally {
      await c.testDb.prisma.campaign.update({ where: { id: campaign.id }, data: { active: true } });
    }
  });

  it('shows a reminder of another office only to the accounts that reach it', async () => {
    await c.testDb.prisma.reminder.create({
      data: {
        title: 'Nhắc riêng trường khác (kiểm thử)', cron: '0 7 * * *', source: 'Kế hoạch kiểm thử',
        audience: { schoolIds: [c.world.schools.foreign.id], classIds: [], roles: ['parent'], onlyUnpledged: false, includeGroups: false },
        message: { vi: [{ type: 'text', text: 'Nhắc' }], en: [] }, createdAt: c.clock.now(),
      },
    });
    for (const who of ['admin', 'school_admin', 'teacher'] as const) expect((await (await c.signedIn(who)).get('/admin/reminders')).text, who).not.toContain('Nhắc riêng trường khác');
    expect((await (await c.signedIn('system_admin')).get('/admin/reminders')).text).toContain('Nhắc riêng trường khác');
    expect((await (await c.signedIn('tip_handler')).get('/admin/reminders')).status).toBe(403);
  });
});

describe('next run times', () => {
  const campaign = (startsOn: string, endsOn: string, active = true) => ({ id: 'c', slug: 'c', title: 'C', startsOn: new Date(startsOn), endsOn: new Date(endsOn), active });
  const now = new Date('2026-12-01T03:00:00Z'); // 10:00 Tuesday 1/12 in Vietnam

  it('follows the cron expression in Vietnam time', () => {
    expect(nextRunsOf({ cron: '30 19 * * 1', runAt: null, active: true, lastRunAt: null }, null, now).runs.map((d) => d.toISOString())).toEqual(['2026-12-07T12:30:00.000Z', '2026-12-14T12:30:00.000Z', '2026-12-21T12:30:00.000Z']);
  });

  it('keeps to the campaign’s days and says when it is over', () => {
    const within = nextRunsOf({ cron: '0 8 * * *', runAt: null, active: true, lastRunAt: null }, campaign('2026-12-03T00:00:00Z', '2026-12-04T00:00:00Z'), now);
    expect(within.runs.map((d) => d.toISOString())).toEqual(['2026-12-03T01:00:00.000Z', '2026-12-04T01:00:00.000Z']);
    expect(nextRunsOf({ cron: '0 8 * * *', runAt: null, active: true, lastRunAt: null }, campaign('2026-11-01T00:00:00Z', '2026-11-20T00:00:00Z'), now).noRun).toBe('campaign_over');
    expect(nextRunsOf({ cron: '0 8 * * *', runAt: null, active: true, lastRunAt: null }, campaign('2026-11-01T00:00:00Z', '2027-11-20T00:00:00Z', false), now).noRun).toBe('campaign_off');
  });

  it('runs a one-off reminder once, and nothing when switched off', () => {
    const runAt = new Date('2026-12-05T01:00:00Z');
    expect(nextRunsOf({ cron: null, runAt, active: true, lastRunAt: null }, null, now).runs).toEqual([runAt]);
    expect(nextRunsOf({ cron: null, runAt, active: true, lastRunAt: runAt }, null, now).noRun).toBe('already_ran');
    expect(nextRunsOf({ cron: null, runAt: new Date('2026-11-05T01:00:00Z'), active: true, lastRunAt: null }, null, now).noRun).toBe('time_passed');
    expect(nextRunsOf({ cron: '0 8 * * *', runAt: null, active: false, lastRunAt: null }, null, now).noRun).toBe('switched_off');
    expect(nextRunsOf({ cron: '61 8 * * *', runAt: null, active: true, lastRunAt: null }, null, now).noRun).toBe('invalid_schedule');
  });
});
