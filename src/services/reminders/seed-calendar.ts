import { calendarMessages, calendarRunAt, calendarSource, type CalendarEntryData } from '../../content/calendar/calendar.js';
import type { Repos } from '../../store/repos.js';
import type { ReminderPatch } from '../../store/reminder.repo.js';
import { checkReminderInput, createReminder, type ReminderInput } from './create-reminder.js';

/** What a calendar seed did; `skipped` names entries whose schools or campaign do not exist here. */
export interface CalendarSeedReport {
  created: number;
  updated: number;
  unchanged: number;
  skipped: { slug: string; reason: 'no_school' | 'no_campaign' }[];
}

/**
 * Upserts the seeded campaign calendar by slug; idempotent, safe at every boot and on several replicas at once.
 * School codes and the campaign slug are resolved to ids here. A changed entry is rewritten (staff's `active` switch
 * is kept); when its schedule changed, its times count from `now`, so the change itself never fires a run. An invalid
 * entry (a bad cron expression) throws: the calendar is ours, and the server should not start with it.
 */
export async function seedCampaignCalendar(repos: Repos, entries: readonly CalendarEntryData[], now: Date): Promise<CalendarSeedReport> {
  const report: CalendarSeedReport = { created: 0, updated: 0, unchanged: 0, skipped: [] };
  const schools = await repos.reminders.schoolIdsByCode([...new Set(entries.flatMap((e) => e.schools))]);
  for (const e of entries) {
    const schoolIds = e.schools.map((code) => schools.get(code)).filter((id): id is string => !!id);
    if (!schoolIds.length) {
      report.skipped.push({ slug: e.slug, reason: 'no_school' });
      continue;
    }
    const campaignId = e.campaign ? await repos.reminders.campaignIdBySlug(e.campaign) : null;
    if (e.campaign && !campaignId) {
      report.skipped.push({ slug: e.slug, reason: 'no_campaign' });
      continue;
    }
    const input: ReminderInput = {
      slug: e.slug,
      title: e.title,
      cron: e.cron ? e.cron.trim().replace(/\s+/g, ' ') : null,
      runAt: calendarRunAt(e),
      audience: { schoolIds, classIds: [], roles: e.roles, onlyUnpledged: e.onlyUnpledged, includeGroups: e.includeGroups },
      message: { vi: calendarMessages(e, 'vi'), en: calendarMessages(e, 'en') },
      source: calendarSource(e),
      campaignId,
    };
    const problem = checkReminderInput(input);
    if (problem) throw new Error(`Campaign calendar entry "${e.slug}": ${problem}`);
    const existing = await repos.reminders.findBySlug(e.slug);
    if (!existing) {
      const created = await createReminder(repos, input, now);
      if (created.ok) report.created++;
      else report.unchanged++; // another replica seeded it a moment ago
      continue;
    }
    const wanted = {
      title: input.title,
      cron: input.cron ?? null,
      runAt: input.runAt ?? null,
      audience: input.audience,
      message: input.message,
      source: input.source,
      campaignId,
    };
    const patch: ReminderPatch = {};
    if (existing.title !== wanted.title) patch.title = wanted.title;
    if (existing.source !== wanted.source) patch.source = wanted.source;
    if (existing.campaignId !== wanted.campaignId) patch.campaignId = wanted.campaignId;
    if (!sameJson(existing.audience, wanted.audience)) patch.audience = wanted.audience;
    if (!sameJson(existing.message, wanted.message)) patch.message = wanted.message;
    if (existing.cron !== wanted.cron || existing.runAt?.getTime() !== wanted.runAt?.getTime()) {
      patch.cron = wanted.cron;
      patch.runAt = wanted.runAt;
      if (!existing.lastRunAt || existing.lastRunAt.getTime() < now.getTime()) patch.lastRunAt = now;
    }
    if (!Object.keys(patch).length) {
      report.unchanged++;
      continue;
    }
    await repos.reminders.update(existing.id, patch);
    report.updated++;
  }
  return report;
}

/** Deep equality of JSON values whatever the key order (jsonb stores keys in an order of its own). */
function sameJson(a: unknown, b: unknown): boolean {
  return stable(a) === stable(b);
}

function stable(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stable).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
    return `{${entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, x]) => `${JSON.stringify(k)}:${stable(x)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}
