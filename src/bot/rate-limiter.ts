import type { RateWindowRepo } from '../store/rate-window.repo.js';
import type { Metrics } from './metrics/metrics.js';

/** The result of asking for send slots. */
export type RateDecision = { ok: true } | { ok: false; retryAfterMs: number };

/**
 * The share of each second's slots that campaign (bulk) sends leave to replies, once a limit allows any: at 250/s,
 * 8 sends a second stay free for replies and a broadcast may use 97 % of the configured limit.
 */
export const REPLY_RESERVE = 0.03;

/** The largest share of a second's slots one replica reserves in one database round trip. */
export const MAX_BLOCK_SHARE = 0.1;

/**
 * The fewest slots a second keeps for replies from 10/s up: two people answered within the same second of a broadcast
 * (measured with one: at Messenger's 40/s a second reply in a window waited for the next one, p99 390 ms).
 */
export const REPLY_MIN_RESERVE = 2;

/**
 * How many of `perSecond` slots bulk sends may fill: all but a reserve for replies (`REPLY_RESERVE`, at least
 * `REPLY_MIN_RESERVE` from 10/s, at least one when there are two).
 */
export function bulkLimit(perSecond: number): number {
  if (perSecond < 2) return perSecond;
  const least = perSecond >= 10 ? REPLY_MIN_RESERVE : 1;
  return perSecond - Math.max(least, Math.round(perSecond * REPLY_RESERVE));
}

/** Slots this replica holds in the current window of one key, taken from the shared count but not yet used. */
interface Held {
  windowStart: number;
  /** Taken within the bulk limit: either kind may use them. */
  shared: number;
  /** Taken above what bulk sends may fill: replies only. */
  replyOnly: number;
  /** Database takes in this window, per kind: each one reserves twice as many slots as the one before. */
  takes: { bulk: number; reply: number };
  /** The smallest `n` the window refused, per kind (it only fills up): asked again, refused without a query. */
  refused: { bulk: number; reply: number };
  /** The database take in flight: other sends of this key wait for it rather than each asking on its own. */
  refill?: Promise<void>;
}

/**
 * A rate limit shared by every replica: fixed one-second windows counted in the database. A per-minute limit is
 * spread as floor(limit / 60) per second so no minute can exceed it. Bulk sends stop short of the limit so a reply
 * written during a broadcast still finds a slot in the same second.
 *
 * Slots are reserved in blocks: the first send of a window takes its own slots, each further database take of the
 * window twice as many, up to a tenth of the limit; sends then use the held slots without a query. Every slot used
 * was counted in the database first, so the replicas together never exceed the limit; what one replica holds unused
 * when its demand stops (at most a block) is lost to the others for the rest of that second.
 */
export class RateLimiter {
  private lastPrune = 0;
  private readonly held = new Map<string, Held>();

  /** `metrics`: counts each send told to wait (bot_rate_limit_waits_total). */
  constructor(
    private readonly windows: RateWindowRepo,
    private readonly metrics?: Metrics,
  ) {}

  /** Takes `n` slots for `key` under `perSecond` (less the replies' reserve for bulk sends), or says how long to wait. */
  async acquire(key: string, perSecond: number, n = 1, opts: { bulk?: boolean; now?: number } = {}): Promise<RateDecision> {
    let now = opts.now ?? Date.now();
    const kind = opts.bulk ? 'bulk' : 'reply';
    let start = Math.floor(now / 1000) * 1000;
    if (now - this.lastPrune > 60_000) {
      this.lastPrune = now;
      await this.windows.prune(new Date(start - 60_000)).catch(() => 0);
    }
    for (;;) {
      const held = this.heldFor(key, start);
      if (!held) {
        // The second ended while this send waited for a take: ask in the current one (never reopen a past one).
        if (opts.now !== undefined) break;
        now = Date.now();
        start = Math.floor(now / 1000) * 1000;
        continue;
      }
      if (useHeld(held, kind, n)) return { ok: true };
      if (n >= held.refused[kind]) break;
      if (held.refill) {
        await held.refill;
        continue;
      }
      const refill = this.refill(held, key, perSecond, n, kind);
      held.refill = refill;
      await refill.finally(() => {
        if (held.refill === refill) delete held.refill;
      });
    }
    this.metrics?.rateLimitWait(key, kind === 'bulk');
    // Spread the retries over the next window so they do not all arrive at its first millisecond.
    return { ok: false, retryAfterMs: Math.max(1, start + 1000 - now) + Math.floor(Math.random() * 200) };
  }

  /** The slots held in this window; undefined once a later window is in use (this one is over). */
  private heldFor(key: string, windowStart: number): Held | undefined {
    const current = this.held.get(key);
    if (current && current.windowStart === windowStart) return current;
    if (current && current.windowStart > windowStart) return undefined;
    const fresh: Held = { windowStart, shared: 0, replyOnly: 0, takes: { bulk: 0, reply: 0 }, refused: { bulk: Infinity, reply: Infinity } };
    this.held.set(key, fresh);
    return fresh;
  }

  /** Takes a block of slots (or, if the window cannot spare the block, just `n`) from the shared count. */
  private async refill(held: Held, key: string, perSecond: number, n: number, kind: 'bulk' | 'reply'): Promise<void> {
    const limit = Math.max(1, kind === 'bulk' ? bulkLimit(perSecond) : perSecond);
    const cap = Math.max(n, Math.ceil(perSecond * MAX_BLOCK_SHARE));
    const block = Math.min(cap, n * 2 ** held.takes[kind]);
    held.takes[kind] += 1;
    const at = new Date(held.windowStart);
    let granted = 0;
    if (await this.windows.take(key, at, block, limit)) granted = block;
    else if (block > n && (await this.windows.take(key, at, n, limit))) granted = n;
    if (granted === 0) held.refused[kind] = Math.min(held.refused[kind], n);
    // Reply slots taken past the bulk limit are for replies only; the count cannot tell which, so a reply's are.
    if (kind === 'bulk') held.shared += granted;
    else held.replyOnly += granted;
  }
}

/** Uses `n` held slots if there are enough for this kind: a reply its own first, then shared ones. */
function useHeld(held: Held, kind: 'bulk' | 'reply', n: number): boolean {
  if (kind === 'bulk') {
    if (held.shared < n) return false;
    held.shared -= n;
    return true;
  }
  if (held.replyOnly + held.shared < n) return false;
  const own = Math.min(held.replyOnly, n);
  held.replyOnly -= own;
  held.shared -= n - own;
  return true;
}
