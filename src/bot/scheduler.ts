import { createTask, type ScheduledTask } from 'node-cron';
import type { Logger } from '../logger.js';
import { runDueReminders, type DueRemindersDeps } from '../services/reminders/run-due-reminders.js';
import type { ReminderOutcome } from '../services/reminders/run-reminder.js';
import { REMINDER_TIME_ZONE } from '../services/reminders/cron-schedule.js';

/**
 * Work the scheduler runs at every tick. `run` gets the tick's time and must decide from the database what is due
 * (ticks can be late, skipped while the process is down, or run by several replicas): the timer only says "look now".
 */
export interface ScheduledJob {
  /** A name for logs; unique per scheduler. */
  name: string;
  run(now: Date): Promise<void>;
}

export interface SchedulerOptions {
  log: Logger;
  /** The clock of node-cron's ticks and the boot tick (tests call `tick(now)` with their own time instead). */
  now?: () => Date;
  /** When node-cron ticks, in Asia/Ho_Chi_Minh (default every minute). */
  expression?: string;
}

/** What one tick did: the jobs that ran and those that threw (logged), or `skipped` while the previous one runs. */
export interface TickReport {
  skipped: boolean;
  ran: string[];
  failed: string[];
}

/**
 * The scheduler: a node-cron task every minute plus one tick at start, each running the registered jobs one after the
 * other. Never overlaps itself (a tick that comes while the previous one runs is skipped), logs a job's error by its
 * name only (no message text, no personal data) and goes on with the next job, and `stop` waits for the tick in flight.
 */
export class Scheduler {
  private readonly jobs: ScheduledJob[] = [];
  private readonly now: () => Date;
  private task: ScheduledTask | undefined;
  private running: Promise<TickReport> | undefined;
  private stopped = false;

  constructor(
    private readonly opts: SchedulerOptions,
    jobs: readonly ScheduledJob[] = [],
  ) {
    this.now = opts.now ?? (() => new Date());
    for (const job of jobs) this.register(job);
  }

  /** Adds a job (before or after `start`); it runs from the next tick on. */
  register(job: ScheduledJob): void {
    if (this.jobs.some((j) => j.name === job.name)) throw new Error(`scheduled job "${job.name}" registered twice`);
    this.jobs.push(job);
  }

  /** The names of the registered jobs, in the order they run. */
  jobNames(): string[] {
    return this.jobs.map((j) => j.name);
  }

  /**
   * Starts the node-cron task and runs one tick at once (missed runs are caught up at boot, not a minute later);
   * resolves when that boot tick is done (callers need not wait for it). Starting a started scheduler does nothing.
   */
  start(): Promise<TickReport> {
    if (this.task) return Promise.resolve({ skipped: true, ran: [], failed: [] });
    this.stopped = false;
    this.task = createTask(this.opts.expression ?? '* * * * *', () => void this.tick(), {
      name: 'scheduler',
      timezone: REMINDER_TIME_ZONE,
      unref: true,
      logger: {
        info: () => {},
        debug: () => {},
        warn: (message) => this.opts.log.warn({ component: 'node-cron', note: message.slice(0, 200) }, 'scheduler timer warning'),
        error: (message) => this.opts.log.error({ component: 'node-cron', err: message instanceof Error ? message.name : 'unknown' }, 'scheduler timer error'),
      },
    });
    void this.task.start();
    return this.tick();
  }

  /** Whether the node-cron task is running. */
  isStarted(): boolean {
    return this.task !== undefined;
  }

  /**
   * Runs every job once with `now`, one after the other; resolves when they are done. Skipped (at once) while a
   * previous tick runs or after `stop`. Never rejects.
   */
  tick(now: Date = this.now()): Promise<TickReport> {
    if (this.stopped) return Promise.resolve({ skipped: true, ran: [], failed: [] });
    if (this.running) {
      this.opts.log.debug('scheduler tick skipped: the previous one is still running');
      return Promise.resolve({ skipped: true, ran: [], failed: [] });
    }
    const run = this.runJobs(now).finally(() => {
      if (this.running === run) this.running = undefined;
    });
    this.running = run;
    return run;
  }

  /** Stops the node-cron task and waits for the tick in flight; later ticks are skipped until `start`. */
  async stop(): Promise<void> {
    this.stopped = true;
    const task = this.task;
    this.task = undefined;
    if (task) {
      await task.stop();
      await task.destroy();
    }
    await this.running;
  }

  private async runJobs(now: Date): Promise<TickReport> {
    const report: TickReport = { skipped: false, ran: [], failed: [] };
    for (const job of [...this.jobs]) {
      try {
        await job.run(now);
        report.ran.push(job.name);
      } catch (err) {
        report.failed.push(job.name);
        this.opts.log.error({ job: job.name, err: err instanceof Error ? err.name : 'unknown' }, 'scheduled job failed');
      }
    }
    return report;
  }
}

/** Options of the reminders job: what `runDueReminders` needs, a logger, and a hook for each broadcast created. */
export interface ReminderJobOptions extends DueRemindersDeps {
  log: Logger;
  /** Called after the run's transaction committed (e.g. to notify approvers when the broadcast needs approval). */
  onBroadcast?: (outcome: Extract<ReminderOutcome, { kind: 'broadcast' }>) => Promise<void> | void;
}

/** The job that turns due reminders into broadcasts (src/services/reminders/run-due-reminders.ts). */
export function reminderJob(opts: ReminderJobOptions): ScheduledJob {
  const warned = new Set<string>();
  return {
    name: 'reminders',
    async run(now) {
      const report = await runDueReminders(opts, now);
      for (const o of report.outcomes) {
        switch (o.kind) {
          case 'broadcast':
            opts.log.info({ reminderId: o.reminderId, scheduledAt: o.scheduledAt, broadcastId: o.broadcastId, status: o.status, missed: o.missed }, 'reminder run: broadcast created');
            try {
              await opts.onBroadcast?.(o);
            } catch (err) {
              opts.log.error({ reminderId: o.reminderId, err: err instanceof Error ? err.name : 'unknown' }, 'reminder run: after-commit hook failed');
            }
            break;
          case 'already_run':
            opts.log.debug({ reminderId: o.reminderId, scheduledAt: o.scheduledAt }, 'reminder run: already done elsewhere');
            break;
          case 'invalid_schedule':
            if (!warned.has(o.reminderId)) opts.log.warn({ reminderId: o.reminderId }, 'reminder has an invalid schedule: it does not run');
            warned.add(o.reminderId);
            break;
          case 'not_created':
            opts.log.warn({ reminderId: o.reminderId, scheduledAt: o.scheduledAt, reason: o.reason }, 'reminder run: broadcast refused, nothing sent');
            break;
          default:
            opts.log.info({ reminderId: o.reminderId, scheduledAt: o.scheduledAt, outcome: o.kind, missed: o.missed }, 'reminder run recorded, nothing sent');
        }
      }
      for (const f of report.failed) opts.log.error({ reminderId: f.reminderId, err: f.error }, 'reminder run failed: tried again at the next tick');
    },
  };
}
