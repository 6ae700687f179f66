import type { Db } from './database.js';

/** Liveness of the database connection. */
export class HealthRepo {
  constructor(private readonly db: Db) {}

  /** Resolves when the database answers a trivial query. */
  async ping(): Promise<void> {
    await this.db.$queryRaw`SELECT 1`;
  }
}
