import type { Repos } from '../../store/repos.js';
import { resolveBroadcastScope } from '../broadcasts/broadcast-scope.js';

/** A class whose pledge progress a verified teacher may see; `own`: the class of their invite. */
export interface ProgressClass {
  id: string;
  name: string;
  schoolId: string;
  schoolName: string;
  own: boolean;
}

/** One side (parents or students) of a class's pledges: how many roster pupils have one, and who has none. */
export interface ProgressSide {
  signed: number;
  /** Roster names without a valid pledge of this side, by given name as Vietnamese class lists are. */
  missing: string[];
}

/** Pledge progress of a class in the active campaign, against its roster. */
export interface ClassPledgeProgress {
  classId: string;
  className: string;
  schoolName: string;
  campaignTitle: string;
  rosterSize: number;
  parent: ProgressSide;
  student: ProgressSide;
}

/**
 * The outcome of a look-up. `not_visible`: not a class of the contact's scope (nothing about it is read);
 * `no_campaign`: no active campaign; `no_roster`: the class has no roster, so only the pledges signed are counted;
 * `counts_only`: a class of a school-wide teacher's scope that is not their own: counts, never pupils' names
 * (DESIGN.md §4: names only for that class's teacher).
 */
export type PledgeProgressResult =
  | { ok: true; progress: ClassPledgeProgress }
  | { ok: false; reason: 'not_visible' | 'no_campaign' }
  | { ok: false; reason: 'no_roster' | 'counts_only'; className: string; schoolName: string; campaignTitle: string; signed: { parent: number; student: number }; rosterSize?: number };

/**
 * The classes a contact may see the pledge progress of: those a verified teacher may address (src/services/broadcasts/
 * broadcast-scope.ts): the class of a class invite, every class of a school invite. Own classes first. Empty for a
 * contact that redeemed no invite.
 */
export async function progressClasses(repos: Repos, contactId: string): Promise<ProgressClass[]> {
  const scope = await resolveBroadcastScope(repos, contactId);
  const all = scope.schools.flatMap((s) => s.classes.map((c) => ({ id: c.id, name: c.name, schoolId: s.id, schoolName: s.name, own: c.own })));
  const byId = new Map<string, ProgressClass>();
  for (const c of [...all.filter((x) => x.own), ...all.filter((x) => !x.own)]) if (!byId.has(c.id)) byId.set(c.id, c);
  return [...byId.values()];
}

const collator = new Intl.Collator('vi', { sensitivity: 'base' });

/** Vietnamese class-list order: by given name (the last word), then by the full name. */
export function byGivenName(a: string, b: string): number {
  const given = (n: string) => n.trim().split(/\s+/).pop() ?? '';
  return collator.compare(given(a), given(b)) || collator.compare(a, b);
}

/**
 * Who in a class has not pledged in the active campaign, per side: the roster pupils without a valid parent pledge
 * and those without a valid student pledge, with the counts. Only for a class of the contact's scope, and names only
 * for the teacher's own class (the class of their code); pupil names leave this function only in the result.
 */
export async function classPledgeProgress(repos: Repos, req: { contactId: string; classId: string }): Promise<PledgeProgressResult> {
  const cls = (await progressClasses(repos, req.contactId)).find((c) => c.id === req.classId);
  if (!cls) return { ok: false, reason: 'not_visible' };
  const campaign = await repos.pledges.activeCampaign();
  if (!campaign) return { ok: false, reason: 'no_campaign' };
  const { pupils, signed } = await repos.pledges.classProgress(cls.id, campaign.id);
  const base = { className: cls.name, schoolName: cls.schoolName, campaignTitle: campaign.title };
  if (pupils.length === 0) return { ok: false, reason: 'no_roster', ...base, signed };
  if (!cls.own) return { ok: false, reason: 'counts_only', ...base, signed, rosterSize: pupils.length };
  const side = (a: 'parent' | 'student'): ProgressSide => ({
    signed: pupils.filter((p) => p[a]).length,
    missing: pupils.filter((p) => !p[a]).map((p) => p.studentName).sort(byGivenName),
  });
  return { ok: true, progress: { classId: cls.id, ...base, rosterSize: pupils.length, parent: side('parent'), student: side('student') } };
}
