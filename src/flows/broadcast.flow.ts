import { z } from 'zod';
import { TOPIC_LABELS } from '../content/catalogue.js';
import { TopicSchema, type ContentItem, type Topic } from '../content/catalogue.schema.js';
import { translate } from '../content/i18n.js';
import { tidyText } from '../content/normalize.js';
import type { OutMessage } from '../content/messages.schema.js';
import { BROADCAST_PAYLOAD, matchBroadcastCommand, type BroadcastCommand } from './broadcast-commands.js';
import { BROADCAST_TEXT_MAX, itemMessages, typedMessages, type BroadcastSender } from './broadcast-message.js';
import { describeFigures, describeForecast, describeStatus, listChoices, type Choice } from './broadcast-text.js';
import { formatVnTime, parseSendTime } from './broadcast-time.js';
import { flowPayload } from './commands.js';
import { result, text, type Flow, type FlowData, type StepContext, type StepResult } from './flow.js';
import { menuFlow } from './menu.flow.js';
import type { BroadcastCreateOutcome, BroadcastRoleChoice, BroadcastScopeView } from './ports/broadcasts.port.js';
import { isVerifiedTeacher } from './verified-teacher.js';

/** One chosen target: a class or a whole school. */
const PickSchema = z.object({ kind: z.enum(['class', 'school']), id: z.string(), name: z.string(), schoolId: z.string(), schoolName: z.string() });
type Pick = z.infer<typeof PickSchema>;

/** The draft kept in conversation state while the teacher composes. */
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
type Draft = z.infer<typeof DraftSchema>;

const draftOf = (data: FlowData): Draft => DraftSchema.safeParse(data).data ?? { picks: [] };
const data = (d: Draft): FlowData => d as FlowData;

const P = {
  pick: 'BC:PICK:',
  next: 'BC:NEXT',
  role: 'BC:ROLE:',
  all: 'BC:ALL',
  unpledged: 'BC:UNPLEDGED',
  groupsYes: 'BC:GROUPS:YES',
  groupsNo: 'BC:GROUPS:NO',
  catalogue: 'BC:CATALOGUE',
  typeOwn: 'BC:TYPE',
  topic: 'BC:TOPIC:',
  item: 'BC:ITEM:',
  noImage: 'BC:NOIMAGE',
  now: 'BC:NOW',
  later: 'BC:LATER',
  edit: 'BC:EDIT',
  back: 'BC:BACK',
  cancelYes: 'BC:CANCELYES',
} as const;

const menuButton = (ctx: StepContext) => ({ title: ctx.t('button.menu'), payload: flowPayload('menu') });
const payloadOf = (input: { kind: string; payload?: string }): string | null => (input.kind === 'payload' && typeof input.payload === 'string' ? input.payload : null);

/** Every class and whole school the teacher may pick, own classes first. */
function targets(scope: BroadcastScopeView): Pick[] {
  const own: Pick[] = [];
  const schools: Pick[] = [];
  const others: Pick[] = [];
  for (const s of scope.schools) {
    for (const c of s.classes) (c.own ? own : others).push({ kind: 'class', id: c.id, name: c.name, schoolId: s.id, schoolName: s.name });
    if (s.wholeSchool) schools.push({ kind: 'school', id: s.id, name: s.name, schoolId: s.id, schoolName: s.name });
  }
  return [...own, ...schools, ...others];
}

function pickLabel(ctx: StepContext, p: Pick, manySchools: boolean): string {
  if (p.kind === 'school') return ctx.t('broadcast.target.school', { school: p.name, short: p.name.replace(/^trường\s+/iu, '') });
  return manySchools ? ctx.t('broadcast.target.classAt', { class: p.name, school: p.schoolName }) : ctx.t('broadcast.target.class', { class: p.name });
}

function pickTitle(ctx: StepContext, p: Pick): string {
  return p.kind === 'school' ? ctx.t('broadcast.button.wholeSchool') : ctx.t('broadcast.button.class', { class: p.name });
}

/** The targets still worth offering: not picked, and not a class of a school already picked whole. */
function remaining(all: Pick[], picks: Pick[]): Pick[] {
  const wholeSchools = new Set(picks.filter((p) => p.kind === 'school').map((p) => p.schoolId));
  return all.filter((t) => !picks.some((p) => p.kind === t.kind && p.id === t.id) && !(t.kind === 'class' && wholeSchools.has(t.schoolId)));
}

function addPick(picks: Pick[], p: Pick): Pick[] {
  // A whole school covers its classes.
  const kept = p.kind === 'school' ? picks.filter((x) => x.schoolId !== p.schoolId) : picks;
  return [...kept, p];
}

function audienceLabel(ctx: StepContext, d: Draft): string {
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

function audienceOf(d: Draft) {
  return {
    schoolIds: d.picks.filter((p) => p.kind === 'school').map((p) => p.id),
    classIds: d.picks.filter((p) => p.kind === 'class').map((p) => p.id),
    roles: d.roles ?? ['parent', 'student'],
    onlyUnpledged: d.onlyUnpledged ?? false,
    includeGroups: d.includeGroups ?? false,
  };
}

/** Items a teacher may send to these roles: reviewed ones only, meant for every chosen role. */
function sendableItems(ctx: StepContext, roles: BroadcastRoleChoice[], topic?: Topic): ContentItem[] {
  return ctx.services.catalogue.items().filter((i) => !i.needsReview && roles.every((r) => i.audience.includes(r)) && (!topic || i.topic === topic));
}

function messagesOf(ctx: StepContext, d: Draft): OutMessage[] {
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
function approvalSchools(scope: BroadcastScopeView, d: Draft): string[] {
  const names = new Set<string>();
  for (const p of d.picks) {
    const school = scope.schools.find((s) => s.id === p.schoolId);
    if (!school?.needsApproval) continue;
    if (p.kind === 'school' || !school.classes.find((c) => c.id === p.id)?.own) names.add(school.name);
  }
  return [...names];
}

async function refusal(ctx: StepContext): Promise<OutMessage[] | null> {
  if (await isVerifiedTeacher(ctx)) return null;
  const key = ctx.contact.role === 'teacher' ? 'broadcast.unverified' : 'broadcast.teachersOnly';
  return [{ type: 'buttons', text: ctx.t(key), buttons: [menuButton(ctx)] }];
}

function confirmation(ctx: StepContext, out: Extract<BroadcastCreateOutcome, { ok: true }>, when: 'now' | 'later' | 'tomorrow'): OutMessage[] {
  const lines: string[] = [];
  if (out.needsApproval) {
    lines.push(ctx.t('broadcast.created.pending', { code: out.code }));
    lines.push(out.approversNotified > 0 ? ctx.t('broadcast.created.approversNotified', { n: out.approversNotified }) : ctx.t('broadcast.created.noApprover'));
  } else if (when === 'now') {
    lines.push(ctx.t('broadcast.created.now', { code: out.code }));
  } else {
    lines.push(ctx.t('broadcast.created.scheduled', { code: out.code, time: formatVnTime(out.sendAt) }));
  }
  if (when === 'tomorrow') lines.push(ctx.t('broadcast.time.tomorrow'));
  lines.push(ctx.t('broadcast.created.howTo', { code: out.code }));
  return [
    {
      type: 'buttons',
      text: lines.join('\n'),
      buttons: [
        { title: ctx.t('broadcast.button.figures'), payload: `${BROADCAST_PAYLOAD.figures}${out.code}` },
        menuButton(ctx),
      ],
    },
  ];
}

async function create(ctx: StepContext, d: Draft, sendAt: Date, when: 'now' | 'later' | 'tomorrow'): Promise<StepResult> {
  const out = await ctx.services.broadcasts.create(
    { audience: audienceOf(d), messages: messagesOf(ctx, d), sendAt, audienceLabel: audienceLabelVi(ctx, d) },
    ctx.now,
  );
  if (!out.ok) {
    if (out.reason === 'in_past') return result.goto('time', [text(ctx.t('broadcast.time.past'))]);
    return result.end([{ type: 'buttons', text: ctx.t(`broadcast.create.${out.reason}`), buttons: [menuButton(ctx)] }]);
  }
  return result.end(confirmation(ctx, out, when));
}

// The approvers' notice is in Vietnamese, like the message itself, whatever the teacher's own language.
function audienceLabelVi(ctx: StepContext, d: Draft): string {
  return audienceLabel({ ...ctx, t: (key, params) => translate('vi', key, params) }, d);
}

/** Runs a broadcast command typed or tapped anywhere (the shortcut step). */
async function runCommand(ctx: StepContext, command: BroadcastCommand): Promise<StepResult> {
  switch (command.kind) {
    case 'list':
      return result.goto('list', [], {});
    case 'figures':
      return result.goto('figures', [], { code: command.code });
    case 'cancel':
      return result.goto('cancelConfirm', [], { code: command.code });
    case 'approve':
    case 'reject': {
      const out = await ctx.services.broadcasts.decide(command.code, command.kind === 'approve', ctx.now);
      if (!out.ok) {
        const key = out.reason === 'not_pending' ? 'broadcast.decide.notPending' : 'broadcast.decide.unknown';
        return result.end([text(ctx.t(key, { code: command.code }))]);
      }
      const key = command.kind === 'approve' ? 'broadcast.decide.approved' : 'broadcast.decide.rejected';
      return result.end([text(ctx.t(key, { code: out.code }))]);
    }
  }
}

/**
 * A verified teacher's broadcast in chat: audience (classes or whole schools of their scope), roles, only those who
 * have not pledged, the class Zalo groups, the text or a catalogue item, an optional image, then a preview as each
 * channel shows it with the reach forecast, and "send now" or a time. Also the commands that work from anywhere:
 * figures, cancel, and an approver's decision ("DUYỆT TB-12345").
 */
export const broadcastFlow: Flow = {
  id: 'broadcast',
  version: 1,
  start: 'audience',
  entry: (input) => (input.arg === 'list' ? { stepId: 'list', data: {} } : { stepId: 'audience', data: {} }),
  steps: {
    audience: {
      async prompt(ctx, raw) {
        const refused = await refusal(ctx);
        if (refused) return refused;
        const d = draftOf(raw);
        const scope = await ctx.services.broadcasts.scope();
        const all = targets(scope);
        if (all.length === 0) return [{ type: 'buttons', text: ctx.t('broadcast.noScope'), buttons: [menuButton(ctx)] }];
        const left = remaining(all, d.picks);
        const many = scope.schools.length > 1;
        const chosen: Choice[] = d.picks.length > 0 ? [{ title: ctx.t('broadcast.button.continue'), label: ctx.t('broadcast.button.continue'), payload: P.next }] : [];
        // Room for "continue", "sent broadcasts" and "menu" within Messenger's 13 quick replies.
        // One school: the buttons say it all ("Lớp 6A1", "Toàn trường") and the question names the school.
        const shown = left.slice(0, 10).map((t) => ({ title: pickTitle(ctx, t), label: many ? pickLabel(ctx, t, many) : pickTitle(ctx, t), payload: `${P.pick}${t.kind}:${t.id}` }));
        const header = d.picks.length > 0
          ? ctx.t('broadcast.audience.more', { chosen: audienceLabel(ctx, d) })
          : many ? ctx.t('broadcast.audience.prompt') : ctx.t('broadcast.audience.promptAt', { school: scope.schools[0]!.name });
        const hint = left.length > shown.length ? `\n${ctx.t('broadcast.audience.typeClass')}` : '';
        return [listChoices(`${header}${hint}`, [...chosen, ...shown, { title: ctx.t('broadcast.button.sent'), label: ctx.t('broadcast.button.sent'), payload: BROADCAST_PAYLOAD.list }, { ...menuButton(ctx), label: menuButton(ctx).title }])];
      },
      async handle(ctx, input, raw) {
        if (await refusal(ctx)) return menuFlow.steps.main!.handle(ctx, input, {});
        const d = draftOf(raw);
        const all = targets(await ctx.services.broadcasts.scope());
        const payload = payloadOf(input);
        if (payload === P.next && d.picks.length > 0) return result.goto('role', [], data(d));
        let picked: Pick | undefined;
        if (payload?.startsWith(P.pick)) {
          const [kind, id] = payload.slice(P.pick.length).split(':');
          picked = all.find((t) => t.kind === kind && t.id === id);
        } else if (input.kind === 'text') {
          const typed = tidyText(input.text).toLocaleLowerCase('vi').replace(/^(lớp|lop|class)\s+/u, '');
          picked = all.find((t) => t.kind === 'class' && t.name.toLocaleLowerCase('vi') === typed);
        }
        if (!picked) return result.goto('audience', [text(ctx.t('broadcast.audience.retry'))], data(d));
        const next = { ...d, picks: addPick(d.picks, picked) };
        // Nothing else to add: straight on to the roles.
        if (remaining(all, next.picks).length === 0) return result.goto('role', [], data(next));
        return result.goto('audience', [], data(next));
      },
    },
    role: {
      prompt: (ctx, raw) => [
        {
          type: 'buttons',
          text: ctx.t('broadcast.role.prompt', { audience: audienceLabel(ctx, draftOf(raw)) }),
          buttons: [
            { title: ctx.t('broadcast.role.parent'), payload: `${P.role}parent` },
            { title: ctx.t('broadcast.role.student'), payload: `${P.role}student` },
            { title: ctx.t('broadcast.role.both'), payload: `${P.role}both` },
          ],
        },
      ],
      handle(ctx, input, raw) {
        const payload = payloadOf(input);
        const choice = payload?.startsWith(P.role) ? payload.slice(P.role.length) : null;
        const roles: BroadcastRoleChoice[] | null = choice === 'parent' ? ['parent'] : choice === 'student' ? ['student'] : choice === 'both' ? ['parent', 'student'] : null;
        if (!roles) return result.goto('role', [text(ctx.t('broadcast.pickButton'))]);
        return result.goto('unpledged', [], data({ ...draftOf(raw), roles }));
      },
    },
    unpledged: {
      prompt: (ctx) => [
        {
          type: 'buttons',
          text: ctx.t('broadcast.unpledged.prompt'),
          buttons: [
            { title: ctx.t('broadcast.unpledged.all'), payload: P.all },
            { title: ctx.t('broadcast.unpledged.only'), payload: P.unpledged },
          ],
        },
      ],
      handle(ctx, input, raw) {
        const payload = payloadOf(input);
        if (payload !== P.all && payload !== P.unpledged) return result.goto('unpledged', [text(ctx.t('broadcast.pickButton'))]);
        return result.goto('groups', [], data({ ...draftOf(raw), onlyUnpledged: payload === P.unpledged }));
      },
    },
    groups: {
      prompt: (ctx) => [
        {
          type: 'buttons',
          text: ctx.t('broadcast.groups.prompt'),
          buttons: [
            { title: ctx.t('broadcast.groups.yes'), payload: P.groupsYes },
            { title: ctx.t('broadcast.groups.no'), payload: P.groupsNo },
          ],
        },
      ],
      handle(ctx, input, raw) {
        const payload = payloadOf(input);
        if (payload !== P.groupsYes && payload !== P.groupsNo) return result.goto('groups', [text(ctx.t('broadcast.pickButton'))]);
        return result.goto('content', [], data({ ...draftOf(raw), includeGroups: payload === P.groupsYes }));
      },
    },
    content: {
      prompt: (ctx) => [
        {
          type: 'buttons',
          text: ctx.t('broadcast.content.prompt', { max: BROADCAST_TEXT_MAX }),
          buttons: [{ title: ctx.t('broadcast.button.catalogue'), payload: P.catalogue }, menuButton(ctx)],
        },
      ],
      handle(ctx, input, raw) {
        const d = draftOf(raw);
        if (payloadOf(input) === P.catalogue) return result.goto('topics', [], data(d));
        if (input.kind !== 'text') return result.goto('content', [text(ctx.t('broadcast.content.retry'))]);
        const typed = input.text.normalize('NFC').trim();
        if ([...typed].length > BROADCAST_TEXT_MAX) return result.stay([text(ctx.t('broadcast.content.tooLong', { max: BROADCAST_TEXT_MAX, n: [...typed].length }))]);
        if ([...typed].length < 5) return result.stay([text(ctx.t('broadcast.content.tooShort'))]);
        const { itemId: _item, topic: _topic, ...rest } = d;
        return result.goto('image', [], data({ ...rest, text: typed }));
      },
    },
    topics: {
      prompt(ctx, raw) {
        const roles = draftOf(raw).roles ?? ['parent', 'student'];
        const topics = TopicSchema.options.filter((t) => sendableItems(ctx, roles, t).length > 0).slice(0, 12);
        if (topics.length === 0) return [{ type: 'buttons', text: ctx.t('broadcast.catalogue.none'), buttons: [{ title: ctx.t('broadcast.button.typeOwn'), payload: P.typeOwn }] }];
        return [
          listChoices(ctx.t('broadcast.catalogue.topics'), [
            ...topics.map((t) => ({ title: TOPIC_LABELS[t][ctx.contact.locale], label: TOPIC_LABELS[t][ctx.contact.locale], payload: `${P.topic}${t}` })),
            { title: ctx.t('broadcast.button.typeOwn'), label: ctx.t('broadcast.button.typeOwn'), payload: P.typeOwn },
          ]),
        ];
      },
      handle(ctx, input, raw) {
        const d = draftOf(raw);
        const payload = payloadOf(input);
        const topic = TopicSchema.safeParse(payload?.startsWith(P.topic) ? payload.slice(P.topic.length) : '');
        if (topic.success) return result.goto('items', [], data({ ...d, topic: topic.data }));
        return result.goto('content', [], data(d));
      },
    },
    items: {
      prompt(ctx, raw) {
        const d = draftOf(raw);
        const topic = TopicSchema.safeParse(d.topic);
        const items = topic.success ? sendableItems(ctx, d.roles ?? ['parent', 'student'], topic.data).slice(0, 11) : [];
        return [
          listChoices(ctx.t('broadcast.catalogue.items'), [
            ...items.map((i) => ({ title: i.title, label: i.title, payload: `${P.item}${i.id}` })),
            { title: ctx.t('broadcast.button.otherTopic'), label: ctx.t('broadcast.button.otherTopic'), payload: P.catalogue },
          ], { alwaysList: true }),
        ];
      },
      handle(ctx, input, raw) {
        const d = draftOf(raw);
        const payload = payloadOf(input);
        const item = payload?.startsWith(P.item) ? ctx.services.catalogue.get(payload.slice(P.item.length)) : undefined;
        if (item && sendableItems(ctx, d.roles ?? ['parent', 'student']).includes(item)) {
          // A catalogue item brings its own picture, if it has one.
          const { text: _t, imageUrl: _i, ...rest } = d;
          return result.goto('preview', [], data({ ...rest, itemId: item.id }));
        }
        return result.goto('topics', [], data(d));
      },
    },
    image: {
      acceptsImages: true,
      prompt: (ctx) => [{ type: 'buttons', text: ctx.t('broadcast.image.prompt'), buttons: [{ title: ctx.t('broadcast.button.noImage'), payload: P.noImage }] }],
      handle(ctx, input, raw) {
        const d = draftOf(raw);
        if (payloadOf(input) === P.noImage) return result.goto('preview', [], data({ ...d, imageUrl: null }));
        const url = input.kind === 'image' ? input.url : input.kind === 'text' ? input.text.trim() : undefined;
        if (!url || !isImageUrl(url)) return result.stay([{ type: 'buttons', text: ctx.t(input.kind === 'image' ? 'broadcast.image.unusable' : 'broadcast.image.retry'), buttons: [{ title: ctx.t('broadcast.button.noImage'), payload: P.noImage }] }]);
        return result.goto('preview', [], data({ ...d, imageUrl: url }));
      },
    },
    preview: {
      async prompt(ctx, raw) {
        const d = draftOf(raw);
        const messages = messagesOf(ctx, d);
        const previews = ctx.services.broadcasts.preview(messages, { includeGroups: d.includeGroups ?? false });
        const forecast = await ctx.services.broadcasts.forecast(audienceOf(d), ctx.now);
        const scope = await ctx.services.broadcasts.scope();
        const out: OutMessage[] = [text(ctx.t('broadcast.preview.title', { audience: audienceLabel(ctx, d) }))];
        // The picture itself, once: the written previews below only say where it goes.
        for (const m of messages) if (m.type === 'image') out.push(m);
        previews.forEach((p, i) => {
          const header = `▶ ${ctx.t(`broadcast.preview.${p.channel}`)}`;
          // A channel that shows exactly what an earlier one does says so rather than repeating it.
          const same = previews.slice(0, i).find((q) => q.parts.join('\n\n') === p.parts.join('\n\n'));
          out.push(text(same ? `${header}: ${ctx.t('broadcast.preview.same', { channel: ctx.t(`broadcast.preview.${same.channel}`) })}` : `${header}\n\n${p.parts.join('\n\n')}`));
        });
        out.push(text(describeForecast(ctx, forecast)));
        const waiting = approvalSchools(scope, d);
        const ask = waiting.length > 0 ? `${ctx.t('broadcast.preview.needsApproval', { school: waiting.join(', ') })}\n${ctx.t('broadcast.preview.when')}` : ctx.t('broadcast.preview.when');
        out.push({
          type: 'buttons',
          text: ask,
          buttons: [
            { title: ctx.t('broadcast.button.now'), payload: P.now },
            { title: ctx.t('broadcast.button.later'), payload: P.later },
            { title: ctx.t('broadcast.button.edit'), payload: P.edit },
            { title: ctx.t('broadcast.button.drop'), payload: 'CMD:CANCEL' },
          ],
        });
        return out;
      },
      async handle(ctx, input, raw) {
        const d = draftOf(raw);
        const payload = payloadOf(input);
        if (payload === P.now) return create(ctx, d, ctx.now, 'now');
        if (payload === P.later) return result.goto('time', [], data(d));
        if (payload === P.edit) return result.goto('content', [], data(d));
        // A time typed straight away ("07:30") is a schedule.
        if (input.kind === 'text') return scheduleAt(ctx, d, input.text);
        return result.stay([text(ctx.t('broadcast.pickButton'))]);
      },
    },
    time: {
      prompt: (ctx) => [{ type: 'buttons', text: ctx.t('broadcast.time.prompt'), buttons: [{ title: ctx.t('broadcast.button.now'), payload: P.now }, { title: ctx.t('broadcast.button.back'), payload: P.back }] }],
      async handle(ctx, input, raw) {
        const d = draftOf(raw);
        const payload = payloadOf(input);
        if (payload === P.now) return create(ctx, d, ctx.now, 'now');
        if (payload === P.back) return result.goto('preview', [], data(d));
        if (input.kind !== 'text') return result.stay([text(ctx.t('broadcast.time.unreadable'))]);
        return scheduleAt(ctx, d, input.text);
      },
    },
    command: {
      // Only reached through the shortcut: it reads the command itself.
      prompt: () => [],
      async handle(ctx, input) {
        const command = matchBroadcastCommand(input);
        if (!command) return result.end([]);
        return runCommand(ctx, command);
      },
    },
    list: {
      async prompt(ctx) {
        const refused = await refusal(ctx);
        if (refused) return refused;
        const mine = await ctx.services.broadcasts.mine(8);
        if (mine.length === 0) return [{ type: 'buttons', text: ctx.t('broadcast.list.empty'), buttons: [{ title: ctx.t('broadcast.button.new'), payload: flowPayload('broadcast') }, menuButton(ctx)] }];
        const lines = mine.map((b) => ctx.t('broadcast.list.row', { code: b.code, status: describeStatus(ctx, b.status), time: formatVnTime(b.sendAt) }));
        return [
          {
            type: 'buttons',
            text: [ctx.t('broadcast.list.title'), ...lines, ctx.t('broadcast.list.hint')].join('\n'),
            buttons: [...mine.map((b) => ({ title: b.code, payload: `${BROADCAST_PAYLOAD.figures}${b.code}` })), { title: ctx.t('broadcast.button.new'), payload: flowPayload('broadcast') }, menuButton(ctx)],
          },
        ];
      },
      handle: (ctx, input) => menuFlow.steps.main!.handle(ctx, input, {}),
    },
    figures: {
      async prompt(ctx, raw) {
        const code = draftOf(raw).code ?? '';
        const figures = await ctx.services.broadcasts.figures(code);
        if (!figures) return [{ type: 'buttons', text: ctx.t((await isVerifiedTeacher(ctx)) ? 'broadcast.figures.unknown' : 'broadcast.figures.unknownOther', { code }), buttons: [menuButton(ctx)] }];
        const open = !['cancelled', 'rejected'].includes(figures.status) && (figures.status !== 'expanded' || figures.queued > 0);
        return [
          {
            type: 'buttons',
            text: describeFigures(ctx, figures),
            buttons: [
              { title: ctx.t('broadcast.button.refresh'), payload: `${BROADCAST_PAYLOAD.figures}${figures.code}` },
              ...(open ? [{ title: ctx.t('broadcast.button.cancel'), payload: `${BROADCAST_PAYLOAD.cancel}${figures.code}` }] : []),
              { title: ctx.t('broadcast.button.sent'), payload: BROADCAST_PAYLOAD.list },
              menuButton(ctx),
            ],
          },
        ];
      },
      handle: (ctx, input) => menuFlow.steps.main!.handle(ctx, input, {}),
    },
    cancelConfirm: {
      prompt: (ctx, raw) => [
        {
          type: 'buttons',
          text: ctx.t('broadcast.cancel.confirm', { code: draftOf(raw).code ?? '' }),
          buttons: [
            { title: ctx.t('broadcast.button.cancelYes'), payload: P.cancelYes },
            { title: ctx.t('broadcast.button.keep'), payload: `${BROADCAST_PAYLOAD.figures}${draftOf(raw).code ?? ''}` },
          ],
        },
      ],
      async handle(ctx, input, raw) {
        const code = draftOf(raw).code ?? '';
        if (payloadOf(input) !== P.cancelYes) return menuFlow.steps.main!.handle(ctx, input, {});
        const out = await ctx.services.broadcasts.cancel(code, ctx.now);
        if (!out.ok) return result.end([{ type: 'buttons', text: ctx.t(`broadcast.cancel.${out.reason}`, { code }), buttons: [menuButton(ctx)] }]);
        return result.end([
          {
            type: 'buttons',
            text: ctx.t('broadcast.cancel.done', { code: out.code, n: out.stopped }),
            buttons: [{ title: ctx.t('broadcast.button.figures'), payload: `${BROADCAST_PAYLOAD.figures}${out.code}` }, menuButton(ctx)],
          },
        ]);
      },
    },
  },
};

async function scheduleAt(ctx: StepContext, d: Draft, typed: string): Promise<StepResult> {
  const parsed = parseSendTime(typed, ctx.now);
  if (!parsed.ok) {
    const key = parsed.reason === 'in_past' ? 'broadcast.time.past' : parsed.reason === 'too_far' ? 'broadcast.time.tooFar' : 'broadcast.time.unreadable';
    return result.goto('time', [text(ctx.t(key))], data(d));
  }
  return create(ctx, d, parsed.at, parsed.movedToTomorrow ? 'tomorrow' : 'later');
}

function isImageUrl(raw: string): boolean {
  if (raw.length > 1000 || /\s/.test(raw)) return false;
  try {
    return new URL(raw).protocol === 'https:';
  } catch {
    return false;
  }
}
