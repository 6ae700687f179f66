import type { PrismaClient } from '../../store/database.js';
import { createRepos, inTransaction } from '../../store/repos.js';
import { createBroadcast } from '../broadcasts/create-broadcast.js';
import { DEFAULT_CATCH_UP, planReminderRun, type CatchUpRules } from './plan-reminder-run.js';
import { isSuperseded, runReminder, type CreateBroadcast, type ReminderOutcome } from './run-reminder.js';

/** What the reminder tick is wired with. */
export interface DueRemindersDeps {
  prisma: PrismaClient;
  /** Default: `createBroadcast` of src/services/broadcasts. */
  createBroadcast?: CreateBroadcast;
  catchUp?: Partial<CatchUpRules>;
}

/** One tick's outcomes; `failed` are reminders whose transaction threw (each tried again at the next tick). */
export interface DueRemindersReport {
  outcomes: ReminderOutcome[];
  failed: { reminderId: string; error: string }[];
}

/**
 * Turns the reminders due at `now` into broadcasts: the database decides what runs (each reminder's `lastRunAt`, its
 * cron or `runAt`, and the unique run key), not the timer that calls this. One short transaction per reminder, so
 * the embedded database's one connection is never held for long; no network call inside.
 */
export async function runDueReminders(deps: DueRemindersDeps, now: Date): Promise<DueRemindersReport> {
  const rules = { ...DEFAULT_CATCH_UP, ...deps.catchUp };
  const report: DueRemindersReport = { outcomes: [], failed: [] };
  for (const reminder of await createRepos(deps.prisma).reminders.listCandidates(now)) {
    const plan = planReminderRun(reminder, now, rules);
    if (plan.kind === 'idle') continue;
    if (plan.kind === 'invalid_schedule') {
      report.outcomes.push({ kind: 'invalid_schedule', reminderId: reminder.id });
      continue;
    }
    try {
      report.outcomes.push(await inTransaction(deps.prisma, (repos) => runReminder(repos, deps.createBroadcast ?? createBroadcast, reminder, plan, now)));
    } catch (err) {
      if (isSuperseded(err)) report.outcomes.push({ kind: 'already_run', reminderId: reminder.id, scheduledAt: plan.scheduledAt });
      else report.failed.push({ reminderId: reminder.id, error: err instanceof Error ? err.name : 'unknown' });
    }
  }
  return report;
}
