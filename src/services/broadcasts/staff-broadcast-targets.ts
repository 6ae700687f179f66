import type { Repos } from '../../store/repos.js';
import { reachesClass } from '../classes/class-access.js';
import { schoolFilter } from '../schools/list-schools.js';
import { reachesSchool } from '../schools/school-access.js';
import type { StaffScope } from '../staff/staff-scope.js';
import { unique } from './audience.js';
import type { AudienceRole } from './broadcast-types.js';

/** A school a console account may send to: as a whole (admins, its school admin), or only some classes of it (a teacher). */
export interface TargetSchool {
  id: string;
  name: string;
  officeId: string;
  wholeSchool: boolean;
}

/** A class a console account may send to. */
export interface TargetClass {
  id: string;
  name: string;
  schoolId: string;
  schoolName: string;
  schoolYear: string;
}

/** What a console account may address in a broadcast. */
export interface StaffBroadcastTargets {
  schools: TargetSchool[];
  /** The classes of `classesOf` (a school in scope), or a teacher's own classes. */
  classes: TargetClass[];
  /** The school whose classes are listed (null: none chosen, or a teacher's). */
  classesOf: string | null;
  roles: AudienceRole[];
}

/** Roles a teacher's account addresses (as in chat); school and office admins may reach verified teachers and linked staff too. */
export const TEACHER_ROLES: readonly AudienceRole[] = ['parent', 'student'];
export const ADMIN_ROLES: readonly AudienceRole[] = ['parent', 'student', 'teacher', 'staff'];
// A school has a few dozen classes; more than this is not one school's list.
const MAX_CLASSES = 500;

/** The roles a scope may address. */
export function rolesFor(scope: StaffScope): readonly AudienceRole[] {
  if (scope.role === 'admin' || scope.role === 'school_admin') return ADMIN_ROLES;
  if (scope.role === 'teacher') return TEACHER_ROLES;
  return [];
}

/**
 * The schools and classes a console account may send to: an admin every school of its scope as a whole, and the
 * classes of one of them (`classesOf`); a school admin their school and its classes; a teacher their own classes
 * (never the whole school: as in chat, only a school-wide code gives that, and a console teacher has a class).
 */
export async function staffBroadcastTargets(repos: Repos, scope: StaffScope, opts: { classesOf?: string | undefined } = {}): Promise<StaffBroadcastTargets> {
  const roles = [...rolesFor(scope)];
  if (roles.length === 0) return { schools: [], classes: [], classesOf: null, roles };
  const schools = await repos.schoolAdmin.listSchools(schoolFilter(scope));
  if (scope.role === 'teacher') {
    const own = scope.classIds === 'all' ? [] : await repos.consoleLists.classes(scope.classIds);
    const mine = own.filter((c) => schools.some((s) => s.id === c.schoolId));
    return {
      schools: schools.filter((s) => mine.some((c) => c.schoolId === s.id)).map((s) => ({ id: s.id, name: s.name, officeId: s.officeId, wholeSchool: false })),
      classes: mine,
      classesOf: null,
      roles,
    };
  }
  const pick = opts.classesOf ?? (schools.length === 1 ? schools[0]!.id : undefined);
  const chosen = pick ? schools.find((s) => s.id === pick) : undefined;
  const classes = chosen ? await repos.consoleLists.classesOfSchools([chosen.id], MAX_CLASSES) : [];
  return {
    schools: schools.map((s) => ({ id: s.id, name: s.name, officeId: s.officeId, wholeSchool: true })),
    classes: classes.map((c) => ({ ...c, schoolName: chosen!.name })),
    classesOf: chosen?.id ?? null,
    roles,
  };
}

/** An audience's schools and classes as checked against a scope: names for the messages and the audit, or why not. */
export type AudienceCheck =
  | { ok: true; schools: { id: string; name: string; officeId: string }[]; classes: TargetClass[] }
  | { ok: false; reason: 'not_found' | 'role_not_allowed' };

/**
 * Checks that a console account may send to every school (as a whole) and class of an audience, with these roles.
 * A school or class outside the scope, or unknown, is `not_found`, like a missing one.
 */
export async function checkStaffAudience(repos: Repos, scope: StaffScope, a: { schoolIds: readonly string[]; classIds: readonly string[]; roles: readonly AudienceRole[] }): Promise<AudienceCheck> {
  const allowed = rolesFor(scope);
  if (a.roles.some((r) => !allowed.includes(r))) return { ok: false, reason: 'role_not_allowed' };
  const schoolIds = unique([...a.schoolIds]);
  const classIds = unique([...a.classIds]);
  const whole = await repos.consoleLists.schools(schoolIds);
  if (whole.length !== schoolIds.length) return { ok: false, reason: 'not_found' };
  // A whole school: an admin or its school admin (a teacher's account has a class, never a whole school).
  if (whole.some((s) => !(scope.role === 'admin' || scope.role === 'school_admin') || !reachesSchool(scope, s))) return { ok: false, reason: 'not_found' };
  const classes = await repos.consoleLists.classes(classIds);
  if (classes.length !== classIds.length) return { ok: false, reason: 'not_found' };
  const ofClasses = await repos.consoleLists.schools(unique(classes.map((c) => c.schoolId)));
  const office = new Map(ofClasses.map((s) => [s.id, s.officeId]));
  if (classes.some((c) => !reachesClass(scope, { id: c.id, schoolId: c.schoolId, officeId: office.get(c.schoolId) ?? '' }))) return { ok: false, reason: 'not_found' };
  return { ok: true, schools: whole, classes };
}
