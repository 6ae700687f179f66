import type { ContactView, Role, TeacherInvites } from '../../flows/index.js';
import { redeemTeacherInvite } from '../../services/teachers/redeem-invite.js';
import type { Repos } from '../../store/repos.js';

/**
 * The flows' teacher port for one contact, in the turn's transaction. Without a key (a processor built without
 * `teacherInviteKey`) codes cannot be checked and say so; verification already stored still counts.
 */
export function createTeacherInvitesPort(repos: Repos, contact: ContactView, key: Buffer | undefined): TeacherInvites {
  return {
    async redeem(typed, now) {
      if (!key) return { ok: false, reason: 'unavailable' };
      const out = await redeemTeacherInvite(repos, key, { contactId: contact.id, typed, now });
      if (out.ok) Object.assign(contact, { role: 'teacher' satisfies Role, schoolId: out.schoolId, classId: out.classId });
      return out;
    },
    verifiedSchoolIds: () => repos.teacherInvites.verifiedSchoolIds(contact.id),
  };
}
