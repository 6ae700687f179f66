import { createHash } from 'node:crypto';
import type { ZaloSettings } from '../../../config.js';
import type { Logger } from '../../../logger.js';
import type { AlertRepo } from '../../../store/alert.repo.js';
import type { PlatformTokenRepo } from '../../../store/platform-token.repo.js';
import type { ZaloApi } from './zalo-api.js';

const REFRESH_MARGIN_MS = 60 * 60_000; // refresh an hour before the 25 h access token expires
const LEASE_MS = 30_000;
const CACHE_MS = 30_000;
/** Alert kind raised when Zalo tokens cannot be refreshed. */
export const ZALO_TOKEN_ALERT = 'zalo_token_refresh_failed';

/**
 * Zalo OA tokens. Refresh tokens are single-use (shared/PLATFORMS.md), so exactly one replica refreshes at a time
 * (a lease in the database), and the new pair is stored before anyone uses it.
 */
export class ZaloTokens {
  readonly id: string;
  private cached: { token: string; expiresAt: number; readAt: number } | undefined;
  private inFlight: Promise<string | null> | undefined;

  constructor(
    private readonly deps: { settings: ZaloSettings; repo: PlatformTokenRepo; alerts: AlertRepo; api: ZaloApi; log: Logger },
  ) {
    this.id = `zalo:${deps.settings.oaId}`;
  }

  /** Stores the configured pair unless the database already holds a newer one from that same configuration. */
  async init(now = new Date()): Promise<void> {
    const { initialAccessToken, initialRefreshToken } = this.deps.settings;
    const hash = createHash('sha256').update(`${initialAccessToken}\n${initialRefreshToken}`).digest('hex');
    // Configured tokens have an unknown age: treat them as due for refresh soon, which also proves they work.
    const result = await this.deps.repo.seedFromConfig(
      this.id,
      { accessToken: initialAccessToken, refreshToken: initialRefreshToken, expiresAt: new Date(now.getTime() + REFRESH_MARGIN_MS + 5 * 60_000) },
      hash,
    );
    if (result === 'seeded') this.deps.log.info('zalo tokens taken from configuration');
  }

  /** A valid access token, refreshed first when it is about to expire. Null when none can be had (alert raised). */
  async current(now = Date.now()): Promise<string | null> {
    if (this.cached && now - this.cached.readAt < CACHE_MS && this.cached.expiresAt - now > REFRESH_MARGIN_MS) return this.cached.token;
    const row = await this.deps.repo.get(this.id);
    if (!row) return null;
    this.cached = { token: row.accessToken, expiresAt: row.expiresAt.getTime(), readAt: now };
    if (row.expiresAt.getTime() - now > REFRESH_MARGIN_MS) return row.accessToken;
    return (await this.refresh(row.accessToken)) ?? row.accessToken;
  }

  /** When the stored access token expires (for /metrics), or null when none is stored. */
  async expiresAt(): Promise<Date | null> {
    return (await this.deps.repo.get(this.id))?.expiresAt ?? null;
  }

  /** After Zalo rejected `token` (−216/−220): a newer token, refreshing if nobody has yet. Null if none. */
  async afterRejection(token: string): Promise<string | null> {
    this.cached = undefined;
    const row = await this.deps.repo.get(this.id);
    if (row && row.accessToken !== token) return row.accessToken;
    return this.refresh(token);
  }

  private refresh(seen: string): Promise<string | null> {
    this.inFlight ??= this.refreshOnce(seen).finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async refreshOnce(seen: string): Promise<string | null> {
    const refreshToken = await this.deps.repo.tryLock(this.id, seen, new Date(Date.now() + LEASE_MS));
    if (!refreshToken) return this.waitForOtherReplica(seen);
    const result = await this.deps.api.refresh(refreshToken);
    if (!result.ok) {
      await this.deps.repo.unlock(this.id, result.detail);
      await this.deps.alerts.raise(ZALO_TOKEN_ALERT, `Không làm mới được mã truy cập Zalo OA (${result.detail}). Hãy dán cặp token mới vào cấu hình.`);
      this.deps.log.error({ detail: result.detail }, 'ZALO TOKEN REFRESH FAILED: Zalo sends are paused until new tokens are configured');
      return null;
    }
    const expiresAt = new Date(Date.now() + result.expiresInSeconds * 1000);
    // Persist before use: the old refresh token is already spent.
    await this.deps.repo.store(this.id, { accessToken: result.accessToken, refreshToken: result.refreshToken, expiresAt });
    await this.deps.alerts.resolve(ZALO_TOKEN_ALERT);
    this.cached = { token: result.accessToken, expiresAt: expiresAt.getTime(), readAt: Date.now() };
    this.deps.log.info('zalo tokens refreshed');
    return result.accessToken;
  }

  private async waitForOtherReplica(seen: string): Promise<string | null> {
    const deadline = Date.now() + LEASE_MS + 1000;
    while (Date.now() < deadline) {
      const row = await this.deps.repo.get(this.id);
      if (row && row.accessToken !== seen) return row.accessToken;
      if (row && (!row.refreshingUntil || row.refreshingUntil.getTime() < Date.now())) return null;
      await new Promise((r) => setTimeout(r, 200));
    }
    return null;
  }
}
