import { looseNameKey, studentKey } from '../../content/person-name.js';
import type { PledgeRepo } from '../../store/pledge.repo.js';

/** Whether a class has a roster, and the roster's spelling of a typed pupil name (null: not on it). */
export interface RosterMatch {
  hasRoster: boolean;
  name: string | null;
}

/**
 * Finds a typed name on the class roster: by exact key, or, for a name typed without diacritics, by the loose key
 * when exactly one pupil of the class has it ("Thu" and "Thư" in one class: no match).
 */
export async function matchRosterName(repo: PledgeRepo, classId: string, typed: string): Promise<RosterMatch> {
  const exact = await repo.rosterName(classId, studentKey(typed));
  if (exact) return { hasRoster: true, name: exact };
  const names = await repo.rosterNames(classId);
  const loose = names.filter((n) => looseNameKey(n) === looseNameKey(typed));
  return { hasRoster: names.length > 0, name: loose.length === 1 ? loose[0]! : null };
}
