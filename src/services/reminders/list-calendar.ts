import { z } from 'zod';
import { OutMessageSchema, type OutMessage } from '../../content/messages.schema.js';
import type { CampaignRecord } from '../../store/console-lists.repo.js';
import type { ReminderRecord } from '../../store/reminder.repo.js';
import type { Repos } from '../../store/repos.js';
import { parseAudience, unique } from '../broadcasts/audience.js';
import type { Audience } from '../broadcasts/broadcast-types.js';
import type { StaffScope } from '../staff/staff-scope.js';
import { occurrencesAfter, parseReminderCron } from './cron-schedule.js';

const DAY_MS = 86_400_000;
const VN_OFFSET_MS = 7 * 3600_000;
/** How far ahead the calendar looks for a reminder's next runs. */
export const CALENDAR_LOOKAHEAD_DAYS = 400;
/** The reviewed source text of a seeded entry carries what staff must confirm after this marker (src/content/calendar). */
const REVIEW_MARKER = ' — Cần cán bộ xác nhận: ';

/** Why a reminder has no next run. */
export type NoRunReason = 'switched_off' | 'campaign_off' | 'campaign_over' | 'already_ran' | 'time_passed' | 'invalid_schedule' | 'none_in_lookahead';

/** One reminder of the campaign calendar with its next run times (Vietnam time is for the page to format). */
export interface CalendarReminder {
  id: string;
  title: string;
  /** The plan or law it comes from, and what staff must confirm when the plan does not say (null: nothing). */
  source: string;
  reviewNote: string | null;
  schedule: { kind: 'cron'; expression: string } | { kind: 'once'; at: Date };
  active: boolean;
  lastRunAt: Date | null;
  campaign: CampaignRecord | null;
  audience: Audience;
  /** The schools addressed that this account reaches, by name; and how many others. */
  places: { schools: string[]; others: number };
  /** Its next runs (at most three), in the campaign's days while it is switched on; empty with `noRun`. */
  nextRuns: Date[];
  noRun: NoRunReason | null;
  /** What a run sends (the Vietnamese messages), for the preview. */
  messages: OutMessage[];
}

/** A run on the calendar's upcoming list. */
export interface UpcomingRun {
  at: Date;
  reminderId: string;
  title: string;
}

const StoredMessage = z.object({ vi: z.array(OutMessageSchema) });

/** Whether a Vietnam calendar day of `t` lies within a campaign's days (both ends included), as reminder runs check it. */
function withinCampaign(t: Date, c: CampaignRecord): boolean {
  const day = (d: Date) => Math.floor((d.getTime() + VN_OFFSET_MS) / DAY_MS);
  return day(t) >= day(c.startsOn) && day(t) <= day(c.endsOn);
}

/** The next runs of a reminder after `now` as the scheduler will make them (campaign days, switch, one-off once). */
export function nextRunsOf(r: Pick<ReminderRecord, 'cron' | 'runAt' | 'active' | 'lastRunAt'>, campaign: CampaignRecord | null, now: Date, max = 3): { runs: Date[]; noRun: NoRunReason | null } {
  if (!r.active) return { runs: [], noRun: 'switched_off' };
  if (campaign && !campaign.active) return { runs: [], noRun: 'campaign_off' };
  if (r.cron === null) {
    if (!r.runAt) return { runs: [], noRun: 'invalid_schedule' };
    if (r.lastRunAt && r.lastRunAt.getTime() >= r.runAt.getTime()) return { runs: [], noRun: 'already_ran' };
    if (r.runAt.getTime() <= now.getTime()) return { runs: [], noRun: 'time_passed' };
    if (campaign && !withinCampaign(r.runAt, campaign)) return { runs: [], noRun: 'campaign_over' };
    return { runs: [r.runAt], noRun: null };
  }
  const parsed = parseReminderCron(r.cron);
  if (!parsed.ok) return { runs: [], noRun: 'invalid_schedule' };
  const from = new Date(Math.max(now.getTime(), r.lastRunAt?.getTime() ?? 0));
  const until = new Date(now.getTime() + CALENDAR_LOOKAHEAD_DAYS * DAY_MS);
  if (campaign && campaign.endsOn.getTime() + DAY_MS < from.getTime()) return { runs: [], noRun: 'campaign_over' };
  const runs: Date[] = [];
  for (const t of occurrencesAfter(parsed.schedule, from, until)) {
    if (campaign && !withinCampaign(t, campaign)) {
      if (t.getTime() > campaign.endsOn.getTime() + DAY_MS) break;
      continue;
    }
    runs.push(t);
    if (runs.length >= max) break;
  }
  if (runs.length > 0) return { runs, noRun: null };
  return { runs, noRun: campaign && campaign.endsOn.getTime() < until.getTime() ? 'campaign_over' : 'none_in_lookahead' };
}

/**
 * The campaign calendar's reminders that concern this account's schools (every one for a system admin; a teacher's:
 * those to their school or class), each with its next run times, and the runs of the next `upcomingDays` in order.
 */
export async function listCalendar(repos: Repos, scope: StaffScope, now: Date, opts: { upcomingDays?: number } = {}): Promise<{ reminders: CalendarReminder[]; upcoming: UpcomingRun[] }> {
  if (scope.role === 'tip_handler') return { reminders: [], upcoming: [] };
  const all = await repos.consoleLists.reminders();
  const audiences = new Map(all.map((r) => [r.id, parseAudience(r.audience)]));
  const classIds = unique(all.flatMap((r) => audiences.get(r.id)!.classIds));
  const classes = new Map((await repos.consoleLists.classes(classIds)).map((c) => [c.id, c]));
  const inScope = (schoolId: string) => scope.schoolIds === 'all' || scope.schoolIds.includes(schoolId);
  const visible = all.filter((r) => {
    const a = audiences.get(r.id)!;
    return a.schoolIds.some(inScope) || a.classIds.some((id) => {
      const c = classes.get(id);
      return !!c && inScope(c.schoolId) && (scope.role !== 'teacher' || scope.classIds === 'all' || scope.classIds.includes(id));
    });
  });
  const schoolNames = new Map((await repos.consoleLists.schools(unique(visible.flatMap((r) => audiences.get(r.id)!.schoolIds)))).map((s) => [s.id, s.name]));
  const campaigns = new Map((await repos.consoleLists.campaigns(unique(visible.flatMap((r) => (r.campaignId ? [r.campaignId] : []))))).map((c) => [c.id, c]));
  const reminders: CalendarReminder[] = visible.map((r) => {
    const a = audiences.get(r.id)!;
    const campaign = r.campaignId ? (campaigns.get(r.campaignId) ?? null) : null;
    const { runs, noRun } = nextRunsOf(r, campaign, now);
    const shown = a.schoolIds.filter(inScope).map((id) => schoolNames.get(id) ?? '').filter(Boolean);
    const at = r.source.indexOf(REVIEW_MARKER);
    const message = StoredMessage.safeParse(r.message);
    return {
      id: r.id,
      title: r.title,
      source: at >= 0 ? r.source.slice(0, at) : r.source,
      reviewNote: at >= 0 ? r.source.slice(at + REVIEW_MARKER.length) : null,
      schedule: r.cron !== null ? { kind: 'cron', expression: r.cron } : { kind: 'once', at: r.runAt ?? r.createdAt },
      active: r.active,
      lastRunAt: r.lastRunAt,
      campaign,
      audience: a,
      places: { schools: shown, others: a.schoolIds.length + a.classIds.length - shown.length },
      nextRuns: runs,
      noRun,
      messages: message.success ? message.data.vi : [],
    };
  });
  const horizon = now.getTime() + (opts.upcomingDays ?? 30) * DAY_MS;
  const upcoming: UpcomingRun[] = [];
  for (const r of visible) {
    const campaign = r.campaignId ? (campaigns.get(r.campaignId) ?? null) : null;
    for (const at of nextRunsOf(r, campaign, now, 40).runs) if (at.getTime() <= horizon) upcoming.push({ at, reminderId: r.id, title: r.title });
  }
  upcoming.sort((x, y) => x.at.getTime() - y.at.getTime() || x.title.localeCompare(y.title, 'vi'));
  return { reminders, upcoming };
}
