import type { RateWindowRepo } from '../store/rate-window.repo.js';

/** The result of asking for send slots. */
export type RateDecision = { ok: true } | { ok: false; retryAfterMs: number };

/**
 * A rate limit shared by every replica: fixed one-second windows counted in the database. A per-minute limit is
 * spread as floor(limit / 60) per second so no minute can exceed it.
 */
export class RateLimiter {
  private lastPrune = 0;

  constructor(private readonly windows: RateWindowRepo) {}

  /** Takes `n` slots for `key` under `perSecond`, or says how long to wait. */
  async acquire(key: string, perSecond: number, n = 1, now = Date.now()): Promise<RateDecision> {
    const start = Math.floor(now / 1000) * 1000;
    if (now - this.lastPrune > 60_000) {
      this.lastPrune = now;
      await this.windows.prune(new Date(start - 60_000)).catch(() => 0);
    }
    if (await this.windows.take(key, new Date(start), n, Math.max(1, perSecond))) return { ok: true };
    // Spread the retries over the next window so they do not all arrive at its first millisecond.
    return { ok: false, retryAfterMs: start + 1000 - now + Math.floor(Math.random() * 200) };
  }
}
