import { occurrencesBackward, parseReminderCron } from './cron-schedule.js';

/** When a reminder runs and what it has run: the columns of `Reminder` the plan reads. */
export interface ReminderTiming {
  cron: string | null;
  runAt: Date | null;
  /** The latest scheduled time already run (or recorded as missed). */
  lastRunAt: Date | null;
  createdAt: Date;
}

/** How late a missed run may still be sent, and how many older missed runs are recorded. */
export interface CatchUpRules {
  /** A scheduled time older than this at `now` is recorded as missed, not sent (default 72 h). */
  graceMs: number;
  /** At most this many older missed times are recorded (the newest ones); the rest are only counted. */
  maxMissedRecorded: number;
}

export const DEFAULT_CATCH_UP: CatchUpRules = { graceMs: 72 * 3600_000, maxMissedRecorded: 50 };

/**
 * What one tick does for one reminder:
 * - `idle`: nothing is due;
 * - `run`: send the run of `scheduledAt` (the latest time due); `missed` are older times since the last run, recorded
 *   as missed and never sent (a server that was down catches up once, not once per missed tick);
 * - `too_late`: the latest time due is older than the grace window: it is recorded as missed too, nothing is sent;
 * - `invalid_schedule`: the cron expression no longer validates (or the reminder has no time at all).
 */
export type RunPlan =
  | { kind: 'idle' }
  | { kind: 'run' | 'too_late'; scheduledAt: Date; missed: Date[]; missedUnrecorded: number }
  | { kind: 'invalid_schedule' };

/**
 * Plans a tick at `now`. A recurring reminder counts the times after its last run (after its creation when it never
 * ran); a one-off runs at `runAt` once. Quiet hours play no part here: the dispatcher defers, the plan never drops.
 */
export function planReminderRun(r: ReminderTiming, now: Date, rules: CatchUpRules = DEFAULT_CATCH_UP): RunPlan {
  if (r.cron !== null) {
    const parsed = parseReminderCron(r.cron);
    if (!parsed.ok) return { kind: 'invalid_schedule' };
    const baseline = r.lastRunAt ?? r.createdAt;
    const times = occurrencesBackward(parsed.schedule, now, baseline);
    const first = times.next();
    if (first.done) return { kind: 'idle' };
    const missed: Date[] = [];
    let missedUnrecorded = 0;
    for (const t of times) {
      if (missed.length < rules.maxMissedRecorded) missed.push(t);
      else if (++missedUnrecorded >= 100_000) break;
    }
    return plan(first.value, now, missed, missedUnrecorded, rules);
  }
  if (r.runAt !== null) {
    if (r.runAt.getTime() > now.getTime()) return { kind: 'idle' };
    if (r.lastRunAt !== null && r.lastRunAt.getTime() >= r.runAt.getTime()) return { kind: 'idle' };
    return plan(r.runAt, now, [], 0, rules);
  }
  return { kind: 'invalid_schedule' };
}

function plan(scheduledAt: Date, now: Date, missed: Date[], missedUnrecorded: number, rules: CatchUpRules): RunPlan {
  const kind = now.getTime() - scheduledAt.getTime() > rules.graceMs ? 'too_late' : 'run';
  return { kind, scheduledAt, missed, missedUnrecorded };
}
