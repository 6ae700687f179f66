import type { OutMessage } from '../content/messages.schema.js';
import { normalizePersonName } from '../content/person-name.js';
import { formatVnDate, formatVnDateTime } from '../content/vn-time.js';
import { flowPayload } from './commands.js';
import type { UserInput } from './event.schema.js';
import { result, text, type Flow, type FlowData, type StepContext, type StepResult } from './flow.js';
import type { PledgeAudience, PledgeTemplateView, PledgeView } from './ports/pledges.port.js';

const MAX_LISTED = 5;
const AGREE = 'PLEDGE:AGREE:';

/** What the flow carries between steps (only what the pledge needs: DESIGN.md §4, minimum data of minors). */
interface PledgeDraft {
  audience: PledgeAudience;
  templateId: string;
  classId: string;
  student?: string;
  typed?: string;
  parent?: string;
  nonce?: string;
  pick?: string;
}

const menuButton = (ctx: StepContext) => ({ title: ctx.t('button.menu'), payload: flowPayload('menu') });

function audienceOf(ctx: StepContext): PledgeAudience | null {
  return ctx.contact.role === 'parent' || ctx.contact.role === 'student' ? ctx.contact.role : null;
}

function draftOf(data: FlowData): PledgeDraft | null {
  const d = data as Partial<PledgeDraft>;
  return (d.audience === 'parent' || d.audience === 'student') && typeof d.templateId === 'string' && typeof d.classId === 'string' ? (d as PledgeDraft) : null;
}

/** Why this contact cannot sign now, as messages; null when they can. */
function blocked(ctx: StepContext): OutMessage[] | null {
  if (ctx.contact.role === 'teacher') return [{ type: 'buttons', text: ctx.t('pledge.notForTeachers'), buttons: [menuButton(ctx)] }];
  if (!audienceOf(ctx) || !ctx.contact.classId) {
    return [{ type: 'buttons', text: ctx.t('pledge.notLinked'), buttons: [{ title: ctx.t('pledge.button.link'), payload: flowPayload('onboarding') }, menuButton(ctx)] }];
  }
  return null;
}

function numbered(template: PledgeTemplateView): string {
  return template.items.map((item, i) => `${i + 1}. ${item}`).join('\n');
}

function typed(input: UserInput): string | null {
  return input.kind === 'text' && input.text.trim() ? input.text.trim() : null;
}

/** Fresh draft for the current template, or the messages explaining why there is none. */
async function startDraft(ctx: StepContext): Promise<PledgeDraft | OutMessage[]> {
  const stop = blocked(ctx);
  if (stop) return stop;
  const audience = audienceOf(ctx)!;
  const template = await ctx.services.pledges.currentTemplate(audience);
  if (!template) return [{ type: 'buttons', text: ctx.t('pledge.none'), buttons: [menuButton(ctx)] }];
  return { audience, templateId: template.id, classId: ctx.contact.classId! };
}

// The consent button carries a nonce of the summary it belongs to: a tap on an older summary (other names) is not
// consent to this one.
function toConfirm(ctx: StepContext, draft: PledgeDraft): StepResult {
  return result.goto('confirm', [], { ...draft, nonce: ctx.now.getTime().toString(36) });
}

async function acceptStudentName(ctx: StepContext, draft: PledgeDraft, name: string): Promise<StepResult> {
  const roster = await ctx.services.pledges.rosterMatch(draft.classId, name);
  if (roster.hasRoster && !roster.name) return result.goto('rosterCheck', [], { ...draft, typed: name });
  const next = { ...draft, student: roster.name ?? name, typed: undefined };
  return draft.audience === 'parent' ? result.goto('parent', [], next) : toConfirm(ctx, next);
}

function describe(ctx: StepContext, p: PledgeView, n: number): string {
  const status = p.audience === 'student' ? ctx.t(p.confirmedAt ? 'pledge.status.confirmed' : 'pledge.status.waiting') : '';
  return ctx.t('pledge.mine.item', {
    n,
    audience: ctx.t(`pledge.audience.${p.audience}`),
    student: p.studentName,
    class: p.className,
    code: p.code,
    date: formatVnDate(p.consentAt),
    status,
  });
}

/**
 * Traffic-safety pledge (parents on Zalo, students on Messenger): the numbered commitments, the student's name (and
 * the parent's), a summary, and consent only through the one explicit button. Then a receipt code and a certificate.
 */
export const pledgeFlow: Flow = {
  id: 'pledge',
  version: 1,
  start: 'intro',
  steps: {
    intro: {
      async prompt(ctx) {
        const draft = await startDraft(ctx);
        if (Array.isArray(draft)) return draft;
        const template = (await ctx.services.pledges.currentTemplate(draft.audience))!;
        const hasMine = (await ctx.services.pledges.mine()).length > 0;
        return [
          text(ctx.t('pledge.intro', { title: template.title.toUpperCase(), items: numbered(template), source: template.source })),
          {
            type: 'buttons',
            text: ctx.t(`pledge.intro.ask.${draft.audience}`),
            buttons: [
              { title: ctx.t('pledge.button.sign'), payload: 'PLEDGE:SIGN' },
              ...(hasMine ? [{ title: ctx.t('pledge.button.mine'), payload: 'PLEDGE:MINE' }] : []),
              menuButton(ctx),
            ],
          },
        ];
      },
      async handle(ctx, input) {
        if (input.kind === 'payload' && input.payload === 'PLEDGE:MINE') return result.goto('mine', [], {});
        const draft = await startDraft(ctx);
        if (Array.isArray(draft)) {
          // Not linked yet: whatever they answer, take them to onboarding (the explanation was just shown).
          return blocked(ctx) && ctx.contact.role !== 'teacher' ? result.flow('onboarding') : result.flow('menu');
        }
        if (input.kind === 'payload' && input.payload === 'PLEDGE:SIGN') return result.goto('student', [], { ...draft });
        return result.goto('intro', [], {});
      },
    },

    student: {
      async prompt(ctx, data) {
        const draft = draftOf(data);
        const cls = draft ? await ctx.services.directory.getClass(draft.classId) : null;
        return [text(ctx.t(draft?.audience === 'parent' ? 'pledge.ask.student.parent' : 'pledge.ask.student.student', { class: cls?.name ?? '' }))];
      },
      async handle(ctx, input, data) {
        const draft = draftOf(data);
        if (!draft) return result.goto('intro', [], {});
        const raw = typed(input);
        if (!raw) return result.goto('student', [], data);
        const name = normalizePersonName(raw);
        if (!name) return result.stay([text(ctx.t('pledge.name.invalid'))], data);
        return acceptStudentName(ctx, draft, name);
      },
    },

    rosterCheck: {
      async prompt(ctx, data) {
        const draft = draftOf(data);
        const cls = draft ? await ctx.services.directory.getClass(draft.classId) : null;
        return [
          {
            type: 'buttons',
            text: ctx.t('pledge.roster.noMatch', { name: String(data.typed ?? ''), class: cls?.name ?? '' }),
            buttons: [
              { title: ctx.t('pledge.button.retype'), payload: 'PLEDGE:RETYPE' },
              { title: ctx.t('pledge.button.continue'), payload: 'PLEDGE:CONTINUE' },
            ],
          },
        ];
      },
      async handle(ctx, input, data) {
        const draft = draftOf(data);
        if (!draft || typeof draft.typed !== 'string') return result.goto('intro', [], {});
        if (input.kind === 'payload' && input.payload === 'PLEDGE:RETYPE') return result.goto('student', [], { ...draft, typed: undefined });
        if (input.kind === 'payload' && input.payload === 'PLEDGE:CONTINUE') {
          const next = { ...draft, student: draft.typed, typed: undefined };
          return draft.audience === 'parent' ? result.goto('parent', [], next) : toConfirm(ctx, next);
        }
        // A corrected name typed straight away is checked again.
        const raw = typed(input);
        const name = raw ? normalizePersonName(raw) : null;
        if (raw && !name) return result.stay([text(ctx.t('pledge.name.invalid'))], data);
        return name ? acceptStudentName(ctx, draft, name) : result.goto('rosterCheck', [], data);
      },
    },

    parent: {
      prompt: (ctx) => [text(ctx.t('pledge.ask.parent'))],
      handle(ctx, input, data) {
        const draft = draftOf(data);
        if (!draft) return result.goto('intro', [], {});
        const raw = typed(input);
        if (!raw) return result.goto('parent', [], data);
        const name = normalizePersonName(raw);
        if (!name) return result.stay([text(ctx.t('pledge.name.invalid'))], data);
        return toConfirm(ctx, { ...draft, parent: name });
      },
    },

    confirm: {
      async prompt(ctx, data) {
        const draft = draftOf(data);
        const cls = draft ? await ctx.services.directory.getClass(draft.classId) : null;
        const template = draft ? await ctx.services.pledges.currentTemplate(draft.audience) : null;
        if (!draft || !cls || !template || template.id !== draft.templateId || !draft.student) {
          return [{ type: 'buttons', text: ctx.t('flow.restarted'), buttons: [{ title: ctx.t('pledge.button.sign'), payload: flowPayload('pledge') }, menuButton(ctx)] }];
        }
        const params = { school: cls.schoolName, class: cls.name, student: draft.student, parent: draft.parent ?? '', count: template.items.length };
        return [
          {
            type: 'buttons',
            text: ctx.t(draft.audience === 'parent' ? 'pledge.summary.parent' : 'pledge.summary.student', params),
            buttons: [
              { title: ctx.t('pledge.button.agree'), payload: `${AGREE}${draft.nonce ?? ''}` },
              { title: ctx.t('pledge.button.edit'), payload: 'PLEDGE:EDIT' },
              { title: ctx.t('pledge.button.cancel'), payload: 'CMD:CANCEL' },
            ],
          },
        ];
      },
      async handle(ctx, input, data) {
        const draft = draftOf(data);
        if (!draft || !draft.student) return result.goto('intro', [], {});
        if (input.kind === 'payload' && input.payload === 'PLEDGE:EDIT') {
          return result.goto('student', [], { audience: draft.audience, templateId: draft.templateId, classId: draft.classId });
        }
        // Consent is the tap on this summary's button and nothing else: not "đồng ý" typed, not a digit standing in
        // for the button (DESIGN.md §4: explicit consent, never implied).
        const tapped = input.kind === 'payload' && input.payload === `${AGREE}${draft.nonce ?? ''}` && !/^\s*\d+\s*$/.test(input.text ?? '');
        if (!tapped) return result.stay([text(ctx.t('pledge.mustTap')), ...(await pledgeFlow.steps.confirm!.prompt(ctx, data))], data);
        const template = await ctx.services.pledges.currentTemplate(draft.audience);
        if (!template || template.id !== draft.templateId) return result.goto('intro', [text(ctx.t('flow.restarted'))], {});
        const out = await ctx.services.pledges.sign({
          templateId: draft.templateId,
          audience: draft.audience,
          classId: draft.classId,
          studentName: draft.student,
          parentName: draft.audience === 'parent' ? (draft.parent ?? null) : null,
          now: ctx.now,
        });
        if (!out.ok) return result.goto('intro', [text(ctx.t('flow.restarted'))], {});
        const p = out.pledge;
        const replies: OutMessage[] = [
          text(ctx.t(out.updated ? 'pledge.updated' : 'pledge.signed', { time: formatVnDateTime(p.consentAt), code: p.code })),
          { type: 'image', url: ctx.services.pledges.certificateUrl(p.code), caption: ctx.t('pledge.certificate.caption') },
        ];
        if (out.studentConfirmed) replies.push(text(ctx.t('pledge.student.confirmed', { student: p.studentName })));
        else if (draft.audience === 'student') replies.push(text(ctx.t('pledge.student.waiting')));
        return result.goto('after', replies, { audience: draft.audience, templateId: draft.templateId, classId: draft.classId });
      },
    },

    after: {
      prompt(ctx, data) {
        const parent = data.audience === 'parent';
        return [
          {
            type: 'buttons',
            text: ctx.t('pledge.after'),
            buttons: [
              { title: ctx.t('pledge.button.mine'), payload: 'PLEDGE:MINE' },
              ...(parent ? [{ title: ctx.t('pledge.button.another'), payload: 'PLEDGE:SIGN' }] : []),
              menuButton(ctx),
            ],
          },
        ];
      },
      async handle(ctx, input) {
        if (input.kind === 'payload' && input.payload === 'PLEDGE:MINE') return result.goto('mine', [], {});
        if (input.kind === 'payload' && input.payload === 'PLEDGE:SIGN') {
          const draft = await startDraft(ctx);
          return Array.isArray(draft) ? result.goto('intro', [], {}) : result.goto('student', [], { ...draft });
        }
        return result.flow('menu');
      },
    },

    mine: {
      async prompt(ctx) {
        const mine = (await ctx.services.pledges.mine()).slice(0, MAX_LISTED);
        if (mine.length === 0) {
          return [{ type: 'buttons', text: ctx.t('pledge.mine.empty'), buttons: [{ title: ctx.t('pledge.button.sign'), payload: 'PLEDGE:SIGN' }, menuButton(ctx)] }];
        }
        return [
          {
            type: 'buttons',
            text: [ctx.t('pledge.mine.header'), ...mine.map((p, i) => describe(ctx, p, i + 1))].join('\n\n'),
            buttons: [
              ...mine.flatMap((p, i) => [
                { title: ctx.t('pledge.button.certificate', { n: i + 1 }), payload: `PLEDGE:CERT:${p.id}` },
                { title: ctx.t('pledge.button.withdraw', { n: i + 1 }), payload: `PLEDGE:WITHDRAW:${p.id}` },
              ]),
              menuButton(ctx),
            ],
          },
        ];
      },
      async handle(ctx, input) {
        const payload = input.kind === 'payload' ? input.payload : '';
        if (payload === 'PLEDGE:SIGN') return result.goto('intro', [], {});
        if (payload.startsWith('PLEDGE:WITHDRAW:')) return result.goto('withdraw', [], { pick: payload.slice('PLEDGE:WITHDRAW:'.length) });
        if (payload.startsWith('PLEDGE:CERT:')) {
          const p = (await ctx.services.pledges.mine()).find((x) => x.id === payload.slice('PLEDGE:CERT:'.length));
          if (!p) return result.goto('mine', [text(ctx.t('pledge.gone'))], {});
          return result.goto('after', [text(`${ctx.t(`pledge.audience.${p.audience}`)}: ${p.code}`), { type: 'image', url: ctx.services.pledges.certificateUrl(p.code), caption: ctx.t('pledge.certificate.caption') }], { audience: audienceOf(ctx) ?? p.audience });
        }
        return result.flow('menu');
      },
    },

    withdraw: {
      async prompt(ctx, data) {
        const p = (await ctx.services.pledges.mine()).find((x) => x.id === data.pick);
        if (!p) return [{ type: 'buttons', text: ctx.t('pledge.gone'), buttons: [{ title: ctx.t('pledge.button.mine'), payload: 'PLEDGE:MINE' }, menuButton(ctx)] }];
        return [
          {
            type: 'buttons',
            text: ctx.t('pledge.withdraw.confirm', { student: p.studentName, code: p.code }),
            buttons: [
              { title: ctx.t('pledge.button.withdrawYes'), payload: 'PLEDGE:WITHDRAW_YES' },
              { title: ctx.t('pledge.button.keep'), payload: 'PLEDGE:KEEP' },
            ],
          },
        ];
      },
      async handle(ctx, input, data) {
        const payload = input.kind === 'payload' ? input.payload : '';
        if (payload === 'PLEDGE:MINE') return result.goto('mine', [], {});
        if (payload === 'PLEDGE:WITHDRAW_YES' && typeof data.pick === 'string') {
          const done = await ctx.services.pledges.withdraw(data.pick, ctx.now);
          return result.goto('after', [text(ctx.t(done ? 'pledge.withdrawn' : 'pledge.gone'))], { audience: audienceOf(ctx) });
        }
        if (payload === 'PLEDGE:KEEP') return result.goto('mine', [text(ctx.t('pledge.kept'))], {});
        return result.goto('withdraw', [], data);
      },
    },
  },
};
