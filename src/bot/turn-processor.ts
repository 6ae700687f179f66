import type { Catalogue } from '../content/catalogue.js';
import { loadQuizzes, type Quizzes } from '../content/quizzes.js';
import type { Locale } from '../content/i18n.js';
import { InboundPayloadSchema, type ContactView, type Effect, type FlowEngine, type FlowServices, type QuestionAnswerer, type Role, type TurnInputEvent } from '../flows/index.js';
import type { Logger } from '../logger.js';
import type { PrismaClient } from '../store/database.js';
import type { ClaimedEvent } from '../store/inbox.repo.js';
import { inTransaction, type Repos } from '../store/repos.js';
import { resumeStateOf } from '../store/tip-trace.repo.js';
import type { ContactRecord } from '../store/contact.repo.js';
import { AppError } from '../errors.js';
import { OutMessageSchema } from '../content/messages.schema.js';
import { createPledgesPort } from './pledges/pledges-port.js';
import type { ReplyRoute } from '../services/tips/reply-handle.js';
import { TIP_FLOW_IDS } from '../services/tips/tip-rules.js';
import type { Tips } from '../services/tips/tips.js';
import { chatTipDesk } from './chat-tip-desk.js';
import { createTeacherInvitesPort } from './teachers/teacher-invites-port.js';

/** What processing one event produced. */
export type TurnResult = { ok: true; replies: number; sensitive: boolean } | { ok: false; reason: 'invalid_payload' | 'lease_lost' };

/**
 * Processes one claimed inbox event: contact, conversation state and outgoing messages change together in one
 * transaction (the outbox), and the event is marked done in that same transaction.
 */
export class TurnProcessor {
  private readonly quizzes: Quizzes;

  constructor(
    private readonly deps: { prisma: PrismaClient; engine: FlowEngine; catalogue: Catalogue; quizzes?: Quizzes; log: Logger; publicUrl?: () => string; answerer?: QuestionAnswerer; tips: Tips; teacherInviteKey: Buffer },
  ) {
    this.quizzes = deps.quizzes ?? loadQuizzes();
  }

  /** Runs the turn for `event`, leased by `owner`. Throws on unexpected errors (the worker retries). */
  async process(event: ClaimedEvent, owner: string): Promise<TurnResult> {
    const parsed = InboundPayloadSchema.safeParse(event.payload);
    if (!parsed.success) {
      // Stored by an older version or corrupted: nothing sensible to answer; drop it rather than retry forever.
      await inTransaction(this.deps.prisma, (repos) => repos.inbox.complete(event.id, owner, event.attempts));
      return { ok: false, reason: 'invalid_payload' };
    }
    const { userId, input: storedInput, at } = parsed.data;
    // An effect an earlier turn asked for (a model answer) runs here, before any transaction is open: a slow call
    // never holds the database (on the embedded one, its only connection). Its outcome is this turn's input.
    const input: TurnInputEvent = storedInput.kind === 'effect' ? await this.runEffect(storedInput.effect) : storedInput;
    const now = new Date();
    const interactedAt = at ? new Date(at) : now;
    const identity = { channel: event.channel, accountId: event.accountId, userId };
    return inTransaction(this.deps.prisma, async (repos) => {
      // One statement: the contact touched (a follow-up turn is not the person writing, so it opens no reply window),
      // its times before the touch (a tip-flow turn puts them back) and its conversation row.
      const start = await repos.turns.start(identity, storedInput.kind === 'effect' ? null : interactedAt, now);
      const contact = toView(start.contact);
      const stored = start.conversation && { flowId: start.conversation.flowId, stepId: start.conversation.stepId, version: start.conversation.version, data: start.conversation.data, expiresAt: start.conversation.expiresAt };
      const out = await this.deps.engine.runTurn({ state: stored, input, contact, services: this.services(repos, contact, identity, now), now });
      // A flow bug surfaces here, where the event is retried and logged, not later as a silently failed delivery.
      OutMessageSchema.array().parse(out.replies);
      const sensitive = out.sensitive === true;
      if (sensitive) {
        // README "Anonymous tips": a tip-flow turn leaves no time of its own on the contact or conversation rows.
        // When the tip flow ends, the conversation goes back to what it was before the flow began.
        const resume = resumeStateOf(start.conversation, isTipFlow);
        if (out.state !== null && isTipFlow(out.state.flowId)) {
          await repos.conversations.save(contact.id, out.state);
          await repos.tipTraces.holdInTipFlow(contact.id, resume);
        } else {
          await repos.tipTraces.resume(contact.id, resume);
        }
        await repos.tipTraces.restoreContact(contact.id, start.before, hourOf(now));
      }
      // One statement: the state, the replies, the effects (each a follow-up event in the same lane, so it runs after
      // this turn, in order) and the event's completion. If our lease expired and another worker took the event, it
      // writes nothing and everything rolls back: the event will be done once, there.
      const finished = await repos.turns.finish({
        eventId: event.id,
        owner,
        attempt: event.attempts,
        contactId: contact.id,
        conversation: sensitive ? 'keep' : out.state,
        replies: { channel: event.channel, accountId: event.accountId, recipient: userId, laneKey: event.laneKey, messages: out.replies },
        sensitive,
        interactionAt: sensitive ? interactedAt : null,
        followUps: (out.effects ?? []).map((effect, i) => ({
          dedupeKey: effectDedupeKey(event.id, i),
          payload: { userId, input: { kind: 'effect', effect }, ...(at ? { at } : {}) },
        })),
        now,
      });
      if (!finished) throw new AppError('internal', { message: 'lease lost', cause: 'lease_lost' });
      return { ok: true as const, replies: out.replies.length, sensitive };
    }).catch((err: unknown) => {
      if (err instanceof AppError && err.cause === 'lease_lost') return { ok: false as const, reason: 'lease_lost' as const };
      throw err;
    });
  }

  /** Runs an effect's slow work, outside any transaction; never throws for a failed call (the flow then says so). */
  private async runEffect(effect: Effect): Promise<TurnInputEvent> {
    switch (effect.kind) {
      case 'fetch_tip_photos':
        // Downloads, strips metadata and seals each photo for its tip; the follow-up turn only stores them.
        return { kind: 'effect_result', effect, outcome: { kind: 'fetch_tip_photos', photos: await this.deps.tips.fetchPhotos(effect.request) } };
      case 'answer_question': {
        const items = effect.itemIds.map((id) => this.deps.catalogue.get(id)).filter((i) => i !== undefined);
        const answer = this.deps.answerer && items.length > 0 ? await this.deps.answerer.answer(effect.question, { locale: effect.locale, items }) : null;
        return { kind: 'effect_result', effect, outcome: { kind: 'answer_question', answer: answer?.ok ? { ok: true, text: answer.text } : { ok: false } } };
      }
    }
  }

  private services(repos: Repos, contact: ContactView, origin: ReplyRoute, now: Date): FlowServices {
    return {
      directory: repos.directory,
      catalogue: this.deps.catalogue,
      quizzes: this.quizzes,
      quizResults: repos.quiz,
      pledges: createPledgesPort(repos.pledges, contact.id, this.deps.publicUrl ?? (() => '')),
      modelAnswers: this.deps.answerer !== undefined,
      teacherInvites: createTeacherInvitesPort(repos, contact, this.deps.teacherInviteKey),
      // The tip desk knows who is writing (to seal a reply handle with consent); the flow never does.
      tips: chatTipDesk(this.deps.tips, repos, origin, now),
      profile: {
        async update(patch) {
          const updated = await repos.contacts.update(contact.id, patch);
          Object.assign(contact, toView(updated));
        },
      },
    };
  }
}

function isTipFlow(flowId: string): boolean {
  return TIP_FLOW_IDS.includes(flowId);
}

function hourOf(d: Date): Date {
  return new Date(Math.floor(d.getTime() / 3600_000) * 3600_000);
}

function toView(c: ContactRecord): ContactView {
  return {
    id: c.id,
    role: (c.role as Role | null) ?? null,
    schoolId: c.schoolId,
    classId: c.classId,
    locale: (c.locale === 'en' ? 'en' : 'vi') as Locale,
    subscribed: c.subscribed,
  };
}

/** The dedupe key of the `index`-th effect asked for by inbound event `eventId` (the simulator waits for these too). */
export function effectDedupeKey(eventId: bigint, index: number): string {
  return `effect:${eventId}:${index}`;
}
