import type { Repos } from '../../store/repos.js';
import type { StaffChatAccount } from '../../store/staff-notification.repo.js';

/** Chat contacts of the linked admins of a school (its own and its office's): who is asked to approve its broadcasts. */
export function schoolAdminContacts(repos: Repos, schoolId: string): Promise<string[]> {
  return repos.staffNotifications.adminContacts(schoolId);
}

/** Chat contacts of the linked tip handlers and admins who receive a school's urgent-tip alerts. */
export async function tipHandlerContacts(repos: Repos, schoolId: string | null): Promise<string[]> {
  const officeId = schoolId ? await repos.staffNotifications.officeOfSchool(schoolId) : null;
  return repos.staffNotifications.handlerContacts({ schoolId, officeId });
}

/** The staff account a chat contact is linked to (its role and scope), or null. */
export function staffAccountOfContact(repos: Repos, contactId: string): Promise<StaffChatAccount | null> {
  return repos.staffNotifications.accountOfContact(contactId);
}
