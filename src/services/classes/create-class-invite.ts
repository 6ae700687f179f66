import type { Repos } from '../../store/repos.js';
import type { StaffScope } from '../staff/staff-scope.js';
import { createTeacherInvite, MAX_INVITE_DAYS } from '../teachers/create-invite.js';
import { managesClass, reachesClass } from './class-access.js';

/** A request for a teacher code of one class, from the console. */
export interface ClassInviteRequest {
  classId: string;
  /** Validity in days (1–90; default 14). */
  days?: number | undefined;
  now: Date;
}

/** The code (show it once: only its keyed hash is stored) and when it expires; or why none was made. */
export type CreateClassInviteResult =
  | { ok: true; code: string; expiresAt: Date; className: string; schoolName: string }
  | { ok: false; reason: 'not_found' | 'forbidden' }
  | { ok: false; reason: 'invalid_days' | 'no_free_code'; message: string };

/**
 * Creates a single-use teacher code for a class, for an admin or that school's admin (a teacher cannot mint codes);
 * `createdBy` records the staff account. `key` is `teacherInviteKey(APP_SECRET)`.
 */
export async function createClassInvite(repos: Repos, key: Buffer, scope: StaffScope, req: ClassInviteRequest): Promise<CreateClassInviteResult> {
  const cls = await repos.schoolAdmin.getClass(req.classId);
  if (!cls || !reachesClass(scope, cls)) return { ok: false, reason: 'not_found' };
  if (!managesClass(scope, cls)) return { ok: false, reason: 'forbidden' };
  const school = await repos.schoolAdmin.getSchool(cls.schoolId);
  if (!school) return { ok: false, reason: 'not_found' };
  const out = await createTeacherInvite(repos, key, { schoolCode: school.code, classCode: cls.code, days: req.days, createdBy: scope.staffId, now: req.now });
  if (out.ok) return { ok: true, code: out.code, expiresAt: out.expiresAt, className: cls.name, schoolName: school.name };
  if (out.reason === 'invalid_days') return { ok: false, reason: 'invalid_days', message: `Số ngày hiệu lực phải là số nguyên từ 1 đến ${MAX_INVITE_DAYS}.` };
  if (out.reason === 'no_free_code') return { ok: false, reason: 'no_free_code', message: 'Chưa tạo được mã, vui lòng thử lại.' };
  // The class and school were just read: a missing one means it was deleted meanwhile.
  return { ok: false, reason: 'not_found' };
}
