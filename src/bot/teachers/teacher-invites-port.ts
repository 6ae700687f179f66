import type { ContactView, Role, TeacherInvites } from '../../flows/index.js';
import { redeemTeacherInvite } from '../../services/teachers/redeem-invite.js';
import type { Repos } from '../../store/repos.js';

/**
 * The flows' teacher port for one contact, in the turn's transaction. `beforeRedeem` writes the turn's pending profile
 * changes first: redeeming reads the contact's class and sets its role.
 */
export function createTeacherInvitesPort(repos: Repos, contact: ContactView, key: Buffer, beforeRedeem: () => Promise<void> = async () => {}): TeacherInvites {
  return {
    async redeem(typed, now) {
      await beforeRedeem();
      const out = await redeemTeacherInvite(repos, key, { contactId: contact.id, typed, now });
      if (out.ok) Object.assign(contact, { role: 'teacher' satisfies Role, schoolId: out.schoolId, classId: out.classId });
      return out;
    },
    verifiedSchoolIds: () => repos.teacherInvites.verifiedSchoolIds(contact.id),
  };
}
