import type { ContactView, Role, TeacherInvites } from '../../flows/index.js';
import { redeemTeacherInvite } from '../../services/teachers/redeem-invite.js';
import type { Repos } from '../../store/repos.js';

/** The flows' teacher port for one contact, in the turn's transaction. */
export function createTeacherInvitesPort(repos: Repos, contact: ContactView, key: Buffer): TeacherInvites {
  return {
    async redeem(typed, now) {
      const out = await redeemTeacherInvite(repos, key, { contactId: contact.id, typed, now });
      if (out.ok) Object.assign(contact, { role: 'teacher' satisfies Role, schoolId: out.schoolId, classId: out.classId });
      return out;
    },
    verifiedSchoolIds: () => repos.teacherInvites.verifiedSchoolIds(contact.id),
  };
}
