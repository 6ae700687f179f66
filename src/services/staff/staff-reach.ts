import type { Repos } from '../../store/repos.js';
import type { StaffListRow, StaffReach } from '../../store/staff.repo.js';
import { mayManage } from './staff-placement.js';
import type { StaffScope } from './staff-scope.js';

/**
 * Which accounts a staff page shows this account: a system admin every account; an office admin the office's own
 * accounts and those of its schools; a school admin their school's. Teachers and tip handlers none (null).
 */
export function staffReachOf(scope: StaffScope): StaffReach | null {
  if (scope.role === 'admin') return scope.officeId ? { kind: 'office', officeId: scope.officeId } : scope.schoolIds === 'all' ? { kind: 'all' } : null;
  if (scope.role === 'school_admin') {
    const [schoolId] = scope.schoolIds === 'all' ? [] : scope.schoolIds;
    return schoolId ? { kind: 'school', schoolId } : null;
  }
  return null;
}

/** Whether an account lies within a reach (the same rule as the list's query, for one account). */
export function withinReach(reach: StaffReach, account: Pick<StaffListRow, 'schoolId' | 'officeId' | 'school'>): boolean {
  switch (reach.kind) {
    case 'all':
      return true;
    case 'office':
      return account.officeId === reach.officeId || account.school?.officeId === reach.officeId;
    case 'school':
      return account.schoolId === reach.schoolId;
  }
}

/** Whether this account may change that one (role, deactivation): within `mayManage`, and never its own. */
export function mayChangeAccount(scope: StaffScope, account: StaffListRow): boolean {
  return account.id !== scope.staffId && mayManage(scope, account, account.school?.officeId ?? null);
}

/** Why an account may not be changed by this one: outside its reach (answered as not found), its own, or above it. */
export type AccountRefusal = 'not_found' | 'forbidden' | 'own_account';

/**
 * The account an actor is about to change (deactivate, reset its password): within reach, not the actor's own, and
 * one the actor may manage; otherwise why not. No account reach at all (teachers, tip handlers) is `forbidden`.
 */
export async function changeableAccount(repos: Pick<Repos, 'staff'>, actor: StaffScope, staffId: string): Promise<{ ok: true; target: StaffListRow } | { ok: false; reason: AccountRefusal }> {
  const reach = staffReachOf(actor);
  if (!reach) return { ok: false, reason: 'forbidden' };
  const target = await repos.staff.listRow(staffId);
  if (!target || !withinReach(reach, target)) return { ok: false, reason: 'not_found' };
  if (target.id === actor.staffId) return { ok: false, reason: 'own_account' };
  if (!mayChangeAccount(actor, target)) return { ok: false, reason: 'forbidden' };
  return { ok: true, target };
}
