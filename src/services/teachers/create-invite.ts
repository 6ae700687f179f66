import { newTeacherCode } from '../../content/teacher-code.js';
import type { Repos } from '../../store/repos.js';
import { hashTeacherCode } from './invite-keys.js';

const DAY_MS = 24 * 3600_000;
/** How long a code stays valid when staff do not say. */
export const DEFAULT_INVITE_DAYS = 14;
/** The longest validity staff may choose: a code is a bearer secret, it should not lie around for a school year. */
export const MAX_INVITE_DAYS = 90;
// A fresh code colliding with a stored one is a 1-in-10^12 event; drawing again a few times makes it a non-event.
const DRAWS = 5;

/** What staff ask for: a school by code, optionally one of its classes, and a validity in days. */
export interface InviteRequest {
  schoolCode: string;
  classCode?: string | undefined;
  days?: number | undefined;
  createdBy?: string | null | undefined;
  now: Date;
}

/** The code (shown once, never stored) and what it grants; or why nothing was created. */
export type CreateInviteOutcome =
  | { ok: true; code: string; inviteId: string; expiresAt: Date; school: { id: string; name: string; code: string }; class: { id: string; name: string; code: string } | null }
  | { ok: false; reason: 'unknown_school' | 'unknown_class' | 'class_in_other_school' | 'invalid_days' | 'no_free_code' };

/** Creates a single-use teacher invite for a school (and class); only the code's keyed hash is stored. */
export async function createTeacherInvite(repos: Repos, key: Buffer, req: InviteRequest): Promise<CreateInviteOutcome> {
  const days = req.days ?? DEFAULT_INVITE_DAYS;
  if (!Number.isInteger(days) || days < 1 || days > MAX_INVITE_DAYS) return { ok: false, reason: 'invalid_days' };
  const school = await repos.teacherInvites.findSchoolByCode(req.schoolCode);
  if (!school) return { ok: false, reason: 'unknown_school' };
  const cls = req.classCode ? await repos.directory.findClassByCode(req.classCode) : null;
  if (req.classCode && !cls) return { ok: false, reason: 'unknown_class' };
  if (cls && cls.schoolId !== school.id) return { ok: false, reason: 'class_in_other_school' };
  const expiresAt = new Date(req.now.getTime() + days * DAY_MS);
  for (let i = 0; i < DRAWS; i++) {
    const code = newTeacherCode();
    const row = await repos.teacherInvites.insert({ codeHash: hashTeacherCode(key, code), schoolId: school.id, classId: cls?.id ?? null, createdBy: req.createdBy ?? null, expiresAt });
    if (row) return { ok: true, code, inviteId: row.id, expiresAt, school, class: cls ? { id: cls.id, name: cls.name, code: cls.code } : null };
  }
  return { ok: false, reason: 'no_free_code' };
}
