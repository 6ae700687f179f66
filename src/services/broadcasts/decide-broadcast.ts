import type { Repos } from '../../store/repos.js';
import { approverContactsOf, schoolsOfBroadcast, staffMayApprove } from './broadcast-approvers.js';
import { normaliseBroadcastCode } from './broadcast-codes.js';
import type { BroadcastStatus } from './broadcast-types.js';

/** Who approves or rejects: a linked approver in chat, or a console account. */
export type BroadcastDecider = { kind: 'contact'; contactId: string } | { kind: 'staff'; staffId: string };

export type DecideBroadcastResult =
  | { ok: true; status: BroadcastStatus; code: string; authorContactId: string | null }
  | { ok: false; reason: 'unknown' | 'not_approver' | 'not_pending' };

/**
 * Approves (`scheduled`: it goes out at its time, at once if that has passed) or rejects a broadcast waiting for
 * approval. The decider must be one of its approvers (see broadcast-approvers.ts). Of two deciders at once, one wins;
 * the other is told it is no longer pending. `authorContactId`: whom to tell in chat.
 */
export async function decideBroadcast(
  repos: Repos,
  req: { code: string; decider: BroadcastDecider; approve: boolean; now: Date },
): Promise<DecideBroadcastResult> {
  const code = normaliseBroadcastCode(req.code);
  const b = code ? await repos.broadcasts.byCode(code) : null;
  if (!b) return { ok: false, reason: 'unknown' };
  const allowed =
    req.decider.kind === 'contact'
      ? (await approverContactsOf(repos, b)).includes(req.decider.contactId)
      : await staffMayApprove(repos, req.decider.staffId, await schoolsOfBroadcast(repos, b));
  if (!allowed) return { ok: false, reason: 'not_approver' };
  const status: BroadcastStatus = req.approve ? 'scheduled' : 'rejected';
  const decidedBy = req.decider.kind === 'contact' ? `contact:${req.decider.contactId}` : `staff:${req.decider.staffId}`;
  const moved = await repos.broadcasts.transition(b.id, ['pending_approval'], status, { decidedBy, ...(req.approve ? { approvedAt: req.now } : {}) });
  if (!moved) return { ok: false, reason: 'not_pending' };
  return { ok: true, status, code: b.code, authorContactId: b.createdByContactId };
}
