import type { Repos } from '../../store/repos.js';
import type { ClassRecord } from '../../store/school-admin.repo.js';
import { reachesClass } from '../classes/class-access.js';
import type { StaffScope } from '../staff/staff-scope.js';

/** A class and its roster names, by name; or not found (outside the scope, exactly like a missing class). */
export type ListRosterResult = { ok: true; class: ClassRecord; pupils: { id: string; name: string }[] } | { ok: false; reason: 'not_found' };

/** The pupils on a class roster, for that class's teacher, its school's admins and office admins only. */
export async function listRoster(repos: Repos, scope: StaffScope, classId: string): Promise<ListRosterResult> {
  const cls = await repos.schoolAdmin.getClass(classId);
  if (!cls || !reachesClass(scope, cls)) return { ok: false, reason: 'not_found' };
  const pupils = (await repos.rosters.entries(cls.id)).map((e) => ({ id: e.id, name: e.studentName }));
  return { ok: true, class: cls, pupils };
}
