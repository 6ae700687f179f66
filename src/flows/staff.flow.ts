import { matchAcknowledgement, STAFF_ACK_PAYLOAD } from './commands.js';
import { result, text, type Flow, type StepContext, type StepResult } from './flow.js';
import type { UserInput } from './event.schema.js';

/**
 * Staff in chat: a staff account links this chat with a code from `npm run staff:link` ("NV <code>"), and a linked
 * tip handler acknowledges an urgent tip from its alert (the "Đã nhận" button or "ĐÃ NHẬN <tip code>"). Both steps
 * are reached from any step by their shortcut (never inside the anonymous tip flow, where the text is the tipster's),
 * answer once and end: the next message is read by the menu as usual.
 */
export const staffFlow: Flow = {
  id: 'staff',
  version: 1,
  start: 'link',
  steps: {
    link: {
      prompt: (ctx) => [text(ctx.t('staff.link.prompt'))],
      async handle(ctx, input) {
        const typed = input.kind === 'text' ? input.text : '';
        const out = await ctx.services.staffChat.link(typed, ctx.now);
        if (out.ok) return result.end([text(ctx.t('staff.link.done', { name: out.name }))]);
        if (out.reason === 'rate_limited') return result.end([text(ctx.t('staff.link.rateLimited', { minutes: minutesUntil(out.retryAt, ctx.now) }))]);
        return result.end([text(ctx.t(`staff.link.${out.reason}`))]);
      },
    },

    ack: {
      prompt: (ctx) => [text(ctx.t('staff.ack.prompt'))],
      handle: (ctx, input) => acknowledge(ctx, input),
    },
  },
};

async function acknowledge(ctx: StepContext, input: UserInput): Promise<StepResult> {
  const typed = input.kind === 'payload' && input.payload.startsWith(STAFF_ACK_PAYLOAD)
    ? input.payload.slice(STAFF_ACK_PAYLOAD.length)
    : input.kind === 'text' ? matchAcknowledgement(input.text) : null;
  if (!typed) return result.end([text(ctx.t('staff.ack.prompt'))]);
  const out = await ctx.services.staffChat.acknowledgeTip(typed, ctx.now);
  if (out.ok) return result.end([text(ctx.t(out.already ? 'staff.ack.already' : 'staff.ack.done', { code: out.code }))]);
  switch (out.reason) {
    case 'malformed':
      return result.end([text(ctx.t('staff.ack.prompt'))]);
    case 'not_linked':
      return result.end([text(ctx.t('staff.ack.notLinked'))]);
    case 'not_found':
      return result.end([text(ctx.t('staff.ack.notFound', { code: out.code }))]);
  }
}

function minutesUntil(at: Date, now: Date): number {
  return Math.max(1, Math.ceil((at.getTime() - now.getTime()) / 60_000));
}
