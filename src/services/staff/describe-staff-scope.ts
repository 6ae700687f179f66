import type { Repos } from '../../store/repos.js';
import type { PlaceRef, StaffMember } from '../../store/staff.repo.js';
import type { StaffScope } from './staff-scope.js';

/** The places an account's scope names, for saying it in words (the profile page, the account list). */
export interface ScopePlaces {
  role: StaffScope['role'];
  /** Every school of the system (an admin without an office). */
  everywhere: boolean;
  office: PlaceRef | null;
  school: PlaceRef | null;
  class: PlaceRef | null;
  /** How many schools the scope reaches (null: every school). */
  schoolCount: number | null;
}

/** Looks up the names of the office, school and class an account's scope is built from. */
export async function describeStaffScope(repos: Pick<Repos, 'staff'>, scope: StaffScope, member: Pick<StaffMember, 'officeId' | 'schoolId' | 'classId'>): Promise<ScopePlaces> {
  const [office, school, klass] = await Promise.all([
    member.officeId ? repos.staff.office(member.officeId) : null,
    member.schoolId ? repos.staff.school(member.schoolId) : null,
    member.classId ? repos.staff.class(member.classId) : null,
  ]);
  const strip = <T extends PlaceRef>(p: T | null): PlaceRef | null => (p ? { id: p.id, code: p.code, name: p.name } : null);
  return {
    role: scope.role,
    everywhere: scope.schoolIds === 'all',
    office: strip(office),
    school: strip(school),
    class: strip(klass),
    schoolCount: scope.schoolIds === 'all' ? null : scope.schoolIds.length,
  };
}
