import type { Repos } from '../../store/repos.js';

/** A class a verified teacher may address; `own`: the class of their invite (no approval ever needed). */
export interface ScopeClass {
  id: string;
  name: string;
  own: boolean;
}

/** A school a verified teacher may address something in. */
export interface ScopeSchool {
  id: string;
  name: string;
  /** May address the whole school (a school-wide invite). */
  wholeSchool: boolean;
  /** A school-wide broadcast here (and one to a class not their own) waits for a school admin's approval. */
  needsApproval: boolean;
  classes: ScopeClass[];
}

/** What a contact may broadcast to: nothing unless it is a verified teacher. */
export interface BroadcastScope {
  schools: ScopeSchool[];
}

/**
 * What a contact may broadcast to, from the invites it redeemed: an invite of a class gives that class (its own, no
 * approval); an invite of a whole school gives the school and every class of it (school-wide broadcasts, and those to
 * classes not its own, need approval where the school's setting says so). An unverified contact gets no schools.
 */
export async function resolveBroadcastScope(repos: Repos, contactId: string): Promise<BroadcastScope> {
  const invites = await repos.audience.usedInvites(contactId);
  if (invites.length === 0) return { schools: [] };
  const schools = new Map<string, ScopeSchool>();
  const own = new Set<string>();
  for (const i of invites) {
    const s = schools.get(i.schoolId) ?? { id: i.schoolId, name: i.schoolName, wholeSchool: false, needsApproval: i.needsApproval, classes: [] };
    schools.set(i.schoolId, s);
    if (i.classId === null) s.wholeSchool = true;
    else own.add(i.classId);
  }
  const whole = [...schools.values()].filter((s) => s.wholeSchool).map((s) => s.id);
  const classesOfWhole = await repos.audience.classesOf(whole);
  for (const s of schools.values()) {
    if (s.wholeSchool) {
      s.classes = classesOfWhole.filter((c) => c.schoolId === s.id).map((c) => ({ id: c.id, name: c.name, own: own.has(c.id) }));
    } else {
      s.classes = invites
        .filter((i) => i.schoolId === s.id && i.classId !== null)
        .filter((i, n, all) => all.findIndex((j) => j.classId === i.classId) === n)
        .map((i) => ({ id: i.classId!, name: i.className ?? '', own: true }));
    }
  }
  return { schools: [...schools.values()] };
}

/** Why a contact may not send an audience: a school or class outside its scope. Null when it may. */
export function outOfScope(scope: BroadcastScope, audience: { schoolIds: string[]; classIds: string[] }): string | null {
  for (const id of audience.schoolIds) if (!scope.schools.some((s) => s.id === id && s.wholeSchool)) return `school ${id}`;
  for (const id of audience.classIds) if (!scope.schools.some((s) => s.classes.some((c) => c.id === id))) return `class ${id}`;
  return null;
}

/**
 * Whether this audience, sent by a contact with this scope, waits for approval: a school-wide one, or one to a class
 * not its own, in a school whose setting asks for it. A class teacher's broadcast to its own class never does.
 */
export function scopeNeedsApproval(scope: BroadcastScope, audience: { schoolIds: string[]; classIds: string[] }): boolean {
  for (const s of scope.schools) {
    if (!s.needsApproval) continue;
    if (audience.schoolIds.includes(s.id)) return true;
    if (s.classes.some((c) => !c.own && audience.classIds.includes(c.id))) return true;
  }
  return false;
}
