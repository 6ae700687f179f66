import type { ContentItem } from '../../content/catalogue.schema.js';
import type { OutMessage } from '../../content/messages.schema.js';
import type { Repos } from '../../store/repos.js';
import { recordAudit } from '../audit/record-audit.js';
import type { StaffScope } from '../staff/staff-scope.js';
import { isEmptyAudience, unique } from './audience.js';
import type { Audience } from './broadcast-types.js';
import { createBroadcast, type CreatedBroadcast } from './create-broadcast.js';
import { staffBroadcastMessages, staffSender, STAFF_BROADCAST_TEXT_MAX } from './staff-broadcast-messages.js';
import { checkStaffAudience } from './staff-broadcast-targets.js';

const DAY_MS = 86_400_000;
/** How far ahead staff may schedule (as in chat). */
export const MAX_SCHEDULE_DAYS = 60;
/** "Send now" computed a moment before it is stored is not in the past (the broadcast service's own tolerance). */
const PAST_TOLERANCE_MS = 60_000;

/** A broadcast composed in the console. */
export interface StaffBroadcastRequest {
  audience: Audience;
  /** The typed text, or a reviewed catalogue item (for every pupil role addressed). */
  content: { text: string } | { item: ContentItem };
  sendAt: Date;
  now: Date;
}

export type StaffBroadcastProblem = 'not_found' | 'role_not_allowed' | 'empty_audience' | 'in_past' | 'too_far' | 'no_text' | 'text_too_long' | 'item_not_sendable' | 'unpledged_needs_pupils';

export type CreateStaffBroadcastResult = { ok: true; broadcast: CreatedBroadcast } | { ok: false; reason: StaffBroadcastProblem };

/** What a console broadcast's content and timing break, whatever its audience; null when they are fine. */
function draftProblem(req: StaffBroadcastRequest): StaffBroadcastProblem | null {
  const a = req.audience;
  if (isEmptyAudience(a)) return 'empty_audience';
  if (a.onlyUnpledged && !a.roles.some((r) => r === 'parent' || r === 'student')) return 'unpledged_needs_pupils';
  if (req.sendAt.getTime() < req.now.getTime() - PAST_TOLERANCE_MS) return 'in_past';
  if (req.sendAt.getTime() > req.now.getTime() + MAX_SCHEDULE_DAYS * DAY_MS) return 'too_far';
  const c = req.content;
  if ('text' in c) {
    if (c.text.trim() === '') return 'no_text';
    if ([...c.text.trim()].length > STAFF_BROADCAST_TEXT_MAX) return 'text_too_long';
  }
  if ('item' in c && (c.item.needsReview || a.roles.some((r) => (r === 'parent' || r === 'student') && !c.item.audience.includes(r)))) return 'item_not_sendable';
  return null;
}

/** A console broadcast checked and put together: its audience, the messages every recipient gets, the schools it concerns. */
export interface ComposedStaffBroadcast {
  audience: Audience;
  messages: OutMessage[];
  schoolIds: string[];
  officeIds: string[];
}

/**
 * Checks a console broadcast and builds its messages (signed as the chat signs them), storing nothing: the
 * audience must lie in the account's scope (else `not_found`, like a missing school).
 */
export async function composeStaffBroadcast(repos: Repos, scope: StaffScope, req: StaffBroadcastRequest): Promise<{ ok: true; composed: ComposedStaffBroadcast } | { ok: false; reason: StaffBroadcastProblem }> {
  // Scope first: an audience outside it is not found, whatever else is wrong with the draft.
  const checked = await checkStaffAudience(repos, scope, req.audience);
  if (!checked.ok) return { ok: false, reason: checked.reason };
  const problem = draftProblem(req);
  if (problem) return { ok: false, reason: problem };
  const audience: Audience = { ...req.audience, schoolIds: unique(req.audience.schoolIds), classIds: unique(req.audience.classIds), roles: unique(req.audience.roles) as Audience['roles'] };
  const officeIds = unique([...checked.schools.map((s) => s.officeId)]);
  const officeName = officeIds.length === 1 ? await repos.consoleLists.officeName(officeIds[0]!) : null;
  const sender = staffSender({
    teacher: scope.role === 'teacher',
    schools: [...checked.schools.map((s) => s.name), ...checked.classes.map((c) => c.schoolName)],
    classes: checked.classes.map((c) => c.name),
    officeName,
  });
  const messages = staffBroadcastMessages(req.content, sender, { pledgeButton: audience.onlyUnpledged });
  const schoolIds = unique([...checked.schools.map((s) => s.id), ...checked.classes.map((c) => c.schoolId)]);
  return { ok: true, composed: { audience, messages, schoolIds, officeIds } };
}

/**
 * Stores a broadcast composed in the console, in the caller's transaction, and records it in the audit log.
 * Approval follows the chat's rule (a school-wide send, or one to a class not one's own, waits where the school asks,
 * unless its author is an approver): console authors are school or office admins (approvers of what their scope
 * reaches) or teachers sending to their own class, so a console broadcast never waits; approvals are for teachers'
 * chat broadcasts.
 */
export async function createStaffBroadcast(repos: Repos, scope: StaffScope, req: StaffBroadcastRequest): Promise<CreateStaffBroadcastResult> {
  const c = await composeStaffBroadcast(repos, scope, req);
  if (!c.ok) return c;
  const { audience, messages, schoolIds, officeIds } = c.composed;
  const out = await createBroadcast(repos, { audience, messages, sendAt: req.sendAt, author: { kind: 'staff', staffId: scope.staffId } }, req.now);
  if (!out.ok) return { ok: false, reason: out.reason === 'not_allowed' ? 'not_found' : out.reason === 'no_message' ? 'no_text' : out.reason };
  await recordAudit(repos, {
    staffId: scope.staffId,
    action: 'broadcast_created',
    targetType: 'broadcast',
    targetId: out.broadcast.id,
    schoolId: schoolIds.length === 1 ? schoolIds[0]! : null,
    ...(schoolIds.length === 1 ? {} : { officeId: officeIds.length === 1 ? officeIds[0]! : scope.officeId }),
    detail: {
      code: out.broadcast.code,
      schools: audience.schoolIds.length,
      classes: audience.classIds.length,
      roles: audience.roles.join(','),
      onlyUnpledged: audience.onlyUnpledged,
      includeGroups: audience.includeGroups,
      scheduled: req.sendAt.getTime() > req.now.getTime() + PAST_TOLERANCE_MS,
      item: 'item' in req.content ? req.content.item.id : null,
    },
    at: req.now,
  });
  return { ok: true, broadcast: out.broadcast };
}
