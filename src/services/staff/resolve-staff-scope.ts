import type { Repos } from '../../store/repos.js';
import type { StaffPlacement } from '../../store/staff.repo.js';
import { isStaffRole, type StaffScope } from './staff-scope.js';

/**
 * The scope of an account, read from its row on every console request, so a role or placement change takes effect
 * at the next click. An admin with an office reaches that office's schools, without one every school; a school admin
 * their school's classes; a teacher their class; a tip handler their school, or their office's schools, and no
 * pupils' names. A role the console does not know resolves to null: such an account cannot use the console.
 */
export async function resolveStaffScope(repos: Pick<Repos, 'staff'>, account: StaffPlacement & { id: string }): Promise<StaffScope | null> {
  const { role, officeId, schoolId, classId } = account;
  if (!isStaffRole(role)) return null;
  const base = { staffId: account.id, role, officeId };
  const own = schoolId ? [schoolId] : [];
  switch (role) {
    case 'admin':
      return officeId ? { ...base, schoolIds: await repos.staff.schoolIdsOfOffice(officeId), classIds: 'all' } : { ...base, schoolIds: 'all', classIds: 'all' };
    case 'school_admin':
      return { ...base, schoolIds: own, classIds: 'all' };
    case 'teacher':
      return { ...base, schoolIds: own, classIds: classId ? [classId] : [] };
    case 'tip_handler':
      return { ...base, schoolIds: schoolId ? own : officeId ? await repos.staff.schoolIdsOfOffice(officeId) : [], classIds: [] };
  }
}
