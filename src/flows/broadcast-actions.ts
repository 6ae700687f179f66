import { translate } from '../content/i18n.js';
import type { OutMessage } from '../content/messages.schema.js';
import { menuButton } from './broadcast-buttons.js';
import { BROADCAST_PAYLOAD, type BroadcastCommand } from './broadcast-commands.js';
import { audienceLabel, audienceOf, draftData, messagesOf, type Draft } from './broadcast-draft.js';
import { formatVnTime, parseSendTime } from './broadcast-time.js';
import { result, text, type StepContext, type StepResult } from './flow.js';
import type { BroadcastCreateOutcome } from './ports/broadcasts.port.js';
import { isVerifiedTeacher } from './verified-teacher.js';

/** The answer for anyone not a verified teacher, or null when they may broadcast. */
export async function refusal(ctx: StepContext): Promise<OutMessage[] | null> {
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

/** Creates the broadcast from the draft and ends the flow with the confirmation (or says why not). */
export async function create(ctx: StepContext, d: Draft, sendAt: Date, when: 'now' | 'later' | 'tomorrow'): Promise<StepResult> {
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
export async function runCommand(ctx: StepContext, command: BroadcastCommand): Promise<StepResult> {
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

/** Schedules the draft at a typed time, or asks again when the time does not read or does not fit. */
export async function scheduleAt(ctx: StepContext, d: Draft, typed: string): Promise<StepResult> {
  const parsed = parseSendTime(typed, ctx.now);
  if (!parsed.ok) {
    const key = parsed.reason === 'in_past' ? 'broadcast.time.past' : parsed.reason === 'too_far' ? 'broadcast.time.tooFar' : 'broadcast.time.unreadable';
    return result.goto('time', [text(ctx.t(key))], draftData(d));
  }
  return create(ctx, d, parsed.at, parsed.movedToTomorrow ? 'tomorrow' : 'later');
}
