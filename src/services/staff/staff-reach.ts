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
