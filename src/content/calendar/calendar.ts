import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { OutMessage } from '../messages.schema.js';

/** Folder of the seeded campaign calendar (one YAML file per plan or campaign). */
export const CALENDAR_DIR = path.dirname(fileURLToPath(import.meta.url));

const Text = (max: number) => z.string().min(1).max(max).transform((s) => s.normalize('NFC').trim());

/** Who a calendar reminder is for (the roles of a broadcast audience). */
export const CalendarRoleSchema = z.enum(['parent', 'student', 'teacher', 'staff']);
export type CalendarRole = z.infer<typeof CalendarRoleSchema>;

/** A one-off time written as Vietnam local time, `2026-08-16 08:00`. */
const LOCAL_TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})$/;

const EntrySchema = z
  .object({
    slug: z.string().regex(/^[a-z0-9-]+$/),
    title: Text(120),
    /** 5-field cron in Asia/Ho_Chi_Minh (checked with node-cron when seeded and in test/content/calendar.test.ts). */
    cron: z.string().min(9).optional(),
    /** One-off, Vietnam local time. */
    at: z.string().regex(LOCAL_TIME).optional(),
    /** School codes of the audience (resolved to ids when seeded). */
    schools: z.array(z.string().min(1)).min(1),
    roles: z.array(CalendarRoleSchema).min(1),
    onlyUnpledged: z.boolean().default(false),
    includeGroups: z.boolean().default(false),
    /** Slug of the campaign the reminder belongs to: it then runs only while that campaign is active and in its dates. */
    campaign: z.string().regex(/^[a-z0-9-]+$/).optional(),
    /** A catalogue item the message is based on (checked to exist by the calendar test). */
    catalogueItem: z.string().regex(/^[a-z0-9-]+$/).optional(),
    message: z.object({
      vi: Text(1500),
      en: Text(1500),
      button: z.object({ vi: Text(20), en: Text(20), payload: z.string().min(1).max(200) }).optional(),
    }),
    /** The plan it comes from: document, issuer, date, clause. */
    source: Text(1000),
    /** Set when a date or rule is not in the plan, or the plan is incomplete: what staff must confirm. */
    needsReview: z.boolean().default(false),
    reviewNote: Text(1000).optional(),
  })
  .refine((e) => (e.cron === undefined) !== (e.at === undefined), 'exactly one of cron and at')
  .refine((e) => !e.needsReview || !!e.reviewNote, 'needsReview needs a reviewNote')
  .refine((e) => !e.onlyUnpledged || e.roles.every((r) => r === 'parent' || r === 'student'), 'onlyUnpledged is for parents and students only');

export const CalendarFileSchema = z.object({ reminders: z.array(EntrySchema).min(1) });
export type CalendarEntryData = z.infer<typeof EntrySchema>;

/** The text shown to staff where the seeded reminder came from, with the review note when it needs one. */
export function calendarSource(e: CalendarEntryData): string {
  return e.needsReview && e.reviewNote ? `${e.source} — Cần cán bộ xác nhận: ${e.reviewNote}` : e.source;
}

/** The neutral messages of an entry in one language: text, or text with its one button. */
export function calendarMessages(e: CalendarEntryData, locale: 'vi' | 'en'): OutMessage[] {
  const text = e.message[locale];
  const b = e.message.button;
  return [b ? { type: 'buttons', text, buttons: [{ title: b[locale], payload: b.payload }] } : { type: 'text', text }];
}

/** A one-off entry's time as an instant (Vietnam is UTC+7 all year), or null for a recurring one. */
export function calendarRunAt(e: CalendarEntryData): Date | null {
  const m = e.at ? LOCAL_TIME.exec(e.at) : null;
  if (!m) return null;
  const [, y, mo, d, h, mi] = m.map(Number) as [number, number, number, number, number, number];
  return new Date(Date.UTC(y, mo - 1, d, h - 7, mi));
}

/** Loads and validates every `*.yaml` under `dir`; throws one error naming each invalid file, and repeated slugs. */
export function loadCampaignCalendar(dir = CALENDAR_DIR): CalendarEntryData[] {
  const out: CalendarEntryData[] = [];
  const problems: string[] = [];
  const seen = new Map<string, string>();
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) {
    try {
      const parsed = CalendarFileSchema.safeParse(parseYaml(readFileSync(path.join(dir, name), 'utf8')));
      if (!parsed.success) {
        problems.push(`${name}: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
        continue;
      }
      for (const e of parsed.data.reminders) {
        const other = seen.get(e.slug);
        if (other) problems.push(`${name}: slug "${e.slug}" also used in ${other}`);
        seen.set(e.slug, name);
        out.push(e);
      }
    } catch (err) {
      problems.push(`${name}: ${(err as Error).message}`);
    }
  }
  if (problems.length) throw new Error(`Invalid campaign calendar in ${dir}:\n  ${problems.join('\n  ')}`);
  return out;
}
