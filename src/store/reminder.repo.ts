import type { Db } from './database.js';
import type { Prisma } from './generated/client.js';

/** A reminder as the reminder services see it (`audience` and `message` are checked by the services). */
export interface ReminderRecord {
  id: string;
  slug: string | null;
  title: string;
  cron: string | null;
  runAt: Date | null;
  audience: unknown;
  message: unknown;
  source: string;
  campaignId: string | null;
  active: boolean;
  lastRunAt: Date | null;
  createdAt: Date;
}

/** What a new reminder is made of (`createdAt` is the caller's clock: a recurring reminder counts its times from it). */
export interface NewReminder {
  slug: string | null;
  title: string;
  cron: string | null;
  runAt: Date | null;
  audience: object;
  message: object;
  source: string;
  campaignId: string | null;
  active: boolean;
  createdAt: Date;
}

/** The fields of a reminder that may change (the seed's upsert, the console later). */
export type ReminderPatch = Partial<Omit<NewReminder, 'createdAt' | 'slug'>> & { lastRunAt?: Date | null };

/** One run of a reminder: `broadcastId` null means nothing was sent for that time (missed, or outside its campaign). */
export interface ReminderRunRecord {
  reminderId: string;
  scheduledAt: Date;
  broadcastId: string | null;
}

const SELECT = {
  id: true,
  slug: true,
  title: true,
  cron: true,
  runAt: true,
  audience: true,
  message: true,
  source: true,
  campaignId: true,
  active: true,
  lastRunAt: true,
  createdAt: true,
} as const;

/** Reminders (`Reminder`) and the record of their runs (`ReminderRun`, one row per reminder and scheduled time). */
export class ReminderRepo {
  constructor(private readonly db: Db) {}

  /** Active reminders that may be due at `now`: every recurring one, and one-offs whose time has come and not run. */
  async listCandidates(now: Date): Promise<ReminderRecord[]> {
    return this.db.reminder.findMany({
      where: {
        active: true,
        OR: [{ cron: { not: null } }, { cron: null, runAt: { lte: now }, OR: [{ lastRunAt: null }, { lastRunAt: { lt: this.db.reminder.fields.runAt } }] }],
      },
      select: SELECT,
      orderBy: { createdAt: 'asc' },
    });
  }

  async findById(id: string): Promise<ReminderRecord | null> {
    return this.db.reminder.findUnique({ where: { id }, select: SELECT });
  }

  async findBySlug(slug: string): Promise<ReminderRecord | null> {
    return this.db.reminder.findUnique({ where: { slug }, select: SELECT });
  }

  /** Stores a reminder unless its slug is taken (null then): two replicas seeding at once do not fail each other. */
  async insertUnlessSlugTaken(r: NewReminder): Promise<ReminderRecord | null> {
    const [row] = await this.db.reminder.createManyAndReturn({
      data: [{ ...r, audience: r.audience as Prisma.InputJsonValue, message: r.message as Prisma.InputJsonValue }],
      skipDuplicates: true,
      select: SELECT,
    });
    return row ?? null;
  }

  async update(id: string, patch: ReminderPatch): Promise<void> {
    const { audience, message, ...rest } = patch;
    await this.db.reminder.update({
      where: { id },
      data: {
        ...rest,
        ...(audience !== undefined ? { audience: audience as Prisma.InputJsonValue } : {}),
        ...(message !== undefined ? { message: message as Prisma.InputJsonValue } : {}),
      },
    });
  }

  /**
   * Records the run of (reminder, scheduled time) unless it exists; true when this call inserted it. A run that exists
   * is skipped, not thrown: the caller's transaction stays usable (a unique violation would abort it on PostgreSQL),
   * and of two replicas inserting the same run at once exactly one gets true.
   */
  async insertRun(reminderId: string, scheduledAt: Date): Promise<boolean> {
    const { count } = await this.db.reminderRun.createMany({ data: [{ reminderId, scheduledAt }], skipDuplicates: true });
    return count === 1;
  }

  /** Records times that were missed (nothing sent for them); those already recorded are skipped. */
  async insertMissedRuns(reminderId: string, times: readonly Date[]): Promise<number> {
    if (!times.length) return 0;
    const { count } = await this.db.reminderRun.createMany({ data: times.map((scheduledAt) => ({ reminderId, scheduledAt })), skipDuplicates: true });
    return count;
  }

  /**
   * Moves `lastRunAt` forward to `scheduledAt`; false (nothing changed) when it is already there or later, so a
   * replica whose clock lags never runs an older time after a newer one has run.
   */
  async advanceLastRun(id: string, scheduledAt: Date): Promise<boolean> {
    const { count } = await this.db.reminder.updateMany({ where: { id, OR: [{ lastRunAt: null }, { lastRunAt: { lt: scheduledAt } }] }, data: { lastRunAt: scheduledAt } });
    return count === 1;
  }

  /** Links a run to the broadcast it created. */
  async setRunBroadcast(reminderId: string, scheduledAt: Date, broadcastId: string): Promise<void> {
    await this.db.reminderRun.update({ where: { reminderId_scheduledAt: { reminderId, scheduledAt } }, data: { broadcastId } });
  }

  /** The runs of a reminder, oldest first (console, tests). */
  async runs(reminderId: string): Promise<ReminderRunRecord[]> {
    return this.db.reminderRun.findMany({ where: { reminderId }, select: { reminderId: true, scheduledAt: true, broadcastId: true }, orderBy: { scheduledAt: 'asc' } });
  }

  /** A campaign's dates and switch, or null when it does not exist. */
  async campaignWindow(id: string): Promise<{ active: boolean; startsOn: Date; endsOn: Date } | null> {
    return this.db.campaign.findUnique({ where: { id }, select: { active: true, startsOn: true, endsOn: true } });
  }

  async campaignIdBySlug(slug: string): Promise<string | null> {
    return (await this.db.campaign.findUnique({ where: { slug }, select: { id: true } }))?.id ?? null;
  }

  /** School ids by code (codes that exist; case as stored). */
  async schoolIdsByCode(codes: readonly string[]): Promise<Map<string, string>> {
    const rows = await this.db.school.findMany({ where: { code: { in: [...codes] } }, select: { id: true, code: true } });
    return new Map(rows.map((r) => [r.code, r.id]));
  }
}
