import { z } from 'zod';
import { translate } from '../content/i18n.js';
import type { OutMessage } from '../content/messages.schema.js';
import { matchFlowPayload, matchGlobalCommand, matchShortcut, flowPayload } from './commands.js';
import type { Effect, TurnInputEvent, UserInput } from './event.schema.js';
import type { ContactView, Flow, FlowData, FlowServices, Next, StepContext } from './flow.js';

/** Stored conversation state. Step ids are names, never positions, so deploys do not corrupt conversations. */
export const ConversationStateSchema = z.object({
  flowId: z.string(),
  stepId: z.string(),
  version: z.number().int(),
  data: z.record(z.string(), z.unknown()),
  expiresAt: z.date(),
});
export type ConversationState = z.infer<typeof ConversationStateSchema>;

/** Key in the state's data holding the payloads of the last prompt's buttons, in order. */
export const OPTIONS_KEY = '$options';

/** Everything one turn needs. */
export interface TurnInput {
  state: unknown;
  input: TurnInputEvent;
  contact: ContactView;
  services: FlowServices;
  now: Date;
}

/** What one turn produced: replies in order and the state to store (null: no conversation in progress). */
export interface TurnOutput {
  replies: OutMessage[];
  state: ConversationState | null;
  /** The turn was in (or entered or left) a sensitive flow. */
  sensitive?: boolean;
  /** Slow work the turn asked for, to run after its transaction commits. */
  effects?: Effect[];
}

/** Runs flows: global commands first, then the current step, then transitions. Decisions only, no I/O of its own. */
export class FlowEngine {
  private readonly flows: Map<string, Flow>;

  constructor(
    flows: Flow[],
    private readonly opts: { ttlHours: number; onboardingFlowId: string; menuFlowId: string },
  ) {
    this.flows = new Map(flows.map((f) => [f.id, f]));
    for (const id of [opts.onboardingFlowId, opts.menuFlowId]) {
      if (!this.flows.has(id)) throw new Error(`FlowEngine: flow "${id}" is not registered`);
    }
    for (const f of flows) {
      if (!f.steps[f.start]) throw new Error(`FlowEngine: flow "${f.id}" starts at unknown step "${f.start}"`);
    }
  }

  /** Handles one user input and returns the replies and the next state. */
  async runTurn(turn: TurnInput): Promise<TurnOutput> {
    const out = await this.decide({ ...turn, input: this.resolveNumber(turn) });
    const before = this.readState(turn.state, turn.now);
    // A follow-up turn counts as the flow that asked for it (a tip's photos arrive after the tip flow has ended).
    const asking = turn.input.kind === 'effect_result' ? turn.input.effect.flowId : undefined;
    const sensitive = [before.kind === 'live' ? before.state.flowId : undefined, out.state?.flowId, asking].some((id) => id !== undefined && this.flows.get(id)?.sensitive === true);
    return {
      replies: out.replies,
      state: out.state && this.rememberOptions(out.state, out.replies),
      ...(sensitive ? { sensitive: true } : {}),
      ...(out.effects?.length ? { effects: out.effects } : {}),
    };
  }

  // Typing "2" picks the second button of the last prompt: groups render buttons as numbered text,
  // and on a cheap phone a digit is quicker than scrolling to a button.
  private resolveNumber(turn: TurnInput): TurnInputEvent {
    if (turn.input.kind !== 'text' || !/^\s*\d{1,2}\s*$/.test(turn.input.text)) return turn.input;
    const current = this.readState(turn.state, turn.now);
    const options = current.kind === 'live' ? current.state.data[OPTIONS_KEY] : undefined;
    const payload = Array.isArray(options) ? options[Number(turn.input.text) - 1] : undefined;
    return typeof payload === 'string' ? { kind: 'payload', payload, text: turn.input.text.trim() } : turn.input;
  }

  private rememberOptions(state: ConversationState, replies: OutMessage[]): ConversationState {
    const { [OPTIONS_KEY]: _old, ...data } = state.data;
    const last = replies.at(-1);
    if (last?.type !== 'buttons') return { ...state, data };
    return { ...state, data: { ...data, [OPTIONS_KEY]: last.buttons.map((b) => b.payload) } };
  }

  private async decide(turn: TurnInput): Promise<TurnOutput> {
    const ctx: StepContext = {
      contact: turn.contact,
      services: turn.services,
      now: turn.now,
      t: (key, params) => translate(turn.contact.locale, key, params),
    };
    const replies: OutMessage[] = [];
    const current = this.readState(turn.state, turn.now);

    if (turn.input.kind === 'effect_result') {
      // Not something the person did: the asking flow says what came of it, and the conversation stays as it is.
      const { effect, outcome } = turn.input;
      const flow = this.flows.get(effect.flowId);
      if (flow?.onEffect) replies.push(...(await flow.onEffect(ctx, effect, outcome)));
      return { replies, state: current.kind === 'live' ? current.state : null };
    }

    const command = matchGlobalCommand(turn.input);
    if (command) return this.runCommand(command, ctx, current, replies);
    // A shortcut ("GV <code>") is read by its own step, wherever the conversation is, except inside a sensitive flow
    // (an anonymous tip): there it is the tipster's text, and redeeming it would date a moment of the tip flow.
    const inSensitiveFlow = current.kind === 'live' && this.flows.get(current.state.flowId)?.sensitive === true;
    const shortcut = inSensitiveFlow ? null : matchShortcut(turn.input);
    if (shortcut) return this.handle(ctx, { ...shortcut, data: {} }, turn.input, replies);

    const requested = matchFlowPayload(turn.input);
    if (requested && this.flows.has(requested.flowId)) return this.enter(ctx, requested.flowId, requested.arg ? { arg: requested.arg } : {}, replies);

    if (turn.input.kind === 'follow' || turn.input.kind === 'referral') {
      const data: FlowData = turn.input.kind === 'referral' ? { ref: turn.input.ref } : {};
      if (!this.isOnboarded(ctx.contact) || turn.input.kind === 'referral') {
        replies.push({ type: 'text', text: ctx.t('welcome') });
        return this.enter(ctx, this.opts.onboardingFlowId, data, replies);
      }
      return this.enter(ctx, this.opts.menuFlowId, {}, replies);
    }
    if (turn.input.kind === 'unfollow') {
      // They can no longer receive messages: stop broadcasts and reminders, forget the conversation.
      await ctx.services.profile.update({ subscribed: false });
      return { replies: [], state: null };
    }

    if (current.kind === 'stale') {
      replies.push({ type: 'text', text: ctx.t('flow.restarted') });
      const flowId = this.flows.has(current.flowId) ? current.flowId : this.defaultFlow(ctx.contact);
      return this.enter(ctx, flowId, {}, replies);
    }
    if (current.kind === 'none') {
      if (!this.isOnboarded(ctx.contact)) {
        // A button tapped in an old message (or a quick reply) is an answer to onboarding's first question.
        if (turn.input.kind === 'payload') {
          return this.handle(ctx, { flowId: this.opts.onboardingFlowId, stepId: this.flow(this.opts.onboardingFlowId).start, data: {} }, turn.input, replies);
        }
        replies.push({ type: 'text', text: ctx.t('welcome') });
        return this.enter(ctx, this.opts.onboardingFlowId, {}, replies);
      }
      // No conversation in progress: the menu's own step interprets the input (a number, a word, a greeting).
      return this.handle(ctx, { flowId: this.opts.menuFlowId, stepId: this.flow(this.opts.menuFlowId).start, data: {} }, turn.input, replies);
    }
    return this.handle(ctx, current.state, turn.input, replies);
  }

  private async runCommand(
    command: NonNullable<ReturnType<typeof matchGlobalCommand>>,
    ctx: StepContext,
    current: ReturnType<FlowEngine['readState']>,
    replies: OutMessage[],
  ): Promise<TurnOutput> {
    switch (command) {
      case 'menu':
        return this.enter(ctx, this.defaultFlow(ctx.contact), {}, replies);
      case 'cancel':
        replies.push({ type: 'text', text: ctx.t('cancelled') });
        return this.enter(ctx, this.defaultFlow(ctx.contact), {}, replies);
      case 'help': {
        replies.push({ type: 'buttons', text: ctx.t('help'), buttons: [{ title: ctx.t('button.menu'), payload: flowPayload(this.opts.menuFlowId) }] });
        // Help does not interrupt: the conversation stays where it was.
        return { replies, state: current.kind === 'live' ? this.stateOf(current.state, ctx.now) : null };
      }
      case 'opt_out':
      case 'opt_in': {
        // Only broadcasts and reminders stop: the bot still answers, and the conversation stays where it was.
        const subscribed = command === 'opt_in';
        await ctx.services.profile.update({ subscribed });
        replies.push({ type: 'text', text: ctx.t(subscribed ? 'optin.done' : 'optout.done') });
        return { replies, state: current.kind === 'live' ? this.stateOf(current.state, ctx.now) : null };
      }
      case 'lang_vi':
      case 'lang_en': {
        const locale = command === 'lang_vi' ? 'vi' : 'en';
        await ctx.services.profile.update({ locale });
        ctx.contact.locale = locale;
        replies.push({ type: 'text', text: translate(locale, 'language.set') });
        if (current.kind === 'live') {
          replies.push(...(await this.step(current.state.flowId, current.state.stepId).prompt(ctx, current.state.data)));
          return { replies, state: this.stateOf(current.state, ctx.now) };
        }
        return this.enter(ctx, this.defaultFlow(ctx.contact), {}, replies);
      }
    }
  }

  private async handle(
    ctx: StepContext,
    at: { flowId: string; stepId: string; data: FlowData },
    input: UserInput,
    replies: OutMessage[],
  ): Promise<TurnOutput> {
    const acceptsImage = input.kind === 'image' && this.step(at.flowId, at.stepId).acceptsImages === true;
    if (input.kind !== 'text' && input.kind !== 'payload' && !acceptsImage) {
      replies.push({ type: 'text', text: ctx.t('unsupported') });
      return { replies, state: this.stateOf(at, ctx.now) };
    }
    const outcome = await this.step(at.flowId, at.stepId).handle(ctx, input, at.data);
    replies.push(...outcome.replies);
    const out = await this.apply(ctx, at, outcome.next, replies);
    return outcome.effects?.length ? { ...out, effects: outcome.effects } : out;
  }

  private async apply(ctx: StepContext, at: { flowId: string; stepId: string; data: FlowData }, next: Next, replies: OutMessage[]): Promise<TurnOutput> {
    switch (next.kind) {
      case 'stay':
        return { replies, state: this.stateOf({ ...at, data: next.data ?? at.data }, ctx.now) };
      case 'goto': {
        const data = next.data ?? at.data;
        replies.push(...(await this.step(at.flowId, next.stepId).prompt(ctx, data)));
        return { replies, state: this.stateOf({ flowId: at.flowId, stepId: next.stepId, data }, ctx.now) };
      }
      case 'flow':
        return this.enter(ctx, next.flowId, next.data ?? {}, replies);
      case 'end':
        return { replies, state: null };
    }
  }

  private async enter(ctx: StepContext, flowId: string, input: FlowData, replies: OutMessage[]): Promise<TurnOutput> {
    const flow = this.flow(flowId);
    const { stepId, data } = flow.entry?.(input) ?? { stepId: flow.start, data: input };
    replies.push(...(await this.step(flowId, stepId).prompt(ctx, data)));
    return { replies, state: this.stateOf({ flowId, stepId, data }, ctx.now) };
  }

  private readState(raw: unknown, now: Date):
    | { kind: 'none' }
    | { kind: 'stale'; flowId: string }
    | { kind: 'live'; state: ConversationState } {
    if (raw === null || raw === undefined) return { kind: 'none' };
    const parsed = ConversationStateSchema.safeParse(raw);
    if (!parsed.success) return { kind: 'stale', flowId: '' };
    const s = parsed.data;
    if (s.expiresAt.getTime() <= now.getTime()) return { kind: 'none' };
    const flow = this.flows.get(s.flowId);
    if (!flow || flow.version !== s.version || !flow.steps[s.stepId]) return { kind: 'stale', flowId: s.flowId };
    return { kind: 'live', state: s };
  }

  private stateOf(at: { flowId: string; stepId: string; data: FlowData }, now: Date): ConversationState {
    return {
      flowId: at.flowId,
      stepId: at.stepId,
      version: this.flow(at.flowId).version,
      data: at.data,
      expiresAt: new Date(now.getTime() + this.opts.ttlHours * 3600_000),
    };
  }

  private isOnboarded(contact: ContactView): boolean {
    return contact.role !== null && contact.classId !== null;
  }

  private defaultFlow(contact: ContactView): string {
    return this.isOnboarded(contact) ? this.opts.menuFlowId : this.opts.onboardingFlowId;
  }

  private flow(id: string): Flow {
    const f = this.flows.get(id);
    if (!f) throw new Error(`Unknown flow "${id}"`);
    return f;
  }

  private step(flowId: string, stepId: string) {
    const s = this.flow(flowId).steps[stepId];
    if (!s) throw new Error(`Unknown step "${flowId}/${stepId}"`);
    return s;
  }
}
