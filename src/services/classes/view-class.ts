import type { Repos } from '../../store/repos.js';
import type { ClassRecord, SchoolRecord } from '../../store/school-admin.repo.js';
import { listRoster } from '../rosters/list-roster.js';
import { seesClassNames, type StaffScope } from '../staff/staff-scope.js';
import { managesClass } from './class-access.js';
import { buildClassLinks, type ChannelAccounts, type ClassLinks } from './class-links.js';

/** A class page: the class, its school, its roster (names only for those who may read them), its join links. */
export interface ClassView {
  class: ClassRecord;
  school: SchoolRecord;
  /** The pupils by name; null when this account may not read the class's names (then only `rosterCount`). */
  pupils: { id: string; name: string }[] | null;
  rosterCount: number;
  /** May rename the class and make teacher codes (an admin or the school's admin). */
  canManage: boolean;
  links: ClassLinks;
}

export type ViewClassResult = { ok: true; view: ClassView } | { ok: false; reason: 'not_found' };

/** Everything the console's class page shows, checked against the scope (outside it: not found, like a missing class). */
export async function viewClass(repos: Repos, scope: StaffScope, classId: string, accounts: ChannelAccounts): Promise<ViewClassResult> {
  const roster = await listRoster(repos, scope, classId);
  if (!roster.ok) return roster;
  const cls = roster.class;
  const school = await repos.schoolAdmin.getSchool(cls.schoolId);
  if (!school) return { ok: false, reason: 'not_found' };
  const names = seesClassNames(scope, cls.schoolId, cls.id);
  return {
    ok: true,
    view: {
      class: cls,
      school,
      pupils: names ? roster.pupils : null,
      rosterCount: roster.pupils.length,
      canManage: managesClass(scope, cls),
      links: buildClassLinks({ id: cls.id, name: cls.name, code: cls.code, schoolName: school.name }, accounts),
    },
  };
}
