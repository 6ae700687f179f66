import { foldText } from '../content/normalize.js';
import { searchCatalogue } from '../content/search.js';
import { flowPayload } from './commands.js';
import { audienceOf } from './content.flow.js';
import type { Effect, EffectOutcome } from './event.schema.js';
import { result, type Flow, type StepContext, type StepResult } from './flow.js';
import type { ContentItem } from '../content/catalogue.schema.js';
import type { OutMessage } from '../content/messages.schema.js';
import { isVerifiedTeacher } from './verified-teacher.js';

// Words people type instead of pressing a button (folded: no case, no diacritics).
const WORDS: Record<string, string> = {
  'tin': 'content', 'tin tuyen truyen': 'content', 'tuyen truyen': 'content', 'doc tin': 'content', 'news': 'content',
  'doi lop': 'onboarding', 'doi truong': 'onboarding', 'lien ket': 'onboarding',
  'cam ket': 'pledge', 'cam ket atgt': 'pledge', 'ky cam ket': 'pledge',
  'cau do': 'quiz', 'quiz': 'quiz', 'trac nghiem': 'quiz', 'bang xep hang': 'leaderboard', 'xep hang': 'leaderboard', 'leaderboard': 'leaderboard',
  'gui thong bao': 'broadcast', 'tao thong bao': 'broadcast', 'broadcast': 'broadcast', 'send announcement': 'broadcast',
  'thong bao da gui': 'broadcast:list', 'ket qua thong bao': 'broadcast:list',
  'to giac': 'tip', 'to giac toi pham': 'tip', 'bao tin': 'tip', 'tra cuu tin bao': 'tip_followup', 'tra cuu': 'tip_followup',
};

async function menu(ctx: StepContext, header?: string): Promise<OutMessage[]> {
  const teacher = await isVerifiedTeacher(ctx);
  return [
    {
      type: 'buttons',
      text: header ?? ctx.t('menu.prompt'),
      buttons: [
        { title: ctx.t('menu.content'), payload: flowPayload('content') },
        { title: ctx.t('pledge.menu'), payload: flowPayload('pledge') },
        { title: ctx.t('menu.quiz'), payload: flowPayload('quiz') },
        ...(teacher ? [{ title: ctx.t('menu.broadcast'), payload: flowPayload('broadcast') }, { title: ctx.t('menu.leaderboard'), payload: flowPayload('leaderboard') }, { title: ctx.t('menu.pledgeProgress'), payload: flowPayload('pledge_progress') }] : []),
        { title: ctx.t('menu.profile'), payload: flowPayload('onboarding') },
        { title: ctx.t('menu.tip'), payload: flowPayload('tip') },
        { title: ctx.t('menu.tipFollowUp'), payload: flowPayload('tip_followup') },
        { title: ctx.t('menu.help'), payload: 'CMD:HELP' },
      ],
    },
  ];
}

/**
 * A question typed at the menu is answered from the catalogue only: the best items by keyword search, and, when a
 * model is configured, a short answer grounded on those items. No match: nothing is sent to a model. The model is
 * asked after the turn has committed (an effect); its answer comes back to `onEffect`.
 */
async function answerQuestion(ctx: StepContext, question: string): Promise<StepResult> {
  const hits = searchCatalogue(ctx.services.catalogue, question, { audience: audienceOf(ctx), limit: 3 });
  if (hits.length === 0) return result.stay(await menu(ctx, ctx.t('menu.notUnderstood')));
  if (!ctx.services.modelAnswers) return result.stay([answerMessage(ctx, hits.map((h) => h.item), null)]);
  return { replies: [], next: { kind: 'stay' }, effects: [{ kind: 'answer_question', flowId: 'menu', question, itemIds: hits.map((h) => h.item.id), locale: ctx.contact.locale }] };
}

/** The model's short answer (or, without one, "these items may help") with the items as "read more" buttons. */
function answerMessage(ctx: StepContext, items: readonly ContentItem[], answer: string | null): OutMessage {
  const buttons = [
    ...items.map((item) => ({ title: item.title.slice(0, 80), payload: flowPayload('content', item.id) })),
    { title: ctx.t('button.menu'), payload: flowPayload('menu') },
  ];
  return { type: 'buttons', text: answer ? `${answer}\n\n${ctx.t('qa.readMore')}` : ctx.t('qa.found'), buttons };
}

function onAnswer(ctx: StepContext, effect: Effect, outcome: EffectOutcome): OutMessage[] {
  if (effect.kind !== 'answer_question' || outcome.kind !== 'answer_question') return [];
  const items = effect.itemIds.map((id) => ctx.services.catalogue.get(id)).filter((i): i is ContentItem => i !== undefined);
  if (items.length === 0) return [];
  return [answerMessage(ctx, items, outcome.answer.ok ? outcome.answer.text : null)];
}

/** The main menu. Later flows (pledges, tips, quizzes) add their entries here. */
export const menuFlow: Flow = {
  id: 'menu',
  version: 1,
  start: 'main',
  onEffect: onAnswer,
  steps: {
    main: {
      prompt: (ctx) => menu(ctx),
      async handle(ctx, input) {
        if (input.kind === 'text') {
          const target = WORDS[foldText(input.text)];
          // "flow:arg" opens a flow at a step of its own (e.g. the teacher's sent broadcasts).
          if (target) return target.includes(':') ? result.flow(target.split(':')[0]!, [], { arg: target.split(':')[1] }) : result.flow(target);
          return answerQuestion(ctx, input.text);
        }
        return result.stay(await menu(ctx, ctx.t('menu.notUnderstood')));
      },
    },
  },
};


