import type { PrismaClient } from '../../store/database.js';
import { createRepos, inTransaction } from '../../store/repos.js';
import { listCalendar, type CalendarReminder, type UpcomingRun } from '../reminders/list-calendar.js';
import type { StaffScope } from '../staff/staff-scope.js';
import type { OutMessage } from '../../content/messages.schema.js';
import type { BroadcastStatus, ReachForecast } from './broadcast-types.js';
import { cancelStaffBroadcast, type CancelStaffBroadcastResult } from './cancel-staff-broadcast.js';
import { composeStaffBroadcast, createStaffBroadcast, type CreateStaffBroadcastResult, type StaffBroadcastProblem, type StaffBroadcastRequest } from './create-staff-broadcast.js';
import { decideStaffBroadcast, type DecideStaffBroadcastResult } from './decide-staff-broadcast.js';
import { forecastReach } from './forecast-reach.js';
import { listStaffBroadcasts, type StaffBroadcastListItem } from './list-staff-broadcasts.js';
import type { QuietHours } from './reach-rules.js';
import { staffBroadcastTargets, type StaffBroadcastTargets } from './staff-broadcast-targets.js';
import { viewStaffBroadcast, type StaffBroadcastView } from './staff-broadcast-view.js';

/** The forecast of a console broadcast, or why it cannot be sent as composed. */
export type StaffForecastResult = { ok: true; forecast: ReachForecast; messages: OutMessage[] } | { ok: false; reason: StaffBroadcastProblem };

/** The broadcast and reminder verbs the console calls (one verb per file; this only wires them to the database). */
export interface ConsoleBroadcasts {
  targets(scope: StaffScope, opts?: { classesOf?: string | undefined }): Promise<StaffBroadcastTargets>;
  /** The messages and the reach forecast at the send time, after the same checks as `create` (nothing is stored). */
  forecast(scope: StaffScope, req: StaffBroadcastRequest): Promise<StaffForecastResult>;
  create(scope: StaffScope, req: StaffBroadcastRequest): Promise<CreateStaffBroadcastResult>;
  list(scope: StaffScope, opts?: { status?: BroadcastStatus }): Promise<StaffBroadcastListItem[]>;
  view(scope: StaffScope, broadcastId: string): Promise<{ ok: true; view: StaffBroadcastView } | { ok: false; reason: 'not_found' }>;
  decide(scope: StaffScope, req: { broadcastId: string; approve: boolean; now: Date }): Promise<DecideStaffBroadcastResult>;
  cancel(scope: StaffScope, req: { broadcastId: string; now: Date }): Promise<CancelStaffBroadcastResult>;
  calendar(scope: StaffScope, now: Date): Promise<{ reminders: CalendarReminder[]; upcoming: UpcomingRun[] }>;
}

/** Wires the console's broadcast verbs; the forecast follows the Zalo channel's quiet hours (from config). */
export function createConsoleBroadcasts(opts: { prisma: PrismaClient; zaloQuietHours?: QuietHours | undefined }): ConsoleBroadcasts {
  const { prisma } = opts;
  const policy = { zaloQuietHours: opts.zaloQuietHours ?? { start: 22, end: 6 } };
  const reads = () => createRepos(prisma);
  return {
    targets: (scope, o) => staffBroadcastTargets(reads(), scope, o),
    async forecast(scope, req) {
      const repos = reads();
      const c = await composeStaffBroadcast(repos, scope, req);
      if (!c.ok) return c;
      // Judged at the send time: a scheduled send meets the quiet hours and reply windows of that moment.
      const at = req.sendAt.getTime() > req.now.getTime() ? req.sendAt : req.now;
      return { ok: true, forecast: await forecastReach(repos, c.composed.audience, at, policy), messages: c.composed.messages };
    },
    create: (scope, req) => inTransaction(prisma, (repos) => createStaffBroadcast(repos, scope, req)),
    list: (scope, o) => listStaffBroadcasts(reads(), scope, o),
    view: (scope, id) => viewStaffBroadcast(reads(), scope, id),
    decide: (scope, req) => inTransaction(prisma, (repos) => decideStaffBroadcast(repos, scope, req)),
    cancel: (scope, req) => inTransaction(prisma, (repos) => cancelStaffBroadcast(repos, scope, req)),
    calendar: (scope, now) => listCalendar(reads(), scope, now),
  };
}
