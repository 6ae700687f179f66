import type { PledgeProgress } from '../../flows/index.js';
import { classPledgeProgress, progressClasses } from '../../services/pledges/pledge-progress.js';
import type { Repos } from '../../store/repos.js';

/** The flows' "who has not pledged" port for one contact, over the pledge services and the turn's repositories. */
export function createPledgeProgressPort(repos: Repos, contactId: string): PledgeProgress {
  return {
    classes: async () => (await progressClasses(repos, contactId)).map((c) => ({ id: c.id, name: c.name, schoolName: c.schoolName, own: c.own })),
    ofClass: (classId) => classPledgeProgress(repos, { contactId, classId }),
  };
}
