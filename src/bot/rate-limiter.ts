import type { RateWindowRepo } from '../store/rate-window.repo.js';

/** The result of asking for send slots. */
export type RateDecision = { ok: true } | { ok: false; retryAfterMs: number };

/** The share of each second's slots that campaign (bulk) sends leave to replies, once a limit allows any. */
export const REPLY_RESERVE = 0.05;

/** How many of `perSecond` slots bulk sends may fill: all but a reserve for replies (at least one when there are two). */
export function bulkLimit(perSecond: number): number {
  return perSecond < 2 ? perSecond : perSecond - Math.max(1, Math.round(perSecond * REPLY_RESERVE));
}

/**
 * A rate limit shared by every replica: fixed one-second windows counted in the database. A per-minute limit is
 * spread as floor(limit / 60) per second so no minute can exceed it. Bulk sends stop short of the limit so a reply
 * written during a broadcast still finds a slot in the same second.
 */
export class RateLimiter {
  private lastPrune = 0;

  constructor(private readonly windows: RateWindowRepo) {}

  /** Takes `n` slots for `key` under `perSecond` (less the replies' reserve for bulk sends), or says how long to wait. */
  async acquire(key: string, perSecond: number, n = 1, opts: { bulk?: boolean; now?: number } = {}): Promise<RateDecision> {
    const now = opts.now ?? Date.now();
    const limit = Math.max(1, opts.bulk ? bulkLimit(perSecond) : perSecond);
    const start = Math.floor(now / 1000) * 1000;
    if (now - this.lastPrune > 60_000) {
      this.lastPrune = now;
      await this.windows.prune(new Date(start - 60_000)).catch(() => 0);
    }
    if (await this.windows.take(key, new Date(start), n, limit)) return { ok: true };
    // Spread the retries over the next window so they do not all arrive at its first millisecond.
    return { ok: false, retryAfterMs: start + 1000 - now + Math.floor(Math.random() * 200) };
  }
}
