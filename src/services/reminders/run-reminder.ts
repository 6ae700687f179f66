import type { Repos } from '../../store/repos.js';
import type { ReminderRecord } from '../../store/reminder.repo.js';
import type { BroadcastDraft } from '../broadcasts/broadcast-types.js';
import type { CreateBroadcastResult } from '../broadcasts/create-broadcast.js';
import type { RunPlan } from './plan-reminder-run.js';
import { readReminderContent } from './reminder-content.js';

/** Stores a broadcast inside the caller's transaction: `createBroadcast` of src/services/broadcasts (tests inject others). */
export type CreateBroadcast = (repos: Repos, draft: BroadcastDraft, now: Date) => Promise<CreateBroadcastResult>;

/** What came of one reminder at one tick. Ids and times only: nothing here names a person. */
export type ReminderOutcome =
  | { kind: 'broadcast'; reminderId: string; scheduledAt: Date; missed: number; broadcastId: string; code: string; status: string; needsApproval: boolean; approverContactIds: string[] }
  /** Another replica (or an earlier tick) ran this time, or a later one. */
  | { kind: 'already_run'; reminderId: string; scheduledAt: Date }
  /** The latest time due was older than the grace window: recorded as missed with the older ones, nothing sent. */
  | { kind: 'missed'; reminderId: string; scheduledAt: Date; missed: number }
  /** The reminder's campaign is switched off or the time is outside its dates: recorded, nothing sent. */
  | { kind: 'outside_campaign'; reminderId: string; scheduledAt: Date; missed: number }
  /** The stored audience or messages are unusable: recorded, nothing sent (staff must fix the reminder). */
  | { kind: 'invalid_content'; reminderId: string; scheduledAt: Date; missed: number }
  /** The broadcast service refused the draft (its reason): recorded, nothing sent. */
  | { kind: 'not_created'; reminderId: string; scheduledAt: Date; missed: number; reason: string }
  | { kind: 'invalid_schedule'; reminderId: string };

/** A run this close to its scheduled time keeps it as the broadcast's send time. */
const ON_TIME_MS = 30_000;

/** Thrown inside the transaction to roll the run back when a later time has already run. */
class Superseded extends Error {}

/**
 * Runs one planned time of a reminder inside the caller's transaction: records the run first (its unique key makes it
 * happen once across replicas and restarts), records older missed times, moves `lastRunAt` forward, then creates the
 * broadcast (author `reminder`, `sendAt` the scheduled time) and links it to the run. Quiet hours are the
 * dispatcher's: a run at any hour is created and its sends are deferred, never dropped.
 */
export async function runReminder(repos: Repos, createBroadcast: CreateBroadcast, reminder: ReminderRecord, plan: Extract<RunPlan, { scheduledAt: Date }>, now: Date): Promise<ReminderOutcome> {
  const { scheduledAt } = plan;
  const base = { reminderId: reminder.id, scheduledAt };
  if (!(await repos.reminders.insertRun(reminder.id, scheduledAt))) return { kind: 'already_run', ...base };
  if (!(await repos.reminders.advanceLastRun(reminder.id, scheduledAt))) throw new Superseded();
  const missed = plan.missed.length + plan.missedUnrecorded + (plan.kind === 'too_late' ? 1 : 0);
  await repos.reminders.insertMissedRuns(reminder.id, plan.missed);
  if (plan.kind === 'too_late') return { kind: 'missed', ...base, missed };
  const recorded = { ...base, missed };
  if (reminder.campaignId) {
    const c = await repos.reminders.campaignWindow(reminder.campaignId);
    if (!c || !c.active || !withinDays(scheduledAt, c.startsOn, c.endsOn)) return { kind: 'outside_campaign', ...recorded };
  }
  const content = readReminderContent(reminder.audience, reminder.message);
  if (!content.ok) return { kind: 'invalid_content', ...recorded };
  // On time, the broadcast is sent at the scheduled time; a run caught up after downtime is sent now (the broadcast
  // service refuses a send time in the past).
  const sendAt = now.getTime() - scheduledAt.getTime() <= ON_TIME_MS ? scheduledAt : now;
  const created = await createBroadcast(
    repos,
    { audience: content.audience, messages: content.messages.vi, sendAt, author: { kind: 'reminder', reminderId: reminder.id }, campaignId: reminder.campaignId },
    now,
  );
  if (!created.ok) return { kind: 'not_created', ...recorded, reason: created.reason };
  await repos.reminders.setRunBroadcast(reminder.id, scheduledAt, created.broadcast.id);
  const b = created.broadcast;
  return { kind: 'broadcast', ...recorded, broadcastId: b.id, code: b.code, status: b.status, needsApproval: b.needsApproval, approverContactIds: created.approverContactIds };
}

/** True for the error `runReminder` throws to roll back a run that a later one has overtaken. */
export function isSuperseded(err: unknown): boolean {
  return err instanceof Superseded;
}

/** Whether `t` falls on a Vietnam calendar day from `startsOn`'s to `endsOn`'s, both included (campaign dates). */
function withinDays(t: Date, startsOn: Date, endsOn: Date): boolean {
  const day = (d: Date) => Math.floor((d.getTime() + 7 * 3600_000) / 86_400_000);
  return day(t) >= day(startsOn) && day(t) <= day(endsOn);
}
