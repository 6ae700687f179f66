import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { calendarMessages, calendarRunAt, calendarSource, loadCampaignCalendar, type CalendarEntryData } from '../../src/content/calendar/calendar.js';
import { loadCatalogue } from '../../src/content/catalogue.js';
import { OutMessageSchema } from '../../src/content/messages.schema.js';
import { FLOWS } from '../../src/flows/index.js';
import { parseReminderCron } from '../../src/services/reminders/cron-schedule.js';

const calendar = loadCampaignCalendar();
const bySlug = new Map(calendar.map((e) => [e.slug, e]));
const entry = (slug: string): CalendarEntryData => {
  const e = bySlug.get(slug);
  if (!e) throw new Error(`no calendar entry ${slug}`);
  return e;
};
// Letters only Vietnamese has: a text without any is missing its diacritics.
const VIETNAMESE = /[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]/i;

describe('the seeded campaign calendar', () => {
  it('is valid: every cron passes node-cron and our 5-field rules, texts are NFC Vietnamese then English', () => {
    expect(calendar.length).toBeGreaterThanOrEqual(6);
    for (const e of calendar) {
      if (e.cron) expect(parseReminderCron(e.cron), `${e.slug}: ${e.cron}`).toMatchObject({ ok: true });
      else expect(calendarRunAt(e), e.slug).toBeInstanceOf(Date);
      for (const text of [e.title, e.message.vi, e.source]) {
        expect(text, e.slug).toMatch(VIETNAMESE);
        expect(text.normalize('NFC')).toBe(text);
      }
      // English, apart from Vietnamese names given in parentheses.
      expect(e.message.en.replace(/\([^)]*\)/g, ''), e.slug).not.toMatch(/[ăâđêôơư]/i);
      for (const locale of ['vi', 'en'] as const) for (const m of calendarMessages(e, locale)) expect(OutMessageSchema.safeParse(m).success, e.slug).toBe(true);
    }
  });

  it('names its plan in each entry, and asks staff to confirm what the plans do not say', () => {
    for (const e of calendar) {
      expect(e.source, e.slug).toMatch(/Kế hoạch|Công văn|Luật/);
      if (e.needsReview) expect(calendarSource(e), e.slug).toContain('Cần cán bộ xác nhận: ');
      else expect(calendarSource(e)).toBe(e.source);
    }
  });

  it('points only at catalogue items and flows that exist', () => {
    const catalogue = loadCatalogue();
    const flowIds = new Set(FLOWS.map((f) => f.id));
    for (const e of calendar) {
      if (e.catalogueItem) expect(catalogue.get(e.catalogueItem), `${e.slug}: ${e.catalogueItem}`).toBeDefined();
      const payload = e.message.button?.payload;
      if (payload) expect(flowIds.has(payload.replace(/^FLOW:/, '').split(':')[0]!), `${e.slug}: ${payload}`).toBe(true);
    }
  });

  it("has the traffic-safety month's pledge reminders for parents and for students, to those who have not signed", () => {
    for (const [slug, role] of [['atgt-cam-ket-phu-huynh', 'parent'], ['atgt-cam-ket-hoc-sinh', 'student']] as const) {
      const e = entry(slug);
      expect(e).toMatchObject({ roles: [role], onlyUnpledged: true, campaign: 'thang-an-toan-giao-thong', message: { button: { payload: 'FLOW:pledge' } } });
      expect(e.source).toContain('Củ Chi');
      expect(e.source).toContain('II.2');
      expect(e.message.vi).toContain('cam kết');
    }
  });

  it('has a weekly helmet reminder for parents and students', () => {
    const e = entry('mu-bao-hiem-hang-tuan');
    const s = parseReminderCron(e.cron!);
    if (!s.ok) throw new Error(e.cron);
    expect(s.schedule.weekdays.size).toBe(1);
    expect(s.schedule.daysOfMonth.size).toBe(31);
    expect(e.roles).toEqual(['parent', 'student']);
    expect(e.message.vi).toContain('mũ bảo hiểm');
    expect(e.source).toContain('36/2024/QH15');
  });

  it('announces the 19/8 festival before the day, citing the plans and flagging the date for review', () => {
    const e = entry('ngay-hoi-19-8');
    const s = parseReminderCron(e.cron!);
    if (!s.ok) throw new Error(e.cron);
    expect([...s.schedule.months]).toEqual([8]);
    expect([...s.schedule.daysOfMonth][0]).toBeLessThan(19);
    expect(e.message.vi).toContain('Ngày hội toàn dân bảo vệ an ninh Tổ quốc');
    expect(e.source).toMatch(/II\.1/);
    expect(e.source).toMatch(/Lâm Đồng.*II\.4/);
    expect(e.needsReview).toBe(true);
  });

  it("reminds school staff of the Quận 7 reporting rule: quarterly before the 5th, yearly before 01/10", () => {
    const quarterly = entry('bao-cao-quy-ban-chi-dao-138');
    const yearly = entry('bao-cao-nam-ban-chi-dao-138');
    for (const e of [quarterly, yearly]) {
      expect(e.roles).toEqual(['staff']);
      expect(e.source).toContain('Phòng Giáo dục và Đào tạo Quận 7');
      expect(e.source).toContain('2536/KH-BCĐ ngày 02/5/2024');
      expect(e.source).toContain('mục 8');
      expect(e.source).toContain('trước ngày 05 hàng quý và trước ngày 01/10 hằng năm');
      expect(e.needsReview).toBe(true);
    }
    const q = parseReminderCron(quarterly.cron!);
    const y = parseReminderCron(yearly.cron!);
    if (!q.ok || !y.ok) throw new Error('cron');
    expect([...q.schedule.months].sort((a, b) => a - b)).toEqual([1, 4, 7, 10]);
    expect(Math.max(...q.schedule.daysOfMonth)).toBeLessThan(5);
    expect([...y.schedule.months]).toEqual([9]);
    expect(quarterly.message.vi).toContain('trước ngày 05');
    expect(yearly.message.vi).toContain('trước ngày 01/10');
  });

  it('reaches the demo schools by code', () => {
    for (const e of calendar) expect(e.schools).toEqual(['NTT', 'TP']);
  });
});

describe('loading a calendar', () => {
  it('names each invalid file and problem, and repeated slugs', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'calendar-'));
    const ok = { slug: 'a', title: 'Nhắc', cron: '0 8 * * 1', schools: ['NTT'], roles: ['parent'], message: { vi: 'Xin chào', en: 'Hello' }, source: 'Kế hoạch' };
    writeFileSync(path.join(dir, 'a.yaml'), JSON.stringify({ reminders: [ok] }));
    writeFileSync(path.join(dir, 'b.yaml'), JSON.stringify({ reminders: [ok, { ...ok, slug: 'c', at: '2026-08-16 08:00' }, { ...ok, slug: 'd', needsReview: true }] }));
    let message = '';
    try {
      loadCampaignCalendar(dir);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain('b.yaml');
    expect(message).toContain('exactly one of cron and at');
    expect(message).toContain('needsReview needs a reviewNote');
    writeFileSync(path.join(dir, 'b.yaml'), JSON.stringify({ reminders: [ok] }));
    expect(() => loadCampaignCalendar(dir)).toThrow(/slug "a" also used in a\.yaml/);
  });

  it('reads a one-off time as Vietnam local time', () => {
    const e = { at: '2026-08-16 08:00' } as CalendarEntryData;
    expect(calendarRunAt(e)?.toISOString()).toBe('2026-08-16T01:00:00.000Z');
  });
});
