import type { Db } from './database.js';

/** A stored access/refresh token pair. */
export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  expiresAt: Date;
}

/** OAuth token pairs of channel accounts, with a lease so one replica refreshes at a time. */
export class PlatformTokenRepo {
  constructor(private readonly db: Db) {}

  /** The stored pair, or null. */
  async get(id: string): Promise<(TokenPair & { configHash: string | null; refreshingUntil: Date | null }) | null> {
    return this.db.platformToken.findUnique({
      where: { id },
      select: { accessToken: true, refreshToken: true, expiresAt: true, configHash: true, refreshingUntil: true },
    });
  }

  /** Stores the pair from configuration when there is none yet or configuration holds a new one. */
  async seedFromConfig(id: string, pair: TokenPair, configHash: string): Promise<'seeded' | 'kept'> {
    const current = await this.get(id);
    if (current && current.configHash === configHash) return 'kept';
    await this.db.platformToken.upsert({
      where: { id },
      create: { id, ...pair, configHash },
      update: { ...pair, configHash, refreshingUntil: null, lastError: null },
    });
    return 'seeded';
  }

  /**
   * Takes the refresh lease if nobody holds it and the stored access token is still the one the caller saw
   * (otherwise someone already refreshed). Returns the refresh token to use, or null.
   */
  async tryLock(id: string, seenAccessToken: string, until: Date): Promise<string | null> {
    const rows = await this.db.$queryRaw<{ refreshToken: string }[]>`
      UPDATE "PlatformToken" SET "refreshingUntil" = ${until}
      WHERE "id" = ${id} AND "accessToken" = ${seenAccessToken} AND ("refreshingUntil" IS NULL OR "refreshingUntil" < now())
      RETURNING "refreshToken"`;
    return rows[0]?.refreshToken ?? null;
  }

  /** Saves a freshly issued pair and releases the lease. */
  async store(id: string, pair: TokenPair): Promise<void> {
    await this.db.platformToken.update({ where: { id }, data: { ...pair, refreshingUntil: null, refreshedAt: new Date(), lastError: null } });
  }

  /** Releases the lease after a failed refresh, recording why. */
  async unlock(id: string, error: string): Promise<void> {
    await this.db.platformToken.update({ where: { id }, data: { refreshingUntil: null, lastError: error.slice(0, 500) } });
  }
}
