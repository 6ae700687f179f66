import type { Db } from './database.js';

/** The outcome of taking a backoff slot: allowed, or when the next try may come. */
export type BackoffTake = { allowed: true; failures: number } | { allowed: false; notBefore: Date };

/**
 * Counters for sign-in failures and tip follow-up lookups (`AttemptWindow`, `AttemptBackoff`), shared by every
 * replica: each check-and-take is one statement, so parallel requests cannot all slip past a limit. Keys are keyed
 * hashes made by the caller; nothing here sees an address, an account or a code.
 */
export class ThrottleRepo {
  constructor(private readonly db: Db) {}

  /** Takes one slot of `key` in the fixed window starting at `windowStart` if that keeps it at or under `limit`. */
  async take(key: string, windowStart: Date, limit: number): Promise<boolean> {
    const rows = await this.db.$queryRaw<{ count: number }[]>`
      INSERT INTO "AttemptWindow" ("key", "windowStart", "count") VALUES (${key}, ${windowStart}, 1)
      ON CONFLICT ("key", "windowStart") DO UPDATE SET "count" = "AttemptWindow"."count" + 1
      WHERE "AttemptWindow"."count" + 1 <= ${limit}
      RETURNING "count"`;
    return rows.length === 1;
  }

  /** Gives a slot back (a sign-in or PIN that turned out right does not count as a failure). */
  async refund(key: string, windowStart: Date): Promise<void> {
    await this.db.$executeRaw`
      UPDATE "AttemptWindow" SET "count" = "count" - 1 WHERE "key" = ${key} AND "windowStart" = ${windowStart} AND "count" > 0`;
  }

  /**
   * Takes one try of `key` if its backoff allows it now, counting it as a failure until `clearBackoff` says it was
   * right; the next try then waits `delayMs(failures)`. A key quiet for `expireMs` starts again from zero.
   */
  async takeBackoff(key: string, now: Date, delays: { freeFailures: number; baseMs: number; maxMs: number }, expireMs: number): Promise<BackoffTake> {
    const expiresAt = new Date(now.getTime() + expireMs);
    // After the n-th failure the next try waits: nothing while n < freeFailures, then base·2^(n - freeFailures), capped.
    // "Nothing" is the epoch, not `now`: parallel requests carry clocks a few ms apart, and a free try must not be
    // refused because another request's `now` was later than this one's.
    const first = delays.freeFailures > 1 ? new Date(0) : new Date(now.getTime() + Math.min(delays.maxMs, delays.baseMs));
    const rows = await this.db.$queryRaw<{ failures: number }[]>`
      INSERT INTO "AttemptBackoff" AS b ("key", "failures", "notBefore", "expiresAt")
      VALUES (${key}, 1, ${first}, ${expiresAt})
      ON CONFLICT ("key") DO UPDATE SET
        "failures" = CASE WHEN b."expiresAt" <= ${now} THEN 1 ELSE b."failures" + 1 END,
        "notBefore" = CASE
            WHEN (CASE WHEN b."expiresAt" <= ${now} THEN 1 ELSE b."failures" + 1 END) < ${delays.freeFailures} THEN ${new Date(0)}::timestamp
            ELSE ${now}::timestamp + make_interval(secs => LEAST(${delays.maxMs}::float8, ${delays.baseMs}::float8 * power(2, (CASE WHEN b."expiresAt" <= ${now} THEN 1 ELSE b."failures" + 1 END) - ${delays.freeFailures})) / 1000) END,
        "expiresAt" = ${expiresAt}
      WHERE b."notBefore" <= ${now} OR b."expiresAt" <= ${now}
      RETURNING "failures"`;
    if (rows[0]) return { allowed: true, failures: rows[0].failures };
    const row = await this.db.attemptBackoff.findUnique({ where: { key }, select: { notBefore: true } });
    return { allowed: false, notBefore: row?.notBefore ?? now };
  }

  /** Forgets a key's failures (the right PIN came). */
  async clearBackoff(key: string): Promise<void> {
    await this.db.attemptBackoff.deleteMany({ where: { key } });
  }

  /** Deletes windows that started before `before` and backoffs that expired by `now`. */
  async prune(before: Date, now: Date): Promise<number> {
    const windows = await this.db.$executeRaw`DELETE FROM "AttemptWindow" WHERE "windowStart" < ${before}`;
    const backoffs = await this.db.$executeRaw`DELETE FROM "AttemptBackoff" WHERE "expiresAt" <= ${now}`;
    return windows + backoffs;
  }
}
