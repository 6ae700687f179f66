import type { BroadcastRecord } from '../../store/broadcast.repo.js';
import type { Repos } from '../../store/repos.js';
import { parseAudience, unique } from './audience.js';

/** The schools a broadcast concerns: its whole schools and the schools of its classes. */
export async function schoolsOfBroadcast(repos: Repos, b: Pick<BroadcastRecord, 'audience'>): Promise<string[]> {
  const a = parseAudience(b.audience);
  return (await repos.audience.targets(unique(a.schoolIds), unique(a.classIds))).schoolIds;
}

/** The chat contacts that may approve, reject or cancel a broadcast (school admins of its schools, their office's, global admins). */
export async function approverContactsOf(repos: Repos, b: Pick<BroadcastRecord, 'audience'>): Promise<string[]> {
  return repos.audience.approverContactIds(await schoolsOfBroadcast(repos, b));
}

/** Whether a console account may approve broadcasts of these schools (an `admin` of none sees every school). */
export async function staffMayApprove(repos: Repos, staffId: string, schoolIds: string[]): Promise<boolean> {
  const staff = await repos.audience.staffScope(staffId);
  if (!staff || (staff.role !== 'admin' && staff.role !== 'school_admin')) return false;
  if (staff.role === 'admin' && staff.schoolId === null && staff.officeId === null) return true;
  if (schoolIds.length === 0) return false;
  if (staff.schoolId !== null) return schoolIds.every((id) => id === staff.schoolId);
  if (staff.officeId === null) return false;
  const offices = await repos.audience.officesOf(schoolIds);
  return offices.length > 0 && offices.every((o) => o === staff.officeId);
}
