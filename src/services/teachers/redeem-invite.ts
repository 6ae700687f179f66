import { normalizeTeacherCode } from '../../content/teacher-code.js';
import type { Repos } from '../../store/repos.js';
import { codeAttemptKey, hashTeacherCode } from './invite-keys.js';

/** Wrong codes a contact may send per window before every try is refused until the window ends (README "Teachers"). */
export const CODE_TRIES = { limit: 5, windowMs: 3600_000 } as const;

/** The outcome of a typed code: the contact is now a teacher of that school (and class), or why not. */
export type RedeemOutcome =
  | { ok: true; schoolId: string; classId: string | null }
  | { ok: false; reason: 'malformed' }
  | { ok: false; reason: 'rate_limited'; retryAt: Date }
  | { ok: false; reason: 'unknown' | 'used' | 'expired' };

/**
 * Redeems a typed teacher code for a contact: the invite is marked used and the contact becomes a teacher of its
 * school, and of its class (or keeps its class when that is in the same school). Every try that is not right takes
 * one of `CODE_TRIES.limit` slots of the hour, a right one gives its slot back; once they are gone every try is
 * refused, right or not, so guessing stays hopeless (about 5 tries an hour against 3.8·10^12 codes).
 */
export async function redeemTeacherInvite(repos: Repos, key: Buffer, req: { contactId: string; typed: string; now: Date }): Promise<RedeemOutcome> {
  const code = normalizeTeacherCode(req.typed);
  // Not the shape of a code: it cannot be right, so it costs no try.
  if (!code) return { ok: false, reason: 'malformed' };
  const windowStart = new Date(Math.floor(req.now.getTime() / CODE_TRIES.windowMs) * CODE_TRIES.windowMs);
  const slot = codeAttemptKey(key, req.contactId, windowStart);
  if (!(await repos.throttle.take(slot, windowStart, CODE_TRIES.limit))) {
    return { ok: false, reason: 'rate_limited', retryAt: new Date(windowStart.getTime() + CODE_TRIES.windowMs) };
  }
  const invite = await repos.teacherInvites.findByHash(hashTeacherCode(key, code));
  if (!invite) return { ok: false, reason: 'unknown' };
  // Sending one's own used code again (a retry, or after changing school) links the contact to it again.
  const own = invite.usedByContactId === req.contactId;
  if (!own) {
    if (invite.usedAt) return { ok: false, reason: 'used' };
    if (invite.expiresAt.getTime() <= req.now.getTime()) return { ok: false, reason: 'expired' };
    if (!(await repos.teacherInvites.markUsed(invite.id, req.contactId, req.now))) return { ok: false, reason: 'used' };
  }
  const contact = await repos.contacts.get(req.contactId);
  const currentClass = contact?.classId ? await repos.directory.getClass(contact.classId) : null;
  const classId = invite.classId ?? (currentClass?.schoolId === invite.schoolId ? currentClass.id : null);
  await repos.contacts.update(req.contactId, { role: 'teacher', schoolId: invite.schoolId, classId });
  await repos.throttle.refund(slot, windowStart);
  return { ok: true, schoolId: invite.schoolId, classId };
}
