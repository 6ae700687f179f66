import { z } from 'zod';
import { OutMessageSchema, type OutMessage } from '../../content/messages.schema.js';
import type { BroadcastRecord } from '../../store/broadcast.repo.js';
import type { BroadcastListFilter } from '../../store/console-lists.repo.js';
import type { Repos } from '../../store/repos.js';
import type { StaffScope } from '../staff/staff-scope.js';
import { parseAudience, unique } from './audience.js';
import { staffMayApprove } from './broadcast-approvers.js';
import { broadcastFigures } from './broadcast-figures.js';
import type { Audience, BroadcastFigures, BroadcastStatus } from './broadcast-types.js';

/** Who made a broadcast, as the console says it. */
export type BroadcastAuthorView = { kind: 'me' } | { kind: 'staff' } | { kind: 'teacher_chat' } | { kind: 'reminder'; title: string | null } | { kind: 'unknown' };

/** A broadcast as its console page shows it. */
export interface StaffBroadcastView {
  id: string;
  code: string;
  status: BroadcastStatus;
  sendAt: Date;
  createdAt: Date;
  approvedAt: Date | null;
  cancelledAt: Date | null;
  needsApproval: boolean;
  author: BroadcastAuthorView;
  audience: Audience;
  /** The schools and classes addressed that this account reaches, by name; how many others it does not. */
  places: { schools: string[]; classes: string[]; others: number };
  messages: OutMessage[];
  figures: BroadcastFigures | null;
  /** Waiting for approval and this account is one of its approvers. */
  mayDecide: boolean;
  /** Not finished and this account made it or may approve it. */
  mayCancel: boolean;
}

const Messages = z.array(OutMessageSchema);
const FINISHED: readonly string[] = ['cancelled', 'rejected'];

/** The broadcasts a scope lists: everything (a system admin), its schools' (admins), its classes' and whole school's (a teacher). Null: none. */
export function broadcastFilterOf(scope: StaffScope, status?: BroadcastStatus): BroadcastListFilter | null {
  const s = status ? { status } : {};
  if (scope.role === 'tip_handler') return null;
  if (scope.schoolIds === 'all') return { all: true, ...s };
  if (scope.role === 'teacher') return { schoolIds: [], wholeSchoolIds: scope.schoolIds, classIds: scope.classIds === 'all' ? [] : scope.classIds, staffId: scope.staffId, ...s };
  return { schoolIds: scope.schoolIds, wholeSchoolIds: [], classIds: [], staffId: scope.staffId, ...s };
}

/** Whether a scope sees a broadcast: the same rule as `broadcastFilterOf`, for one row. */
export async function seesBroadcast(repos: Repos, scope: StaffScope, b: BroadcastRecord): Promise<boolean> {
  const f = broadcastFilterOf(scope);
  if (!f) return false;
  if ('all' in f) return true;
  if (b.createdByStaffId === scope.staffId) return true;
  const a = parseAudience(b.audience);
  if (a.schoolIds.some((id) => f.schoolIds.includes(id) || f.wholeSchoolIds.includes(id))) return true;
  if (a.classIds.some((id) => f.classIds.includes(id))) return true;
  if (f.schoolIds.length === 0) return false;
  return (await repos.consoleLists.classes(a.classIds)).some((c) => f.schoolIds.includes(c.schoolId));
}

/** A broadcast in scope by id, or null (outside the scope exactly like a missing one). */
export async function broadcastInScope(repos: Repos, scope: StaffScope, broadcastId: string): Promise<BroadcastRecord | null> {
  if (broadcastId.length === 0 || broadcastId.length > 64) return null;
  const b = await repos.broadcasts.byId(broadcastId);
  return b && (await seesBroadcast(repos, scope, b)) ? b : null;
}

async function authorOf(repos: Repos, scope: StaffScope, b: BroadcastRecord): Promise<BroadcastAuthorView> {
  if (b.createdByStaffId) return b.createdByStaffId === scope.staffId ? { kind: 'me' } : { kind: 'staff' };
  if (b.createdByContactId) return { kind: 'teacher_chat' };
  if (b.source?.startsWith('reminder:')) return { kind: 'reminder', title: (await repos.reminders.findById(b.source.slice('reminder:'.length)))?.title ?? null };
  return { kind: 'unknown' };
}

/** The schools a broadcast concerns (whole ones and those of its classes). */
async function schoolsOf(repos: Repos, a: Audience): Promise<string[]> {
  return (await repos.audience.targets(unique(a.schoolIds), unique(a.classIds))).schoolIds;
}

/** Whether this account may approve or reject it (pending, and an approver of every school it concerns). */
export async function mayDecide(repos: Repos, scope: StaffScope, b: BroadcastRecord): Promise<boolean> {
  return b.status === 'pending_approval' && (await staffMayApprove(repos, scope.staffId, await schoolsOf(repos, parseAudience(b.audience))));
}

/** Whether this account may cancel it: not finished, and its author or one of its approvers (as `cancelBroadcast` decides). */
export async function mayCancel(repos: Repos, scope: StaffScope, b: BroadcastRecord): Promise<boolean> {
  if (FINISHED.includes(b.status)) return false;
  return b.createdByStaffId === scope.staffId || (await staffMayApprove(repos, scope.staffId, await schoolsOf(repos, parseAudience(b.audience))));
}

/** One broadcast for its console page: audience by name (within the scope), messages, figures, what this account may do. */
export async function viewStaffBroadcast(repos: Repos, scope: StaffScope, broadcastId: string): Promise<{ ok: true; view: StaffBroadcastView } | { ok: false; reason: 'not_found' }> {
  const b = await broadcastInScope(repos, scope, broadcastId);
  if (!b) return { ok: false, reason: 'not_found' };
  const audience = parseAudience(b.audience);
  const [schools, classes] = await Promise.all([repos.consoleLists.schools(audience.schoolIds), repos.consoleLists.classes(audience.classIds)]);
  const inScope = (schoolId: string) => scope.schoolIds === 'all' || scope.schoolIds.includes(schoolId);
  const visibleClass = (c: { id: string; schoolId: string }) => inScope(c.schoolId) && (scope.role !== 'teacher' || scope.classIds === 'all' || scope.classIds.includes(c.id));
  const shownSchools = schools.filter((s) => inScope(s.id));
  const shownClasses = classes.filter(visibleClass);
  const parsed = Messages.safeParse(b.message);
  return {
    ok: true,
    view: {
      id: b.id,
      code: b.code,
      status: b.status as BroadcastStatus,
      sendAt: b.sendAt,
      createdAt: b.createdAt,
      approvedAt: b.approvedAt,
      cancelledAt: b.cancelledAt,
      needsApproval: b.needsApproval,
      author: await authorOf(repos, scope, b),
      audience,
      places: {
        schools: shownSchools.map((s) => s.name),
        classes: shownClasses.map((c) => `${c.name} (${c.schoolName})`),
        others: audience.schoolIds.length + audience.classIds.length - shownSchools.length - shownClasses.length,
      },
      messages: parsed.success ? parsed.data : [],
      figures: await broadcastFigures(repos, b.code),
      mayDecide: await mayDecide(repos, scope, b),
      mayCancel: await mayCancel(repos, scope, b),
    },
  };
}
