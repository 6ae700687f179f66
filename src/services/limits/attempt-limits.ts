import { createHmac } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import type { Repos } from '../../store/repos.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * The limits, in one place because README "Anonymous tips" states their arithmetic. Windows are fixed and aligned
 * (a 15-minute window starts at :00, :15, …), so a block always ends at the window's end.
 */
export const LIMITS = {
  signIn: {
    /** Failed sign-ins per source address per 15 minutes. */
    perSource: { limit: 10, windowMs: 15 * MINUTE },
    /** Failed sign-ins per account (any source) per hour: above the source limit, so one blocked source cannot lock the account. */
    perAccount: { limit: 30, windowMs: HOUR },
  },
  lookup: {
    /** Follow-up lookups (right or wrong) per source (chat identity or web address) per hour: each costs an argon2 hash. */
    perSource: { limit: 10, windowMs: HOUR },
    /** Wrong PINs per tip code (every source together) per hour; tips with a 6-digit PIN get the tighter one. */
    perCode: { limit: 30, legacyLimit: 5, windowMs: HOUR },
    /** Wrong PINs of one source on one code: 3 tries at once, then 1, 2, 4 … minutes between tries, at most an hour. */
    perCodeAndSource: { freeFailures: 3, baseMs: MINUTE, maxMs: HOUR, expireMs: 24 * HOUR },
  },
} as const;

/** Allowed (with what to undo if the attempt turns out right), or blocked until `retryAt`. */
export type Gate = { ok: true; succeeded(): Promise<void> } | { ok: false; retryAt: Date };

/**
 * Keyed hashes and window counters for sign-ins and tip follow-ups. Every key is an HMAC under a key derived from
 * config (TIP_HANDLE_KEY), for windows with a salt that changes each window, so the stored key is never the
 * address, account or code, and rows of different windows cannot be matched without the key.
 */
export class AttemptLimits {
  constructor(private readonly secret: Buffer) {}

  /** Takes a sign-in attempt for `account` from `source`; a right password gives both slots back. */
  async signIn(repos: Repos, account: string, source: string, now: Date): Promise<Gate> {
    const s = LIMITS.signIn.perSource;
    const a = LIMITS.signIn.perAccount;
    const sWin = windowStart(now, s.windowMs);
    const aWin = windowStart(now, a.windowMs);
    const sKey = this.key('signin-source', sWin, sourceOf(source));
    const aKey = this.key('signin-account', aWin, account.trim().toLowerCase());
    if (!(await repos.throttle.take(sKey, sWin, s.limit))) return { ok: false, retryAt: new Date(sWin.getTime() + s.windowMs) };
    if (!(await repos.throttle.take(aKey, aWin, a.limit))) {
      await repos.throttle.refund(sKey, sWin);
      return { ok: false, retryAt: new Date(aWin.getTime() + a.windowMs) };
    }
    return {
      ok: true,
      succeeded: async () => {
        await repos.throttle.refund(sKey, sWin);
        await repos.throttle.refund(aKey, aWin);
      },
    };
  }

  /** Takes one follow-up lookup from `source` (counted whether right or wrong). */
  async lookupSource(repos: Repos, source: string, now: Date): Promise<Gate> {
    const l = LIMITS.lookup.perSource;
    const win = windowStart(now, l.windowMs);
    if (!(await repos.throttle.take(this.key('lookup-source', win, source), win, l.limit))) return { ok: false, retryAt: new Date(win.getTime() + l.windowMs) };
    return { ok: true, succeeded: async () => {} };
  }

  /**
   * Takes one PIN try on `code` (normalised) from `source`: under the code's hourly limit and the backoff of this
   * source on this code. A right PIN gives the code's slot back and clears the backoff.
   */
  async lookupCode(repos: Repos, code: string, source: string, legacyPin: boolean, now: Date): Promise<Gate> {
    const c = LIMITS.lookup.perCode;
    const win = windowStart(now, c.windowMs);
    const codeKey = this.key('lookup-code', win, code);
    if (!(await repos.throttle.take(codeKey, win, legacyPin ? c.legacyLimit : c.limit))) return { ok: false, retryAt: new Date(win.getTime() + c.windowMs) };
    const b = LIMITS.lookup.perCodeAndSource;
    // A salt that does not rotate: a rotating one would start the backoff afresh each time it changed. The row
    // goes a day after the last wrong PIN (or at once after a right one).
    const pairKey = this.key('lookup-code-source', new Date(0), `${code}|${source}`);
    const pair = await repos.throttle.takeBackoff(pairKey, now, b, b.expireMs);
    if (!pair.allowed) {
      await repos.throttle.refund(codeKey, win);
      return { ok: false, retryAt: pair.notBefore };
    }
    return {
      ok: true,
      succeeded: async () => {
        await repos.throttle.refund(codeKey, win);
        await repos.throttle.clearBackoff(pairKey);
      },
    };
  }

  private key(purpose: string, window: Date, value: string): string {
    const salt = createHmac('sha256', this.secret).update(`attempts:${purpose}:${window.toISOString()}`).digest();
    return createHmac('sha256', salt).update(value).digest('base64url').slice(0, 32);
  }
}

/** The limits of one deployment, keyed by a key derived from TIP_HANDLE_KEY (like the daily submission salt). */
export function attemptLimitsFor(handleKey: Buffer): AttemptLimits {
  return new AttemptLimits(createHmac('sha256', handleKey).update('attempt-limits').digest());
}

/** Whole minutes until `retryAt` (at least 1), for "wait N minutes". */
export function minutesUntil(retryAt: Date, now: Date): number {
  return Math.max(1, Math.ceil((retryAt.getTime() - now.getTime()) / MINUTE));
}

/** Whole seconds until `retryAt` (at least 1), for `Retry-After`. */
export function secondsUntil(retryAt: Date, now: Date): number {
  return Math.max(1, Math.ceil((retryAt.getTime() - now.getTime()) / 1000));
}

/**
 * What counts as one web source: an IPv4 address, or an IPv6 /64 (one household or server usually holds a whole
 * /64, so counting single IPv6 addresses would give it billions of sources).
 */
export function sourceOf(address: string): string {
  const a = address.trim().toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  if (mapped && isIPv4(mapped[1]!)) return `ip:${mapped[1]}`;
  if (isIPv4(a)) return `ip:${a}`;
  if (!isIPv6(a)) return `other:${a}`;
  const [head = '', tail] = a.split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array<string>(Math.max(0, 8 - h.length - t.length)).fill('0'), ...t];
  return `ip6:${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

function windowStart(now: Date, windowMs: number): Date {
  return new Date(Math.floor(now.getTime() / windowMs) * windowMs);
}
