import type { OutMessage } from '../content/messages.schema.js';
import { formatVnDate } from '../content/vn-time.js';
import type { UserInput } from './event.schema.js';
import { result, text, type Flow, type StepContext } from './flow.js';
import type { TipStatusView } from './ports/tip-desk.port.js';

const MAX_ADDITION = 2000;

/** Follow-up of a tip from chat: code, PIN (limited per chat and per code), status and replies, add information. */
export const tipFollowUpFlow: Flow = {
  id: 'tip_followup',
  version: 1,
  start: 'code',
  sensitive: true,
  steps: {
    code: {
      prompt: (ctx) => [text(ctx.t('tip.followUp.code'))],
      handle(ctx, input) {
        const typed = typedText(input);
        if (!typed) return result.stay([text(ctx.t('tip.followUp.code'))]);
        // The code waits for its PIN in this contact's conversation row: sealed, so the row links no code to them.
        return result.goto('pin', [], { code: ctx.services.tips.sealForState(typed.slice(0, 40)) });
      },
    },

    pin: {
      prompt: (ctx) => [text(ctx.t('tip.followUp.pin'))],
      async handle(ctx, input, data) {
        const desk = ctx.services.tips;
        const typed = typedText(input);
        const code = typeof data.code === 'string' ? desk.openFromState(data.code) : null;
        if (!typed || !code) return result.goto('code');
        const found = await desk.lookup(code, typed.slice(0, 30));
        if (!found.ok) {
          // One answer for an unknown code and a wrong PIN: the bot does not confirm that a code exists.
          if (found.reason === 'locked') return result.flow('menu', [text(ctx.t('tip.followUp.locked', { minutes: found.retryAfterMinutes }))]);
          return result.goto('code', [text(ctx.t('tip.followUp.wrong'))], {});
        }
        return result.goto('view', statusMessages(ctx, found.tip), { grant: found.grant, closed: found.tip.status === 'closed' });
      },
    },

    view: {
      prompt: (ctx) => [
        {
          type: 'buttons',
          text: ctx.t('menu.prompt'),
          buttons: [
            { title: ctx.t('tip.followUp.add'), payload: 'ADD' },
            { title: ctx.t('tip.button.done'), payload: 'CMD:MENU' },
          ],
        },
      ],
      async handle(ctx, input, data) {
        if (input.kind === 'payload' && input.payload === 'ADD') {
          if (data.closed === true) return result.flow('menu', [text(ctx.t('tip.followUp.closedNoAdd'))]);
          return result.goto('add', [], data);
        }
        return result.stay(await tipFollowUpFlow.steps.view!.prompt(ctx, data));
      },
    },

    add: {
      prompt: (ctx) => [text(ctx.t('tip.followUp.addPrompt'))],
      async handle(ctx, input, data) {
        const desk = ctx.services.tips;
        const typed = typedText(input);
        if (!typed) return result.stay([text(ctx.t('tip.followUp.addPrompt'))]);
        if (typeof data.grant !== 'string') return result.goto('code', [text(ctx.t('tip.followUp.expired'))], {});
        const added = await desk.addInfo(data.grant, typed.slice(0, MAX_ADDITION));
        if (!added.ok) {
          if (added.reason === 'closed') return result.flow('menu', [text(ctx.t('tip.followUp.closedNoAdd'))]);
          return result.goto('code', [text(ctx.t('tip.followUp.expired'))], {});
        }
        return result.goto('view', [text(ctx.t('tip.followUp.added'))], data);
      },
    },
  },
};

function statusMessages(ctx: StepContext, tip: TipStatusView): OutMessage[] {
  const date = formatVnDate;
  const out: OutMessage[] = [
    text(ctx.t('tip.followUp.status', { code: tip.code, category: ctx.t(`tip.category.${tip.category}`), date: date(tip.createdAt), status: ctx.t(`tip.status.${tip.status}`) })),
  ];
  if (tip.replies.length === 0) out.push(text(ctx.t('tip.followUp.noReply')));
  for (const r of tip.replies.slice(-5)) out.push(text(ctx.t('tip.followUp.reply', { date: date(r.at), text: r.text })));
  return out;
}

function typedText(input: UserInput): string | null {
  return input.kind === 'text' && input.text.trim() ? input.text.trim() : null;
}
