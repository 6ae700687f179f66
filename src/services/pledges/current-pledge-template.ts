import type { PledgeRepo, PledgeTemplateRecord } from '../../store/pledge.repo.js';

/** The template to sign now for an audience (newest version in the most recently started active campaign), or null. */
export function currentPledgeTemplate(repo: PledgeRepo, audience: 'parent' | 'student'): Promise<PledgeTemplateRecord | null> {
  return repo.currentTemplate(audience);
}
