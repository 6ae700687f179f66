import { z } from 'zod';
import type { ContentItem, Topic } from '../content/catalogue.schema.js';
import type { OutMessage } from '../content/messages.schema.js';
import { itemMessages, typedMessages, type BroadcastSender } from './broadcast-message.js';
import type { FlowData, StepContext } from './flow.js';
import type { BroadcastRoleChoice, BroadcastScopeView } from './ports/broadcasts.port.js';

const PickSchema = z.object({ kind: z.enum(['class', 'school']), id: z.string(), name: z.string(), schoolId: z.string(), schoolName: z.string() });
/** One chosen target: a class or a whole school. */
export type Pick = z.infer<typeof PickSchema>;

const DraftSchema = z.object({
  picks: z.array(PickSchema).default([]),
  roles: z.array(z.enum(['parent', 'student'])).optional(),
  onlyUnpledged: z.boolean().optional(),
  includeGroups: z.boolean().optional(),
  text: z.string().optional(),
  itemId: z.string().optional(),
  topic: z.string().optional(),
  imageUrl: z.string().nullable().optional(),
  code: z.string().optional(),
});
/** The draft kept in conversation state while the teacher composes. */
export type Draft = z.infer<typeof DraftSchema>;

/** The draft in a step's stored data (an empty one if it does not read). */
export const draftOf = (data: FlowData): Draft => DraftSchema.safeParse(data).data ?? { picks: [] };
/** The draft as a step's stored data. */
export const draftData = (d: Draft): FlowData => d as FlowData;

/** Every class and whole school the teacher may pick, own classes first. */
export function targets(scope: BroadcastScopeView): Pick[] {
  const own: Pick[] = [];
  const schools: Pick[] = [];
  const others: Pick[] = [];
  for (const s of scope.schools) {
    for (const c of s.classes) (c.own ? own : others).push({ kind: 'class', id: c.id, name: c.name, schoolId: s.id, schoolName: s.name });
    if (s.wholeSchool) schools.push({ kind: 'school', id: s.id, name: s.name, schoolId: s.id, schoolName: s.name });
  }
  return [...own, ...schools, ...others];
}

/** How a target reads in a sentence ("lớp 6A1", with its school when the scope has several). */
export function pickLabel(ctx: StepContext, p: Pick, manySchools: boolean): string {
  if (p.kind === 'school') return ctx.t('broadcast.target.school', { school: p.name, short: p.name.replace(/^trường\s+/iu, '') });
  return manySchools ? ctx.t('broadcast.target.classAt', { class: p.name, school: p.schoolName }) : ctx.t('broadcast.target.class', { class: p.name });
}

/** A target's button title ("Lớp 6A1", "Toàn trường"). */
export function pickTitle(ctx: StepContext, p: Pick): string {
  return p.kind === 'school' ? ctx.t('broadcast.button.wholeSchool') : ctx.t('broadcast.button.class', { class: p.name });
}

/** The targets still worth offering: not picked, and not a class of a school already picked whole. */
export function remaining(all: Pick[], picks: Pick[]): Pick[] {
  const wholeSchools = new Set(picks.filter((p) => p.kind === 'school').map((p) => p.schoolId));
  return all.filter((t) => !picks.some((p) => p.kind === t.kind && p.id === t.id) && !(t.kind === 'class' && wholeSchools.has(t.schoolId)));
}

/** The picks with one more target (a whole school replaces the classes of it already picked). */
export function addPick(picks: Pick[], p: Pick): Pick[] {
  // A whole school covers its classes.
  const kept = p.kind === 'school' ? picks.filter((x) => x.schoolId !== p.schoolId) : picks;
  return [...kept, p];
}

/** The audience in words: the targets, then the roles and the options once they are chosen. */
export function audienceLabel(ctx: StepContext, d: Draft): string {
  const many = new Set(d.picks.map((p) => p.schoolId)).size > 1;
  const who = d.picks.map((p) => pickLabel(ctx, p, many)).join(', ');
  if (!d.roles) return who;
  const roles = d.roles.length === 2 ? ctx.t('broadcast.roles.both') : d.roles[0] === 'parent' ? ctx.t('broadcast.roles.parent') : ctx.t('broadcast.roles.student');
  const extras = [d.onlyUnpledged ? ctx.t('broadcast.summary.unpledged') : '', d.includeGroups ? ctx.t('broadcast.summary.groups') : ''].filter(Boolean);
  return [`${who} – ${roles}`, ...extras].join(', ');
}

function senderOf(d: Draft): BroadcastSender {
  const schoolNames = [...new Set(d.picks.map((p) => p.schoolName))].join(', ');
  if (d.picks.some((p) => p.kind === 'school')) return { kind: 'school', schoolName: schoolNames };
  return { kind: 'class', className: d.picks.map((p) => p.name).join(', '), schoolName: schoolNames };
}

/** The audience as the broadcasts port takes it (both roles, no options, until chosen). */
export function audienceOf(d: Draft) {
  return {
    schoolIds: d.picks.filter((p) => p.kind === 'school').map((p) => p.id),
    classIds: d.picks.filter((p) => p.kind === 'class').map((p) => p.id),
    roles: d.roles ?? ['parent', 'student'],
    onlyUnpledged: d.onlyUnpledged ?? false,
    includeGroups: d.includeGroups ?? false,
  };
}

/** Items a teacher may send to these roles: reviewed ones only, meant for every chosen role. */
export function sendableItems(ctx: StepContext, roles: BroadcastRoleChoice[], topic?: Topic): ContentItem[] {
  return ctx.services.catalogue.items().filter((i) => !i.needsReview && roles.every((r) => i.audience.includes(r)) && (!topic || i.topic === topic));
}

/** The messages the recipients get: the catalogue item or the typed text and image, signed by the sender. */
export function messagesOf(ctx: StepContext, d: Draft): OutMessage[] {
  const item = d.itemId ? ctx.services.catalogue.get(d.itemId) : undefined;
  // Those who have not pledged get a button that opens the pledge.
  const extras = { pledgeButton: d.onlyUnpledged === true };
  if (item) return itemMessages(item, senderOf(d), extras);
  return typedMessages(d.text ?? '', d.imageUrl ?? null, senderOf(d), extras);
}

/**
 * The schools where this audience waits for approval: a whole school, or a class not the teacher's own, where the
 * school's setting asks for it (the services decide; this only says so before sending).
 */
export function approvalSchools(scope: BroadcastScopeView, d: Draft): string[] {
  const names = new Set<string>();
  for (const p of d.picks) {
    const school = scope.schools.find((s) => s.id === p.schoolId);
    if (!school?.needsApproval) continue;
    if (p.kind === 'school' || !school.classes.find((c) => c.id === p.id)?.own) names.add(school.name);
  }
  return [...names];
}
