import type { Repos } from '../../store/repos.js';
import { seesSchool, type StaffScope } from '../staff/staff-scope.js';
import { channelHealth, type ChannelHealthResult } from './channel-health.js';
import { pledgeProgressFigures, type PledgeProgressFiguresResult } from './pledge-progress-figures.js';
import { tipFigures, type TipFiguresResult } from './tip-figures.js';
import { weekBroadcasts, type WeekBroadcastsResult } from './week-broadcasts.js';

/** Every section of the dashboard; each says on its own why it is empty (`not_allowed` for the role, `no_campaign`). */
export interface DashboardFigures {
  pledges: PledgeProgressFiguresResult;
  tips: TipFiguresResult;
  broadcasts: WeekBroadcastsResult;
  health: ChannelHealthResult;
}

/** `not_visible`: the school asked for is outside the scope (nothing about it is read). */
export type DashboardFiguresResult = { ok: true; figures: DashboardFigures } | { ok: false; reason: 'not_visible' };

/**
 * The console dashboard for a scope, optionally narrowed to one school: pledge progress, tips, the week's broadcasts
 * and channel health, each counted with SQL aggregates over what the scope reaches. The sections run side by side.
 */
export async function dashboardFigures(repos: Repos, scope: StaffScope, now: Date, opts: { schoolId?: string } = {}): Promise<DashboardFiguresResult> {
  if (opts.schoolId !== undefined && !seesSchool(scope, opts.schoolId)) return { ok: false, reason: 'not_visible' };
  const [pledges, tips, broadcasts, health] = await Promise.all([
    pledgeProgressFigures(repos, scope, opts),
    tipFigures(repos, scope, opts),
    weekBroadcasts(repos, scope, now, opts),
    channelHealth(repos, scope, now, opts),
  ]);
  return { ok: true, figures: { pledges, tips, broadcasts, health } };
}
