import type { Repos } from '../../store/repos.js';
import type { ZaloGroupRow } from '../../store/zalo-group.repo.js';

/** The Zalo groups linked to these classes that can take messages now (broadcast and reminder expansion). */
export async function healthyGroupsOfClasses(repos: Repos, classIds: string[]): Promise<ZaloGroupRow[]> {
  return (await repos.zaloGroups.ofClasses(classIds)).filter((g) => g.health === 'ok');
}

/**
 * Every group linked to these classes, healthy or not: an unhealthy one is skipped with its reason (`health`:
 * `disabled` after −237, `not_member` after −403 or when the OA no longer lists it; `healthCode` the code seen).
 */
export function groupsOfClasses(repos: Repos, classIds: string[]): Promise<ZaloGroupRow[]> {
  return repos.zaloGroups.ofClasses(classIds);
}
