import type { Repos } from '../../store/repos.js';
import type { SchoolFilter, SchoolListItem } from '../../store/school-admin.repo.js';
import type { StaffScope } from '../staff/staff-scope.js';

/** The schools a console account reaches, by name, each with its class count. */
export type ListSchoolsResult = { ok: true; schools: SchoolListItem[] } | { ok: false; reason: 'forbidden' };

/** Lists the schools in scope: all (system admin), the office's (office admin), or the account's own school. */
export async function listSchools(repos: Repos, scope: StaffScope): Promise<ListSchoolsResult> {
  if (scope.role === 'tip_handler') return { ok: false, reason: 'forbidden' };
  return { ok: true, schools: await repos.schoolAdmin.listSchools(schoolFilter(scope)) };
}

/** The schools a scope reaches, as a repository filter. */
export function schoolFilter(scope: StaffScope): SchoolFilter {
  if (scope.schoolIds === 'all') return { all: true };
  if (scope.role === 'admin' && scope.officeId !== null) return { officeId: scope.officeId, orIds: scope.schoolIds };
  return { ids: scope.schoolIds };
}
