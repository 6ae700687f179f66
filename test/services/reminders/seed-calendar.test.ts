import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadCampaignCalendar, type CalendarEntryData } from '../../../src/content/calendar/calendar.js';
import { planReminderRun } from '../../../src/services/reminders/plan-reminder-run.js';
import { seedCampaignCalendar } from '../../../src/services/reminders/seed-calendar.js';
import { seedDemoData } from '../../../src/store/demo-seed.repo.js';
import { createRepos } from '../../../src/store/repos.js';
import { createTestDatabase, PG_URL, type TestDatabase } from '../../helpers/db.js';

const calendar = loadCampaignCalendar();
const vn = (y: number, mo: number, d: number, h = 0, mi = 0) => new Date(Date.UTC(y, mo - 1, d, h - 7, mi));

// One database with the demo district for the file; each test starts without reminders.
let testDb: TestDatabase;
beforeAll(async () => {
  testDb = await createTestDatabase();
  await seedDemoData(testDb.prisma, vn(2026, 12, 1));
});
afterAll(async () => {
  await testDb.drop();
});
beforeEach(async () => {
  await testDb.prisma.reminder.deleteMany({});
});

const rows = () => testDb.prisma.reminder.findMany({ orderBy: { slug: 'asc' } });

describe('seeding the campaign calendar', () => {
  it('upserts by slug: a second boot changes nothing', async () => {
    const now = vn(2026, 12, 1, 9);
    const first = await seedCampaignCalendar(createRepos(testDb.prisma), calendar, now);
    expect(first).toEqual({ created: calendar.length, updated: 0, unchanged: 0, skipped: [] });
    const before = await rows();

    const again = await seedCampaignCalendar(createRepos(testDb.prisma), calendar, vn(2026, 12, 2, 9));
    expect(again).toEqual({ created: 0, updated: 0, unchanged: calendar.length, skipped: [] });
    expect(await rows()).toEqual(before);
  });

  it('resolves the demo schools and the campaign to ids, keeps both languages and names the plan', async () => {
    const now = vn(2026, 12, 1, 9);
    await seedCampaignCalendar(createRepos(testDb.prisma), calendar, now);
    const schools = await testDb.prisma.school.findMany({ where: { code: { in: ['NTT', 'TP'] } }, orderBy: { code: 'asc' } });
    const campaign = await testDb.prisma.campaign.findUniqueOrThrow({ where: { slug: 'thang-an-toan-giao-thong' } });
    const stored = new Map((await rows()).map((r) => [r.slug, r]));

    const pledge = stored.get('atgt-cam-ket-phu-huynh')!;
    expect(pledge).toMatchObject({ cron: '30 19 * * 1', runAt: null, campaignId: campaign.id, active: true, lastRunAt: null, createdAt: now });
    expect(pledge.audience).toEqual({ schoolIds: [schools[0]!.id, schools[1]!.id], classIds: [], roles: ['parent'], onlyUnpledged: true, includeGroups: false });
    expect(pledge.message).toEqual({
      vi: [{ type: 'buttons', text: expect.stringContaining('Quý phụ huynh'), buttons: [{ title: 'Cam kết ATGT', payload: 'FLOW:pledge' }] }],
      en: [{ type: 'buttons', text: expect.stringContaining('road-safety pledge'), buttons: [{ title: 'Road-safety pledge', payload: 'FLOW:pledge' }] }],
    });
    expect(pledge.source).toMatch(/^Kế hoạch ngày 07\/4\/2024 của Phòng Giáo dục và Đào tạo huyện Củ Chi.*Cần cán bộ xác nhận: /s);

    const yearly = stored.get('bao-cao-nam-ban-chi-dao-138')!;
    expect(yearly.audience).toMatchObject({ roles: ['staff'], onlyUnpledged: false });
    expect(yearly.campaignId).toBeNull();
    expect(yearly.message).toMatchObject({ vi: [{ type: 'text', text: expect.stringContaining('trước ngày 01/10') }] });
  });

  it('rewrites a changed entry, keeps staff switching it off, and a changed schedule never fires by itself', async () => {
    const now = vn(2026, 12, 1, 9);
    await seedCampaignCalendar(createRepos(testDb.prisma), calendar, now);
    await testDb.prisma.reminder.update({ where: { slug: 'ngay-hoi-19-8' }, data: { active: false } });

    // A new wording of the helmet reminder and a new time for it, a week later.
    const later = vn(2026, 12, 8, 9);
    const changed: CalendarEntryData[] = calendar.map((e) =>
      e.slug === 'mu-bao-hiem-hang-tuan' ? { ...e, cron: '0 6 * * 2', message: { ...e.message, vi: `${e.message.vi} Chúc cả nhà một tuần an toàn.` } } : e,
    );
    expect(await seedCampaignCalendar(createRepos(testDb.prisma), changed, later)).toMatchObject({ created: 0, updated: 1 });
    const helmet = await testDb.prisma.reminder.findUniqueOrThrow({ where: { slug: 'mu-bao-hiem-hang-tuan' } });
    expect(helmet).toMatchObject({ cron: '0 6 * * 2', lastRunAt: later });
    expect(JSON.stringify(helmet.message)).toContain('Chúc cả nhà một tuần an toàn.');
    // Tuesday 08/12 06:00 came before the change: not due; next Tuesday's is.
    expect(planReminderRun(helmet, vn(2026, 12, 8, 10)).kind).toBe('idle');
    expect(planReminderRun(helmet, vn(2026, 12, 15, 6))).toMatchObject({ kind: 'run', scheduledAt: vn(2026, 12, 15, 6) });

    expect((await testDb.prisma.reminder.findUniqueOrThrow({ where: { slug: 'ngay-hoi-19-8' } })).active).toBe(false);
    expect(await seedCampaignCalendar(createRepos(testDb.prisma), changed, later)).toMatchObject({ updated: 0, unchanged: calendar.length });
  });

  it('skips entries whose schools or campaign do not exist, and refuses an invalid cron', async () => {
    const elsewhere = calendar.map((e) => ({ ...e, schools: ['KHAC'] }));
    expect(await seedCampaignCalendar(createRepos(testDb.prisma), elsewhere, vn(2026, 12, 1))).toMatchObject({ created: 0, skipped: calendar.map((e) => ({ slug: e.slug, reason: 'no_school' })) });
    const otherCampaign = calendar.map((e) => (e.campaign ? { ...e, campaign: 'chien-dich-khac' } : e));
    const report = await seedCampaignCalendar(createRepos(testDb.prisma), otherCampaign, vn(2026, 12, 1));
    expect(report.skipped.map((s) => s.slug).sort()).toEqual(['atgt-cam-ket-hoc-sinh', 'atgt-cam-ket-phu-huynh']);
    expect(report.created).toBe(calendar.length - 2);
    // A school code that exists is enough: the missing ones are left out.
    await testDb.prisma.reminder.deleteMany({});
    await seedCampaignCalendar(createRepos(testDb.prisma), calendar.map((e) => ({ ...e, schools: ['NTT', 'KHAC'] })), vn(2026, 12, 1));
    const ntt = await testDb.prisma.school.findUniqueOrThrow({ where: { code: 'NTT' } });
    for (const r of await rows()) expect((r.audience as { schoolIds: string[] }).schoolIds).toEqual([ntt.id]);

    const bad = [{ ...calendar[0]!, slug: 'bad', campaign: undefined, cron: '0 25 * * *' }];
    await expect(seedCampaignCalendar(createRepos(testDb.prisma), bad, vn(2026, 12, 1))).rejects.toThrow(/"bad": cron_invalid/);
  });

  it('two replicas seeding at once store each reminder once', async () => {
    const other = PG_URL ? await testDb.openAnother() : testDb;
    const [a, b] = await Promise.all([seedCampaignCalendar(createRepos(testDb.prisma), calendar, vn(2026, 12, 1)), seedCampaignCalendar(createRepos(other.prisma), calendar, vn(2026, 12, 1))]);
    expect(a.created + b.created).toBe(calendar.length);
    expect(await testDb.prisma.reminder.count()).toBe(calendar.length);
  });
});
