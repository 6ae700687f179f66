import type { Repos } from '../../store/repos.js';
import { figuresOf } from '../broadcasts/broadcast-figures.js';
import type { BroadcastFigures } from '../broadcasts/broadcast-types.js';
import type { StaffScope } from '../staff/staff-scope.js';
import { figureFilter } from './scope-filters.js';

/** A broadcast of the week with its delivery figures. */
export interface WeekBroadcast {
  code: string;
  sendAt: Date;
  /** Sent by a reminder of the campaign calendar (rather than typed by a person). */
  fromReminder: boolean;
  /**
   * Each recipient once (src/services/broadcasts/broadcast-figures.ts). A broadcast that also addresses schools or
   * classes outside the scope is counted over the recipients the scope reaches only: a teacher sees a school-wide
   * broadcast's figures for their class, and `audienceSize` is theirs too.
   */
  figures: BroadcastFigures;
}

/** The dashboard's broadcasts: sent in the last 7 days or due in the next 7, newest send time first. */
export interface WeekBroadcasts {
  from: Date;
  to: Date;
  broadcasts: WeekBroadcast[];
}

export type WeekBroadcastsResult = ({ ok: true } & WeekBroadcasts) | { ok: false; reason: 'not_allowed' | 'not_visible' };

const DAY_MS = 86_400_000;
const LIMIT = 50;

/**
 * Broadcasts whose audience reaches the scope, sent in the 7 days before `now` or due in the 7 days after it (at
 * most 50), with their figures. Two statements: the list, and one GROUP BY over their outbox rows.
 */
export async function weekBroadcasts(repos: Repos, scope: StaffScope, now: Date, opts: { schoolId?: string } = {}): Promise<WeekBroadcastsResult> {
  const filter = figureFilter(scope, opts.schoolId);
  if (filter === null) return { ok: false, reason: 'not_allowed' };
  if (filter === 'not_visible') return { ok: false, reason: 'not_visible' };
  const from = new Date(now.getTime() - 7 * DAY_MS);
  const to = new Date(now.getTime() + 7 * DAY_MS);
  const list = await repos.dashboard.broadcastsBetween(from, to, filter, LIMIT);
  // A broadcast addressing only what the scope reaches keeps its own figures (one index range per broadcast); the
  // others are counted over the scope's recipients alone.
  const [whole, narrowed] = await Promise.all([
    repos.broadcasts.figureRows(list.filter((b) => b.withinFilter).map((b) => b.id)),
    repos.dashboard.figureRowsWithin(list.filter((b) => !b.withinFilter).map((b) => b.id), filter),
  ]);
  const rows = [...whole, ...narrowed];
  const broadcasts = list.map((b): WeekBroadcast => {
    const own = rows.filter((r) => r.broadcastId === b.id);
    const audienceSize = b.withinFilter ? b.audienceSize : own.reduce((n, r) => n + r.n, 0);
    return { code: b.code, sendAt: b.sendAt, fromReminder: b.source?.startsWith('reminder:') ?? false, figures: figuresOf({ ...b, audienceSize }, own) };
  });
  return { ok: true, from, to, broadcasts };
}
