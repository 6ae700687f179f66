import { URGENT_TIP_ALERT } from '../tips/tip-rules.js';
import type { Repos } from '../../store/repos.js';
import type { StaffScope } from '../staff/staff-scope.js';
import { figureFilter } from './scope-filters.js';

/** A Zalo OA token's state: when the access token expires and whether refreshing it failed. Never the token. */
export interface TokenHealth {
  /** `zalo:<oa id>`. */
  id: string;
  expiresAt: Date;
  /** Minutes until the access token expires (negative: expired). */
  minutesLeft: number;
  refreshedAt: Date | null;
  /** A replica is refreshing it right now. */
  refreshing: boolean;
  /** Why the last refresh failed, if it did (Zalo's error, never a token). */
  lastError: string | null;
}

/** Queued messages of a channel put off by their last try, by reason. */
export interface DeferredSends {
  channel: string;
  /** rate_limited | quiet_hours | transient | token_expired */
  reason: string;
  count: number;
  /** Minutes the oldest of them has been queued. */
  oldestMinutes: number;
  nextTryAt: Date;
}

/** A Zalo class group broadcasts skip: messaging disabled (−237) or the OA no longer in it (−403). */
export interface UnhealthyGroup {
  id: string;
  name: string;
  health: string;
  code: string | null;
  since: Date | null;
  className: string | null;
  schoolName: string | null;
}

/** Channel health as the dashboard shows it. */
export interface ChannelHealth {
  /**
   * The channels as a whole (tokens, last webhook per channel, deferred sends, operator alerts): for admins and
   * school admins; null for a teacher, who gets only the groups of their classes.
   */
  system: {
    tokens: TokenHealth[];
    lastWebhook: { channel: string; at: Date | null; minutesAgo: number | null }[];
    deferred: DeferredSends[];
    alerts: { kind: string; message: string; since: Date }[];
  } | null;
  groups: { total: number; shown: UnhealthyGroup[] };
}

export type ChannelHealthResult = ({ ok: true } & ChannelHealth) | { ok: false; reason: 'not_allowed' | 'not_visible' };

const GROUPS_SHOWN = 50;
const minutesBetween = (later: Date, earlier: Date) => Math.floor((later.getTime() - earlier.getTime()) / 60_000);

/**
 * Zalo token expiry, the last webhook seen per channel, sends waiting on a rate limit (or quiet hours, or a retry),
 * open operator alerts, and the unhealthy Zalo groups of the classes the scope reaches. The urgent-tip alert is left
 * to the tip figures. One small statement each.
 */
export async function channelHealth(repos: Repos, scope: StaffScope, now: Date, opts: { schoolId?: string } = {}): Promise<ChannelHealthResult> {
  const filter = figureFilter(scope, opts.schoolId);
  if (filter === null) return { ok: false, reason: 'not_allowed' };
  if (filter === 'not_visible') return { ok: false, reason: 'not_visible' };
  const withSystem = scope.role === 'admin' || scope.role === 'school_admin';
  const [groups, system] = await Promise.all([repos.dashboard.unhealthyGroups(filter, GROUPS_SHOWN), withSystem ? systemHealth(repos, now) : Promise.resolve(null)]);
  return {
    ok: true,
    system,
    groups: {
      total: groups.total,
      shown: groups.rows.map((g) => ({ id: g.id, name: g.name, health: g.health, code: g.healthCode, since: g.healthAt, className: g.className, schoolName: g.schoolName })),
    },
  };
}

async function systemHealth(repos: Repos, now: Date): Promise<NonNullable<ChannelHealth['system']>> {
  const [tokens, inbound, deferred, alerts] = await Promise.all([
    repos.dashboard.tokenStates(now),
    repos.dashboard.lastInboundPerChannel(),
    repos.dashboard.deferredNow(now),
    repos.dashboard.openAlerts([URGENT_TIP_ALERT]),
  ]);
  return {
    tokens: tokens.map((t) => ({ ...t, minutesLeft: minutesBetween(t.expiresAt, now) })),
    lastWebhook: inbound.map((e) => ({ channel: e.channel, at: e.at, minutesAgo: e.at ? minutesBetween(now, e.at) : null })),
    deferred: deferred.map((d) => ({ channel: d.channel, reason: d.outcome, count: d.n, oldestMinutes: minutesBetween(now, d.oldestCreatedAt), nextTryAt: d.nextTryAt })),
    alerts: alerts.map((a) => ({ kind: a.kind, message: a.message, since: a.createdAt })),
  };
}
