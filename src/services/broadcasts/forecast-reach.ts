import type { Repos } from '../../store/repos.js';
import { memberSpecOf } from './audience.js';
import type { Audience, ChannelReach, ReachForecast, UnreachableReason } from './broadcast-types.js';
import { inQuietHours, MESSENGER_WINDOW_MS, quietHoursEnd, ZALO_WINDOW_MS, type QuietHours } from './reach-rules.js';

/** The send policy the forecast follows (the Zalo channel's quiet hours). */
export interface ReachPolicy {
  zaloQuietHours: QuietHours;
}

/**
 * The reach forecast of an audience at `now`, per channel, as the dispatcher's policies will decide: opted out;
 * reachable now; reachable later (Zalo's quiet hours: deferred to their end, and the 7-day window is judged then);
 * outside the reply window or never wrote, which counts as "only through the group" when their class has a healthy
 * Zalo group in the audience; else not reachable by reason. Two statements, whatever the audience's size.
 * `campaignId`: the campaign `onlyUnpledged` looks at (default: the active one).
 */
export async function forecastReach(repos: Repos, audience: Audience, now: Date, policy: ReachPolicy, campaignId: string | null = null): Promise<ReachForecast> {
  const spec = await memberSpecOf(repos, audience, campaignId);
  const zaloQuiet = inQuietHours(now, policy.zaloQuietHours);
  // A deferred Zalo message is judged against the window when the quiet hours end, as the dispatcher will.
  const zaloAt = zaloQuiet ? quietHoursEnd(now, policy.zaloQuietHours) : now;
  const rows = await repos.audience.reachCounts(spec, [
    { channel: 'messenger', cutoff: new Date(now.getTime() - MESSENGER_WINDOW_MS) },
    { channel: 'zalo', cutoff: new Date(zaloAt.getTime() - ZALO_WINDOW_MS) },
  ]);
  const byChannel: Record<string, ChannelReach> = {};
  let people = 0;
  for (const r of rows) {
    people += r.n;
    const c = (byChannel[r.channel] ??= { reachableNow: 0, reachableLater: 0, onlyThroughGroup: 0, notReachable: {} });
    const closed = (reason: UnreachableReason) => {
      if (r.viaGroup) c.onlyThroughGroup += r.n;
      else c.notReachable[reason] = (c.notReachable[reason] ?? 0) + r.n;
    };
    if (r.state === 'opted_out') c.notReachable.opted_out = (c.notReachable.opted_out ?? 0) + r.n;
    else if (r.state === 'never_wrote') closed('never_wrote');
    else if (r.state === 'window_closed') closed(r.channel === 'messenger' ? 'messenger_window_closed' : 'zalo_window_closed');
    else if (r.channel === 'zalo' && zaloQuiet) c.reachableLater += r.n;
    else c.reachableNow += r.n;
  }
  const groups = audience.includeGroups ? await repos.audience.groupCounts(spec) : { healthy: 0, unhealthy: 0 };
  return { people, byChannel, groups };
}
