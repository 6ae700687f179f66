import type { Repos } from '../../store/repos.js';
import { approverContactsOf, schoolsOfBroadcast, staffMayApprove } from './broadcast-approvers.js';
import { normaliseBroadcastCode } from './broadcast-codes.js';
import type { BroadcastAuthor } from './broadcast-types.js';

/** Who cancels: the author, or one of the broadcast's approvers in chat. */
export type BroadcastCanceller = BroadcastAuthor | { kind: 'approver'; contactId: string };

export type CancelBroadcastResult = { ok: true; stopped: number } | { ok: false; reason: 'unknown' | 'not_allowed' | 'finished' };

/**
 * Cancels a broadcast: its status becomes `cancelled` and every row not yet sent is skipped with outcome
 * `cancelled` (rows being sent finish). `stopped`: recipients who had something stopped. A broadcast already
 * cancelled or rejected, or expanded with nothing left to send, is `finished`. The author may cancel (a staff account
 * also when it may approve the broadcast), and so may its approvers. A cancel during expansion waits for the chunk
 * being written (it locks the broadcast row) and then stops its rows too; no chunk follows.
 */
export async function cancelBroadcast(repos: Repos, req: { code: string; by: BroadcastCanceller; now: Date }): Promise<CancelBroadcastResult> {
  const code = normaliseBroadcastCode(req.code);
  const b = code ? await repos.broadcasts.byCode(code) : null;
  if (!b) return { ok: false, reason: 'unknown' };
  const by = req.by;
  let allowed: boolean;
  switch (by.kind) {
    case 'contact':
      allowed = b.createdByContactId === by.contactId;
      break;
    case 'staff':
      allowed = b.createdByStaffId === by.staffId || (await staffMayApprove(repos, by.staffId, await schoolsOfBroadcast(repos, b)));
      break;
    case 'reminder':
      allowed = b.source === `reminder:${by.reminderId}`;
      break;
    case 'approver':
      allowed = (await approverContactsOf(repos, b)).includes(by.contactId);
      break;
  }
  if (!allowed) return { ok: false, reason: 'not_allowed' };
  if (b.status === 'cancelled' || b.status === 'rejected') return { ok: false, reason: 'finished' };
  const moved = await repos.broadcasts.transition(b.id, ['draft', 'pending_approval', 'scheduled', 'expanding'], 'cancelled', { cancelledAt: req.now });
  const stopped = await repos.broadcasts.skipPending(b.id);
  if (!moved) {
    // Expanded already (or cancelled meanwhile): cancelling stops what is still queued, and the catch-up of those
    // whose window was closed while it may still happen; a broadcast with neither left is finished.
    const now = await repos.broadcasts.byId(b.id);
    const catchUpOpen = now?.catchUpUntil != null && now.catchUpUntil.getTime() > req.now.getTime();
    if (now?.status !== 'expanded' || (stopped === 0 && !catchUpOpen)) return { ok: false, reason: 'finished' };
    await repos.broadcasts.transition(b.id, ['expanded'], 'cancelled', { cancelledAt: req.now });
  }
  return { ok: true, stopped };
}
