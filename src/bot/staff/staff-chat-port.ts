import type { ContactView, StaffChat } from '../../flows/index.js';
import { acknowledgeTipInChat } from '../../services/notifications/acknowledge-tip-in-chat.js';
import { linkStaffChat } from '../../services/notifications/link-staff-chat.js';
import { staffLinkKey } from '../../services/notifications/staff-link-keys.js';
import type { Repos } from '../../store/repos.js';

/**
 * The flows' staff chat port for one contact, in the turn's repositories (their first write makes the turn run in a
 * transaction). `teacherInviteKey` is the key the staff link key is derived from (both come from APP_SECRET).
 */
export function createStaffChatPort(repos: Repos, contact: ContactView, teacherInviteKey: Buffer): StaffChat {
  const key = staffLinkKey(teacherInviteKey);
  return {
    async link(typed, now) {
      const out = await linkStaffChat(repos, key, { contactId: contact.id, typed, now });
      return out.ok ? { ok: true, name: out.name } : out;
    },
    acknowledgeTip: (typedCode, now) => acknowledgeTipInChat(repos, { contactId: contact.id, typed: typedCode, now }),
  };
}
