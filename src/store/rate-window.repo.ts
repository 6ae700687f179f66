import type { Db, DirectQuery } from './database.js';
import { Prisma } from './generated/client.js';
import { queryOn } from './sql-text.js';

/** Counters of sends per key per one-second window, shared by every replica through the database. */
export class RateWindowRepo {
  /** `direct`: `take`, one statement per send, skips Prisma's query pipeline (database.ts `DirectQuery`). */
  constructor(
    private readonly db: Db,
    private readonly direct?: DirectQuery,
  ) {}

  /** Takes `n` slots in the window if that keeps it at or under `limit`; returns whether it did. */
  async take(key: string, windowStart: Date, n: number, limit: number): Promise<boolean> {
    if (n > limit) return false;
    // One statement: the row is created or incremented only while the limit allows, atomically for all replicas.
    const rows = await queryOn<{ count: number }>(this.db, this.direct, Prisma.sql`
      INSERT INTO "RateWindow" ("key", "windowStart", "count") VALUES (${key}, ${windowStart}::timestamp(3), ${n}::int)
      ON CONFLICT ("key", "windowStart") DO UPDATE SET "count" = "RateWindow"."count" + ${n}::int
      WHERE "RateWindow"."count" + ${n}::int <= ${limit}::int
      RETURNING "count"`);
    return rows.length === 1;
  }

  /** Deletes windows older than `before`. */
  async prune(before: Date): Promise<number> {
    return this.db.$executeRaw`DELETE FROM "RateWindow" WHERE "windowStart" < ${before}`;
  }
}
