import type { OutMessage } from '../content/messages.schema.js';
import { tidyText } from '../content/normalize.js';
import { listChoices, type Choice } from './broadcast-text.js';
import { flowPayload } from './commands.js';
import { result, text, type Flow, type FlowData, type StepContext } from './flow.js';
import { menuFlow } from './menu.flow.js';
import type { PledgeProgressClassView, PledgeProgressOutcome, PledgeProgressView } from './ports/pledge-progress.port.js';
import { isVerifiedTeacher } from './verified-teacher.js';

/** The flow's id; `FLOW:pledge_progress:<class id>` opens one class from anywhere. */
export const PLEDGE_PROGRESS_FLOW = 'pledge_progress';
/** At most this many names in one message (long lists are split, numbering carried on). */
export const NAMES_PER_MESSAGE = 40;
// Room for "menu" within Messenger's 13 quick replies, and a short list on Zalo.
const CLASS_BUTTONS = 10;

const menuButton = (ctx: StepContext) => ({ title: ctx.t('button.menu'), payload: flowPayload('menu') });

/** The answer for anyone not a verified teacher (a self-declared one is told how to get a code), or null. */
async function refusal(ctx: StepContext): Promise<OutMessage[] | null> {
  if (await isVerifiedTeacher(ctx)) return null;
  if (ctx.contact.role === 'teacher') return [{ type: 'buttons', text: ctx.t('pledgeProgress.unverified'), buttons: [menuButton(ctx)] }];
  return [{ type: 'buttons', text: ctx.t('pledgeProgress.teachersOnly'), buttons: [{ title: ctx.t('pledge.menu'), payload: flowPayload('pledge') }, menuButton(ctx)] }];
}

/** The class buttons, own classes first; with several schools, each names its school in the text. */
function picker(ctx: StepContext, classes: PledgeProgressClassView[], header: string): OutMessage {
  const manySchools = new Set(classes.map((c) => c.schoolName)).size > 1;
  const shown: Choice[] = classes.slice(0, CLASS_BUTTONS).map((c) => {
    const title = ctx.t('broadcast.button.class', { class: c.name });
    return { title, label: manySchools ? `${title} – ${c.schoolName}` : title, payload: flowPayload(PLEDGE_PROGRESS_FLOW, c.id) };
  });
  const hint = classes.length > shown.length ? `\n${ctx.t('pledgeProgress.typeClass')}` : '';
  return listChoices(`${header}${hint}`, [...shown, { ...menuButton(ctx), label: menuButton(ctx).title }]);
}

/** Numbered names, at most NAMES_PER_MESSAGE a message; later messages say they continue the list. */
function nameLists(ctx: StepContext, header: string, names: string[]): OutMessage[] {
  const out: OutMessage[] = [];
  for (let start = 0; start < names.length; start += NAMES_PER_MESSAGE) {
    const lines = names.slice(start, start + NAMES_PER_MESSAGE).map((n, i) => `${start + i + 1}. ${n}`);
    out.push(text([`${start === 0 ? header : ctx.t('pledgeProgress.continued', { title: header })}:`, ...lines].join('\n')));
  }
  return out;
}

function progressMessages(ctx: StepContext, p: PledgeProgressView, manyClasses: boolean): OutMessage[] {
  const summary = [
    ctx.t('pledgeProgress.title', { class: p.className, school: p.schoolName, campaign: p.campaignTitle }),
    ctx.t('pledgeProgress.counts', { parent: p.parent.signed, student: p.student.signed, total: p.rosterSize }),
  ];
  if (p.parent.missing.length === 0) summary.push(ctx.t('pledgeProgress.allParents'));
  if (p.student.missing.length === 0) summary.push(ctx.t('pledgeProgress.allStudents'));
  const out: OutMessage[] = [text(summary.join('\n'))];
  out.push(...nameLists(ctx, ctx.t('pledgeProgress.missing.parent', { n: p.parent.missing.length }), p.parent.missing));
  out.push(...nameLists(ctx, ctx.t('pledgeProgress.missing.student', { n: p.student.missing.length }), p.student.missing));
  const other = manyClasses ? [{ title: ctx.t('pledgeProgress.button.otherClass'), payload: flowPayload(PLEDGE_PROGRESS_FLOW) }] : [];
  if (p.parent.missing.length === 0 && p.student.missing.length === 0) {
    out.push({ type: 'buttons', text: ctx.t('pledgeProgress.allDone'), buttons: [...other, menuButton(ctx)] });
    return out;
  }
  // The broadcast flow opens at its audience step (its entry takes no preset), so the teacher is told what to pick.
  out.push({
    type: 'buttons',
    text: ctx.t('pledgeProgress.remindHow', { class: p.className }),
    buttons: [{ title: ctx.t('menu.broadcast'), payload: flowPayload('broadcast') }, ...other, menuButton(ctx)],
  });
  return out;
}

function outcomeMessages(ctx: StepContext, out: PledgeProgressOutcome, classes: PledgeProgressClassView[]): OutMessage[] {
  if (out.ok) return progressMessages(ctx, out.progress, classes.length > 1);
  switch (out.reason) {
    case 'not_visible':
      return [picker(ctx, classes, ctx.t('pledgeProgress.notVisible'))];
    case 'no_campaign':
      return [{ type: 'buttons', text: ctx.t('pledgeProgress.noCampaign'), buttons: [menuButton(ctx)] }];
    case 'no_roster':
    case 'counts_only': {
      const params = { class: out.className, school: out.schoolName, campaign: out.campaignTitle, parent: out.signed.parent, student: out.signed.student, total: out.rosterSize ?? 0 };
      const body = ctx.t(out.reason === 'no_roster' ? 'pledgeProgress.noRoster' : 'pledgeProgress.countsOnly', params);
      const other = classes.length > 1 ? [{ title: ctx.t('pledgeProgress.button.otherClass'), payload: flowPayload(PLEDGE_PROGRESS_FLOW) }] : [];
      return [{ type: 'buttons', text: body, buttons: [...other, menuButton(ctx)] }];
    }
  }
}

const classIdOf = (data: FlowData): string | null => (typeof data.classId === 'string' && data.classId !== '' ? data.classId : null);

// "6A1", "lớp 6a1", "Lop 6A1": a class typed by name.
function typedClass(typed: string, classes: PledgeProgressClassView[]): PledgeProgressClassView | undefined {
  const name = tidyText(typed).toLocaleLowerCase('vi').replace(/^(lớp|lop|class)\s+/u, '');
  return classes.find((c) => c.name.toLocaleLowerCase('vi') === name);
}
const looksLikeClass = (typed: string): boolean => /^((lớp|lop|class)\s+)?\d{1,2}\s?[a-zđ]{1,3}\d{0,2}$/iu.test(tidyText(typed));

/**
 * "Who has not pledged" (issue 9): a verified teacher picks one of the classes they may see (own classes first; the
 * only one straight away) and reads, for the active campaign, how many parents and students of the roster signed and
 * the names of those who did not, then how to remind them with a broadcast. Names come only from the port, which
 * gives them for the teacher's own scope; the conversation state keeps the class id, never a name.
 */
export const pledgeProgressFlow: Flow = {
  id: PLEDGE_PROGRESS_FLOW,
  version: 1,
  start: 'show',
  entry: (input) => ({ stepId: 'show', data: typeof input.arg === 'string' && input.arg !== '' ? { classId: input.arg } : {} }),
  steps: {
    show: {
      async prompt(ctx, data) {
        const refused = await refusal(ctx);
        if (refused) return refused;
        const classes = await ctx.services.pledgeProgress.classes();
        if (classes.length === 0) return [{ type: 'buttons', text: ctx.t('pledgeProgress.noClasses'), buttons: [menuButton(ctx)] }];
        const classId = classIdOf(data) ?? (classes.length === 1 ? classes[0]!.id : null);
        if (!classId) return [picker(ctx, classes, ctx.t('pledgeProgress.pick'))];
        return outcomeMessages(ctx, await ctx.services.pledgeProgress.ofClass(classId), classes);
      },
      async handle(ctx, input, data) {
        if (input.kind === 'text' && (await isVerifiedTeacher(ctx))) {
          const classes = await ctx.services.pledgeProgress.classes();
          const picked = typedClass(input.text, classes);
          if (picked) return result.goto('show', [], { classId: picked.id });
          if (looksLikeClass(input.text) && classes.length > 0) return result.stay([picker(ctx, classes, ctx.t('pledgeProgress.retry'))], data);
        }
        // Anything else is read as it would be at the menu.
        return menuFlow.steps.main!.handle(ctx, input, {});
      },
    },
    command: {
      // Only reached through the shortcut ("chưa cam kết", "ai chưa ký" typed at any step outside the tip flow).
      prompt: () => [],
      handle: () => result.goto('show', [], {}),
    },
  },
};
