import type { Repos } from '../../store/repos.js';
import type { StaffAccountItem } from './list-staff-accounts.js';
import { mayChangeAccount, staffReachOf, withinReach } from './staff-reach.js';
import type { StaffScope } from './staff-scope.js';

/** One account as its page shows it, or why not (`not_found` also for an account outside the viewer's reach). */
export type ViewStaffAccountResult = { ok: true; account: StaffAccountItem } | { ok: false; reason: 'not_found' | 'forbidden' };

/** An account within the viewer's reach (`staffReachOf`), with whether the viewer may change it. */
export async function viewStaffAccount(repos: Pick<Repos, 'staff'>, scope: StaffScope, staffId: string): Promise<ViewStaffAccountResult> {
  const reach = staffReachOf(scope);
  if (!reach) return { ok: false, reason: 'forbidden' };
  const account = await repos.staff.listRow(staffId);
  if (!account || !withinReach(reach, account)) return { ok: false, reason: 'not_found' };
  return { ok: true, account: { ...account, canManage: mayChangeAccount(scope, account) } };
}
