import type { Repos } from '../../store/repos.js';
import type { ReminderRecord } from '../../store/reminder.repo.js';
import type { Audience } from '../broadcasts/broadcast-types.js';
import { parseReminderCron, type CronProblem } from './cron-schedule.js';
import { readReminderContent, type ReminderMessage } from './reminder-content.js';

/** A reminder to create: recurring (`cron`, 5 fields, Asia/Ho_Chi_Minh) or one-off (`runAt`), never both. */
export interface ReminderInput {
  slug?: string | null;
  title: string;
  cron?: string | null;
  runAt?: Date | null;
  audience: Audience;
  message: { vi: ReminderMessage['vi']; en?: ReminderMessage['en'] };
  /** The plan or law it comes from (shown to staff). */
  source: string;
  campaignId?: string | null;
  active?: boolean;
}

export type ReminderInputProblem = `cron_${CronProblem}` | 'no_schedule' | 'both_schedules' | 'invalid_content' | 'no_title' | 'no_source';

export type CreateReminderResult = { ok: true; reminder: ReminderRecord } | { ok: false; reason: ReminderInputProblem | 'slug_taken' };

/** Checks a reminder before it is stored; null when it is fine. */
export function checkReminderInput(input: ReminderInput): ReminderInputProblem | null {
  if (!input.title.trim()) return 'no_title';
  if (!input.source.trim()) return 'no_source';
  const cron = input.cron?.trim() || null;
  const runAt = input.runAt ?? null;
  if (cron && runAt) return 'both_schedules';
  if (!cron && !runAt) return 'no_schedule';
  if (cron) {
    const parsed = parseReminderCron(cron);
    if (!parsed.ok) return `cron_${parsed.problem}`;
  }
  if (!readReminderContent(input.audience, { en: [], ...input.message }).ok) return 'invalid_content';
  return null;
}

/**
 * Stores a reminder. A recurring one counts its times from `now` (it never runs a time before its creation); a
 * one-off whose `runAt` has passed runs at the next tick if it is within the catch-up grace, else it is recorded missed.
 */
export async function createReminder(repos: Repos, input: ReminderInput, now: Date): Promise<CreateReminderResult> {
  const problem = checkReminderInput(input);
  if (problem) return { ok: false, reason: problem };
  const cron = input.cron?.trim() || null;
  const reminder = await repos.reminders.insertUnlessSlugTaken({
    slug: input.slug ?? null,
    title: input.title.trim(),
    cron: cron ? cron.replace(/\s+/g, ' ') : null,
    runAt: cron ? null : (input.runAt ?? null),
    audience: input.audience,
    message: { vi: input.message.vi, en: input.message.en ?? [] },
    source: input.source.trim(),
    campaignId: input.campaignId ?? null,
    active: input.active ?? true,
    createdAt: now,
  });
  return reminder ? { ok: true, reminder } : { ok: false, reason: 'slug_taken' };
}
