import { refusal, runCommand } from './broadcast-actions.js';
import { audienceSteps } from './broadcast-audience-steps.js';
import { menuButton, P, payloadOf } from './broadcast-buttons.js';
import { BROADCAST_PAYLOAD, matchBroadcastCommand } from './broadcast-commands.js';
import { composeSteps } from './broadcast-compose-steps.js';
import { draftOf } from './broadcast-draft.js';
import { describeFigures, describeStatus } from './broadcast-text.js';
import { formatVnTime } from './broadcast-time.js';
import { flowPayload } from './commands.js';
import { result, type Flow } from './flow.js';
import { menuFlow } from './menu.flow.js';
import { isVerifiedTeacher } from './verified-teacher.js';

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
    ...audienceSteps,
    ...composeSteps,
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
