import { createTeacherInvite } from '../../src/services/teachers/create-invite.js';
import { teacherInviteKey } from '../../src/services/teachers/invite-keys.js';
import { createRepos } from '../../src/store/repos.js';
import type { TestApp } from './app.js';

/** A fresh teacher code of the running app, for a school (and class) by code, as `npm run invite` makes one. */
export async function inviteCode(app: TestApp, req: { school: string; class?: string; days?: number; now?: Date }): Promise<string> {
  const out = await createTeacherInvite(createRepos(app.db.prisma), teacherInviteKey(app.config.appSecret), {
    schoolCode: req.school,
    classCode: req.class,
    days: req.days,
    now: req.now ?? new Date(),
  });
  if (!out.ok) throw new Error(`invite not created: ${out.reason}`);
  return out.code;
}
