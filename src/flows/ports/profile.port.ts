import type { ContactView } from '../flow.js';

/** Changes to the contact's own profile; applied in the turn's transaction. */
export interface Profile {
  update(patch: Partial<Pick<ContactView, 'role' | 'schoolId' | 'classId' | 'locale' | 'subscribed'>>): Promise<void>;
}
