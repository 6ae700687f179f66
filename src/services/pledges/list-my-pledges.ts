import type { PledgeRecord, PledgeRepo } from '../../store/pledge.repo.js';

/** A contact's own pledges that are not withdrawn, newest first. */
export function listMyPledges(repo: PledgeRepo, contactId: string): Promise<PledgeRecord[]> {
  return repo.listByContact(contactId);
}
