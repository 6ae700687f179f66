import type { Repos } from '../../store/repos.js';
import { GROUP_QUOTA_TYPES, type GroupProductType, type ZaloCallFailure, type ZaloGroupsApi } from './zalo-groups-api.js';

const WEEK_MS = 7 * 24 * 3600_000;
/** Zalo takes at most 99 members in a new group's first list (the rest join by link or invitation). */
const MAX_INITIAL_MEMBERS = 99;
const NAME_MAX = 100;

/** The new group (stored and linked to the class) and its join link; or why none was made. */
export type CreateClassGroupOutcome =
  | { ok: true; groupId: string; name: string; groupLink: string | null; members: number }
  | { ok: false; reason: 'unknown_class' }
  /** No verified teacher of the class has written to the OA on Zalo in the last 7 days (Zalo adds only those). */
  | { ok: false; reason: 'no_members' }
  /** The OA has no free GMF asset of that product (buy one, or free one by dissolving a group). */
  | { ok: false; reason: 'no_quota'; productType: string }
  | { ok: false; reason: 'api'; step: 'quota' | 'create'; failure: ZaloCallFailure };

/**
 * Creates an OA-owned Zalo group for a class where the OA's package allows it: takes a free GMF asset from the
 * quota, creates the group with the class's verified teachers on Zalo as its first members, stores it linked to the
 * class and returns its join link. Parents are not added by us: the teacher shares the link, and each parent
 * decides to join (their name and picture become visible to the group).
 */
export async function createClassGroup(
  repos: Repos,
  api: ZaloGroupsApi,
  req: { classCode: string; accountId: string; name?: string; productType?: GroupProductType; now: Date },
): Promise<CreateClassGroupOutcome> {
  const cls = await repos.directory.findClassByCode(req.classCode);
  if (!cls) return { ok: false, reason: 'unknown_class' };
  const members = await repos.zaloGroups.teacherZaloUsersOfClass(cls, req.accountId, new Date(req.now.getTime() - WEEK_MS), MAX_INITIAL_MEMBERS);
  if (members.length === 0) return { ok: false, reason: 'no_members' };
  const productType = req.productType ?? 'gmf100';
  let assetId: string | null = null;
  for (const quotaType of GROUP_QUOTA_TYPES) {
    const quota = await api.groupQuota({ productType, quotaType });
    if (!quota.ok) return { ok: false, reason: 'api', step: 'quota', failure: quota };
    assetId = quota.assets.find((a) => a.status === null || a.status === 'available')?.assetId ?? null;
    if (assetId) break;
  }
  if (!assetId) return { ok: false, reason: 'no_quota', productType };
  const name = (req.name?.trim() || `Lớp ${cls.name} – ${cls.schoolName}`).slice(0, NAME_MAX);
  const created = await api.createGroup({ name, description: `Nhóm phụ huynh lớp ${cls.name}, ${cls.schoolName}`.slice(0, 500), assetId, memberUserIds: members });
  if (!created.ok) return { ok: false, reason: 'api', step: 'create', failure: created };
  await repos.zaloGroups.insertCreated({ id: created.group.groupId, accountId: req.accountId, name: created.group.name || name, classId: cls.id }, req.now);
  return { ok: true, groupId: created.group.groupId, name: created.group.name || name, groupLink: created.group.groupLink, members: members.length };
}
