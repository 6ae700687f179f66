import { z } from 'zod';
import type { MemberSpec } from '../../store/audience.repo.js';
import type { Repos } from '../../store/repos.js';
import type { Audience, AudienceRole } from './broadcast-types.js';

/** An audience as stored in `Broadcast.audience` and `Reminder.audience`. */
export const AudienceSchema = z.object({
  schoolIds: z.array(z.string().min(1)).max(200).default([]),
  classIds: z.array(z.string().min(1)).max(2000).default([]),
  roles: z.array(z.enum(['parent', 'student', 'teacher', 'staff'])).max(4).default([]),
  onlyUnpledged: z.boolean().default(false),
  includeGroups: z.boolean().default(false),
});

/** Roles whose contacts are parents or students of the classes (the only ones `onlyUnpledged` applies to). */
const PUPIL_ROLES: readonly AudienceRole[] = ['parent', 'student'];

/** Parses a stored audience; an unreadable one is an empty audience (it reaches nobody, never everybody). */
export function parseAudience(raw: unknown): Audience {
  const parsed = AudienceSchema.safeParse(raw);
  return parsed.success ? parsed.data : { schoolIds: [], classIds: [], roles: [], onlyUnpledged: false, includeGroups: false };
}

/** Whether an audience addresses nobody by construction (no school or class, or neither a role nor the groups). */
export function isEmptyAudience(a: Audience): boolean {
  return (a.schoolIds.length === 0 && a.classIds.length === 0) || (a.roles.length === 0 && !a.includeGroups);
}

/**
 * The audience resolved to what the store's predicate needs. `onlyUnpledged` leaves out parents and students who
 * signed a pledge (not withdrawn) in `campaignId`, or in the active campaign when none is given; with no campaign at
 * all nobody has pledged, so nobody is left out.
 */
export async function memberSpecOf(repos: Repos, a: Audience, campaignId: string | null): Promise<MemberSpec> {
  const targets = await repos.audience.targets(unique(a.schoolIds), unique(a.classIds));
  let excludePledgedIn: string | null = null;
  if (a.onlyUnpledged) excludePledgedIn = campaignId ?? (await repos.audience.activeCampaign())?.id ?? null;
  return {
    targets,
    pupilRoles: a.roles.filter((r) => PUPIL_ROLES.includes(r)),
    teachers: a.roles.includes('teacher'),
    staff: a.roles.includes('staff'),
    excludePledgedIn,
    groups: a.includeGroups,
  };
}

/** The ids once each, in their first order. */
export function unique(xs: readonly string[]): string[] {
  return [...new Set(xs)];
}
