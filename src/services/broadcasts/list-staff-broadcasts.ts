import type { Repos } from '../../store/repos.js';
import type { StaffScope } from '../staff/staff-scope.js';
import { parseAudience } from './audience.js';
import { figuresOf } from './broadcast-figures.js';
import type { BroadcastFigures, BroadcastStatus } from './broadcast-types.js';
import { broadcastFilterOf, mayDecide } from './staff-broadcast-view.js';

/** A broadcast in the console's list. */
export interface StaffBroadcastListItem {
  id: string;
  code: string;
  status: BroadcastStatus;
  sendAt: Date;
  createdAt: Date;
  author: 'me' | 'staff' | 'teacher_chat' | 'reminder' | 'unknown';
  /** How many schools (whole) and classes it addresses. */
  schools: number;
  classes: number;
  figures: BroadcastFigures;
  /** Waiting for approval, and this account may approve it. */
  mayDecide: boolean;
}

/** The newest broadcasts in scope (at most `limit`, 1–200), each with its figures; three statements plus one per pending one. */
export async function listStaffBroadcasts(repos: Repos, scope: StaffScope, opts: { status?: BroadcastStatus; limit?: number } = {}): Promise<StaffBroadcastListItem[]> {
  const filter = broadcastFilterOf(scope, opts.status);
  if (!filter) return [];
  const rows = await repos.consoleLists.broadcasts(filter, Math.max(1, Math.min(200, opts.limit ?? 100)));
  const figureRows = await repos.broadcasts.figureRows(rows.map((b) => b.id));
  const out: StaffBroadcastListItem[] = [];
  for (const b of rows) {
    const a = parseAudience(b.audience);
    out.push({
      id: b.id,
      code: b.code,
      status: b.status as BroadcastStatus,
      sendAt: b.sendAt,
      createdAt: b.createdAt,
      author: b.createdByStaffId ? (b.createdByStaffId === scope.staffId ? 'me' : 'staff') : b.createdByContactId ? 'teacher_chat' : b.source?.startsWith('reminder:') ? 'reminder' : 'unknown',
      schools: a.schoolIds.length,
      classes: a.classIds.length,
      figures: figuresOf(b, figureRows),
      mayDecide: await mayDecide(repos, scope, b),
    });
  }
  return out;
}
