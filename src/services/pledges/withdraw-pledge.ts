import type { PledgeRecord, PledgeRepo } from '../../store/pledge.repo.js';

/** The outcome of a withdrawal. */
export type WithdrawPledgeResult = { ok: true; pledge: PledgeRecord } | { ok: false; reason: 'not_found' };

/**
 * Withdraws one of the contact's own valid pledges. A withdrawn parent pledge no longer confirms the student's pledge
 * (the student's stays valid, waiting for a parent again).
 */
export async function withdrawPledge(repo: PledgeRepo, input: { contactId: string; pledgeId: string; now: Date }): Promise<WithdrawPledgeResult> {
  const pledge = await repo.markWithdrawn(input.contactId, input.pledgeId, input.now);
  if (!pledge) return { ok: false, reason: 'not_found' };
  if (pledge.audience === 'parent') await repo.unconfirmStudent({ campaignId: pledge.campaignId, classId: pledge.classId, studentKey: pledge.studentKey });
  return { ok: true, pledge };
}
