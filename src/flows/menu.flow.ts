import { foldText } from '../content/normalize.js';
import { flowPayload } from './commands.js';
import { result, type Flow, type StepContext } from './flow.js';
import type { OutMessage } from '../content/messages.schema.js';

// Words people type instead of pressing a button (folded: no case, no diacritics).
const WORDS: Record<string, string> = {
  'tin': 'content', 'tin tuyen truyen': 'content', 'tuyen truyen': 'content', 'doc tin': 'content', 'news': 'content',
  'doi lop': 'onboarding', 'doi truong': 'onboarding', 'lien ket': 'onboarding',
};

function menu(ctx: StepContext, header?: string): OutMessage[] {
  return [
    {
      type: 'buttons',
      text: header ?? ctx.t('menu.prompt'),
      buttons: [
        { title: ctx.t('menu.content'), payload: flowPayload('content') },
        { title: ctx.t('menu.profile'), payload: flowPayload('onboarding') },
        { title: ctx.t('menu.help'), payload: 'CMD:HELP' },
      ],
    },
  ];
}

/** The main menu. Later flows (pledges, tips, quizzes) add their entries here. */
export const menuFlow: Flow = {
  id: 'menu',
  version: 1,
  start: 'main',
  steps: {
    main: {
      prompt: (ctx) => menu(ctx),
      handle(ctx, input) {
        if (input.kind === 'text') {
          const target = WORDS[foldText(input.text)];
          if (target) return result.flow(target);
        }
        return result.stay(menu(ctx, ctx.t('menu.notUnderstood')));
      },
    },
  },
};


