import type { BroadcastAuthorFilter, BroadcastRecord, FigureRow } from '../../store/broadcast.repo.js';
import type { Repos } from '../../store/repos.js';
import { normaliseBroadcastCode } from './broadcast-codes.js';
import type { BroadcastAuthor, BroadcastFigures, BroadcastStatus } from './broadcast-types.js';

/**
 * A broadcast's figures, or null for an unknown code. Each recipient (person or group) counts once, by the row of its
 * first message: queued (pending or being sent), sent, delivered and seen where the platform reports it, skipped and
 * failed by outcome, cancelled, and caught up later (sent or queued again after writing). One GROUP BY statement.
 */
export async function broadcastFigures(repos: Repos, code: string): Promise<BroadcastFigures | null> {
  const normalised = normaliseBroadcastCode(code);
  const b = normalised ? await repos.broadcasts.byCode(normalised) : null;
  if (!b) return null;
  return figuresOf(b, await repos.broadcasts.figureRows([b.id]));
}

/** The latest broadcasts of an author with their figures, newest first (two statements). */
export async function listBroadcastsBy(repos: Repos, author: BroadcastAuthor, limit: number): Promise<BroadcastFigures[]> {
  const filter: BroadcastAuthorFilter =
    author.kind === 'contact' ? { createdByContactId: author.contactId } : author.kind === 'staff' ? { createdByStaffId: author.staffId } : { source: `reminder:${author.reminderId}` };
  const list = await repos.broadcasts.listBy(filter, Math.max(1, Math.min(100, limit)));
  const rows = await repos.broadcasts.figureRows(list.map((b) => b.id));
  return list.map((b) => figuresOf(b, rows));
}

/** One broadcast's figures from figure rows (of `BroadcastRepo.figureRows`, or rows counted the same way). */
export function figuresOf(b: Pick<BroadcastRecord, 'id' | 'code' | 'status' | 'audienceSize'>, rows: FigureRow[]): BroadcastFigures {
  const f: BroadcastFigures = {
    code: b.code,
    status: b.status as BroadcastStatus,
    audienceSize: b.audienceSize ?? 0,
    queued: 0,
    sent: 0,
    delivered: 0,
    seen: 0,
    skipped: {},
    failed: {},
    caughtUp: 0,
    cancelled: 0,
  };
  for (const r of rows) {
    if (r.broadcastId !== b.id) continue;
    f.delivered += r.delivered;
    f.seen += r.seen;
    f.caughtUp += r.caughtUp;
    const outcome = r.outcome ?? 'unknown';
    if (r.status === 'pending' || r.status === 'sending') f.queued += r.n;
    else if (r.status === 'sent') f.sent += r.n;
    else if (r.status === 'skipped' && outcome === 'cancelled') f.cancelled += r.n;
    else if (r.status === 'skipped') f.skipped[outcome] = (f.skipped[outcome] ?? 0) + r.n;
    else if (r.status === 'failed') f.failed[outcome] = (f.failed[outcome] ?? 0) + r.n;
  }
  return f;
}
