import type { Repos } from '../../store/repos.js';

/** The group now linked to the class; or why not. */
export type LinkGroupOutcome =
  | { ok: true; groupId: string; groupName: string; class: { id: string; code: string; name: string } }
  | { ok: false; reason: 'unknown_group' | 'unknown_class' };

/**
 * Links a stored Zalo group (listed first with `syncZaloGroups`) to a class by its code: broadcasts and reminders to
 * that class then reach the group too. A group serves one class; linking it again moves it.
 */
export async function linkGroupToClass(repos: Repos, req: { groupId: string; classCode: string }): Promise<LinkGroupOutcome> {
  const group = await repos.zaloGroups.get(req.groupId.trim());
  if (!group) return { ok: false, reason: 'unknown_group' };
  const cls = await repos.directory.findClassByCode(req.classCode.trim());
  if (!cls) return { ok: false, reason: 'unknown_class' };
  await repos.zaloGroups.linkClass(group.id, cls.id);
  return { ok: true, groupId: group.id, groupName: group.name, class: { id: cls.id, code: cls.code, name: cls.name } };
}
