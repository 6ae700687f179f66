import type { Repos } from '../../store/repos.js';
import type { StaffListRow } from '../../store/staff.repo.js';
import { mayChangeAccount, staffReachOf } from './staff-reach.js';
import type { StaffScope } from './staff-scope.js';

/** How many accounts one page of the staff list holds. */
export const STAFF_PAGE_SIZE = 50;

/** A staff account as listed, with whether the viewer may change it. */
export type StaffAccountItem = StaffListRow & { canManage: boolean };

/** One page of the accounts in reach (by name), or a refusal for roles that manage no accounts. */
export type ListStaffAccountsResult = { ok: true; accounts: StaffAccountItem[]; total: number; page: number; pages: number } | { ok: false; reason: 'forbidden' };

/**
 * The staff accounts an admin or school admin reaches (`staffReachOf`): name, e-mail, role, places, last sign-in,
 * whether a chat is linked and whether it is active; 50 a page (`page` from 1; past the last, the last).
 */
export async function listStaffAccounts(repos: Pick<Repos, 'staff'>, scope: StaffScope, req: { page: number }): Promise<ListStaffAccountsResult> {
  const reach = staffReachOf(scope);
  if (!reach) return { ok: false, reason: 'forbidden' };
  const wanted = Math.max(1, Math.floor(req.page));
  let out = await repos.staff.list(reach, { skip: (wanted - 1) * STAFF_PAGE_SIZE, take: STAFF_PAGE_SIZE });
  const pages = Math.max(1, Math.ceil(out.total / STAFF_PAGE_SIZE));
  const page = Math.min(wanted, pages);
  if (page !== wanted) out = await repos.staff.list(reach, { skip: (page - 1) * STAFF_PAGE_SIZE, take: STAFF_PAGE_SIZE });
  return { ok: true, accounts: out.rows.map((a) => ({ ...a, canManage: mayChangeAccount(scope, a) })), total: out.total, page, pages };
}
