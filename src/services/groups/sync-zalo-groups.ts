import type { Repos } from '../../store/repos.js';
import type { ZaloGroupRow } from '../../store/zalo-group.repo.js';
import type { ZaloCallFailure, ZaloGroupsApi } from './zalo-groups-api.js';

// Zalo's default page is 5 groups; its maximum is not documented (UNCONFIRMED). 50 keeps a listing to a few calls, and
// the loop moves by what came back, not by what it asked for, so a smaller server-side cap still lists everything.
const PAGE = 50;
const MAX_PAGES = 100;

/** What a listing did: the OA's groups as now stored, how many were new, and how many stored ones it no longer has. */
export type SyncGroupsOutcome =
  | { ok: true; groups: ZaloGroupRow[]; added: number; unlisted: number }
  | { ok: false; reason: 'api'; failure: ZaloCallFailure };

/**
 * Lists the OA's groups from the API (every page) and stores them: new groups are added, names and what the listing
 * proves about health are updated, class links stay. Groups stored before that the OA no longer lists are marked
 * `not_member` (the OA left, or the group was dissolved).
 */
export async function syncZaloGroups(repos: Repos, api: ZaloGroupsApi, opts: { accountId: string; now: Date }): Promise<SyncGroupsOutcome> {
  const seen = new Map<string, { id: string; name: string; status: string | null }>();
  let offset = 0;
  for (let page = 0; page < MAX_PAGES; page++) {
    const r = await api.listGroups(offset, PAGE);
    if (!r.ok) return { ok: false, reason: 'api', failure: r };
    for (const g of r.groups) seen.set(g.groupId, { id: g.groupId, name: g.name || g.groupId, status: g.status });
    offset += r.groups.length;
    if (r.groups.length === 0 || (r.total !== null ? offset >= r.total : r.groups.length < PAGE)) break;
  }
  const listed = [...seen.values()];
  const added = await repos.zaloGroups.upsertListed(opts.accountId, listed, opts.now);
  const unlisted = await repos.zaloGroups.markUnlisted(opts.accountId, listed.map((g) => g.id), opts.now);
  return { ok: true, groups: await repos.zaloGroups.list(opts.accountId), added, unlisted };
}
