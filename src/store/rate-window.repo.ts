import type { Db } from './database.js';

/** Counters of sends per key per one-second window, shared by every replica through the database. */
export class RateWindowRepo {
  constructor(private readonly db: Db) {}

  /** Takes `n` slots in the window if that keeps it at or under `limit`; returns whether it did. */
  async take(key: string, windowStart: Date, n: number, limit: number): Promise<boolean> {
    if (n > limit) return false;
    // One statement: the row is created or incremented only while the limit allows, atomically for all replicas.
    const rows = await this.db.$queryRaw<{ count: number }[]>`
      INSERT INTO "RateWindow" ("key", "windowStart", "count") VALUES (${key}, ${windowStart}, ${n})
      ON CONFLICT ("key", "windowStart") DO UPDATE SET "count" = "RateWindow"."count" + ${n}
      WHERE "RateWindow"."count" + ${n} <= ${limit}
      RETURNING "count"`;
    return rows.length === 1;
  }

  /** Deletes windows older than `before`. */
  async prune(before: Date): Promise<number> {
    return this.db.$executeRaw`DELETE FROM "RateWindow" WHERE "windowStart" < ${before}`;
  }
}
