import type { StepContext } from './flow.js';

/**
 * Whether the contact is a teacher verified, by an invite code, at the school it is linked to. Teacher-only features
 * ask this, never the role alone: a role is what someone tapped, a verification is what the school handed out.
 */
export async function isVerifiedTeacher(ctx: StepContext): Promise<boolean> {
  const schoolId = ctx.contact.schoolId;
  if (ctx.contact.role !== 'teacher' || !schoolId) return false;
  return (await ctx.services.teacherInvites.verifiedSchoolIds()).includes(schoolId);
}
