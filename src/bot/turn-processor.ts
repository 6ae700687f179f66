import type { Catalogue } from '../content/catalogue.js';
import { loadQuizzes, type Quizzes } from '../content/quizzes.js';
import type { Locale } from '../content/i18n.js';
import { InboundPayloadSchema, type ContactView, type Effect, type FlowEngine, type FlowServices, type TurnOutput, type Profile, type QuestionAnswerer, type Role, type TurnInputEvent } from '../flows/index.js';
import type { Logger } from '../logger.js';
import type { DirectQuery, PrismaClient } from '../store/database.js';
import type { ClaimedEvent } from '../store/inbox.repo.js';
import { createReadOnlyRepos, createRepos, inTransaction, type Repos } from '../store/repos.js';
import type { TurnFinish } from '../store/turn.repo.js';
import { SchoolListCache } from '../store/directory.repo.js';
import { resumeStateOf, type StoredRow } from '../store/tip-trace.repo.js';
import type { ContactIdentity, ContactPatch, ContactRecord } from '../store/contact.repo.js';
import { AppError } from '../errors.js';
import { OutMessageSchema } from '../content/messages.schema.js';
import { createPledgesPort } from './pledges/pledges-port.js';
import { createPledgeProgressPort } from './pledges/pledge-progress-port.js';
import type { ReplyRoute } from '../services/tips/reply-handle.js';
import { TIP_FLOW_IDS } from '../services/tips/tip-rules.js';
import type { Tips } from '../services/tips/tips.js';
import { chatTipDesk } from './chat-tip-desk.js';
import { createTeacherInvitesPort } from './teachers/teacher-invites-port.js';
import { createStaffChatPort } from './staff/staff-chat-port.js';
import { createBroadcastsPort } from './broadcasts/broadcasts-port.js';
import { createBroadcasts, type Broadcasts } from '../services/broadcasts/broadcasts.js';
import type { Metrics } from './metrics/metrics.js';

const RepliesSchema = OutMessageSchema.array();

/** A turn outside its transaction asked to write: it runs again in one. */
const NEEDS_TRANSACTION = Symbol('needs transaction');

/** One claimed event on its way through a turn. */
interface Turn {
  event: ClaimedEvent;
  owner: string;
  userId: string;
  /** When the person wrote, as stored with the event (follow-ups carry their original event's). */
  at: string | undefined;
  input: TurnInputEvent;
  identity: ContactIdentity;
  /** When the turn touches the contact, or null for a follow-up turn. */
  touchAt: Date | null;
  interactedAt: Date;
  now: Date;
}

/**
 * Campaign messages skipped while a person's reply window was closed can only exist if they had not written for a
 * day (Messenger's window, the shorter one): only then does a turn look for them to send again (catch-up).
 */
const CATCH_UP_AFTER_MS = 24 * 3600_000;

/** Whether the person writing now had been silent long enough for a broadcast to have skipped them. */
function mayCatchUp(before: Date | null, touchAt: Date | null): boolean {
  if (!touchAt) return false;
  return before === null || touchAt.getTime() - before.getTime() > CATCH_UP_AFTER_MS;
}

/** What processing one event produced. */
export type TurnResult = { ok: true; replies: number; sensitive: boolean } | { ok: false; reason: 'invalid_payload' | 'lease_lost' };

/**
 * Processes one claimed inbox event: contact, conversation state and outgoing messages (the outbox) change together
 * with the event's completion, in one statement when the turn writes nothing before its end, else in one transaction.
 */
export class TurnProcessor {
  private readonly quizzes: Quizzes;
  private readonly schools: SchoolListCache;
  private readonly repos: Repos;
  private readonly broadcasts: Broadcasts;

  /** `schools`: the school list cache every turn shares (default: one with the standard TTL). */
  constructor(
    private readonly deps: { prisma: PrismaClient; engine: FlowEngine; catalogue: Catalogue; quizzes?: Quizzes; log: Logger; publicUrl?: () => string; answerer?: QuestionAnswerer; tips: Tips; teacherInviteKey: Buffer; schools?: SchoolListCache; direct?: DirectQuery; broadcasts?: Broadcasts; metrics?: Metrics },
  ) {
    this.quizzes = deps.quizzes ?? loadQuizzes();
    this.schools = deps.schools ?? new SchoolListCache();
    this.repos = createRepos(deps.prisma, deps.direct ? { direct: deps.direct } : {});
    this.broadcasts = deps.broadcasts ?? createBroadcasts();
  }

  /** Runs the turn for `event`, leased by `owner`. Throws on unexpected errors (the worker retries). */
  async process(event: ClaimedEvent, owner: string): Promise<TurnResult> {
    const result = await this.run(event, owner).catch((err: unknown) => {
      this.deps.metrics?.turn(event.channel, 'error');
      throw err;
    });
    this.deps.metrics?.turn(event.channel, result.ok ? 'ok' : result.reason, event.receivedAt);
    return result;
  }

  private async run(event: ClaimedEvent, owner: string): Promise<TurnResult> {
    const parsed = InboundPayloadSchema.safeParse(event.payload);
    if (!parsed.success) {
      // Stored by an older version or corrupted: nothing sensible to answer; drop it rather than retry forever.
      await this.repos.inbox.complete(event.id, owner, event.attempts);
      return { ok: false, reason: 'invalid_payload' };
    }
    const { userId, input: storedInput, at } = parsed.data;
    // An effect an earlier turn asked for (a model answer) runs here, before any transaction is open: a slow call
    // never holds the database (on the embedded one, its only connection). Its outcome is this turn's input.
    const input: TurnInputEvent = storedInput.kind === 'effect' ? await this.runEffect(storedInput.effect) : storedInput;
    const now = new Date();
    const interactedAt = at ? new Date(at) : now;
    const turn: Turn = {
      event,
      owner,
      userId,
      at,
      input,
      identity: { channel: event.channel, accountId: event.accountId, userId },
      // A follow-up turn is not the person writing: it touches nothing, so it opens no reply window.
      touchAt: storedInput.kind === 'effect' ? null : interactedAt,
      interactedAt,
      now,
    };
    const quick = await this.withoutTransaction(turn);
    return quick === NEEDS_TRANSACTION ? this.inTransaction(turn) : quick;
  }

  /**
   * Most turns write only in their last statement (`finish`, one atomic statement): they need no transaction, and
   * save its BEGIN and COMMIT and the statement that touched the contact. Until then every repository only reads;
   * a turn that would write (a first turn creates its contact, a tip-flow turn rewrites times, a pledge, a quiz
   * result, a teacher code) stops before anything is written and runs again in `inTransaction`.
   */
  private async withoutTransaction(t: Turn): Promise<TurnResult | typeof NEEDS_TRANSACTION> {
    let wrote = false;
    const repos = createReadOnlyRepos(this.deps.prisma, () => (wrote = true), { schools: this.schools, ...(this.deps.direct ? { direct: this.deps.direct } : {}) });
    let read = await repos.turns.read(t.identity);
    // Someone writing for the first time: their contact is created on its own (untouched, `finish` touches it), so
    // their first turn takes the same short path as every other.
    const created = read === null && t.touchAt !== null;
    if (created) read = await this.repos.turns.create(t.identity, hourOf(t.now));
    if (!read || (read.conversation !== null && isTipFlow(read.conversation.flowId))) return NEEDS_TRANSACTION;
    const contact = toView(read.contact);
    const profile = new PendingProfile(repos, contact);
    let out: TurnOutput;
    try {
      out = await this.deps.engine.runTurn({ state: stateOf(read.conversation), input: t.input, contact, services: this.services(repos, contact, profile, t.identity, t.now), now: t.now });
    } catch (err) {
      if (wrote) return NEEDS_TRANSACTION;
      throw err;
    }
    // Checked after the turn too: a flow that caught the refusal and went on decided without its write.
    if (wrote || out.sensitive === true) return NEEDS_TRANSACTION;
    RepliesSchema.parse(out.replies);
    const finished = await this.repos.turns.finish(this.finishOf(t, contact.id, out, { patch: profile.take(), touchAt: t.touchAt }));
    if (!finished) return { ok: false, reason: 'lease_lost' };
    // A contact created by this turn was never skipped by a broadcast.
    if (!created && mayCatchUp(read.contact.lastInteractionAt, t.touchAt)) await this.broadcasts.catchUp(this.repos, contact.id, t.now);
    return { ok: true, replies: out.replies.length, sensitive: false };
  }

  /** The turn in one transaction: contact, conversation state and outgoing messages change together. */
  private async inTransaction(t: Turn): Promise<TurnResult> {
    return inTransaction(this.deps.prisma, async (repos) => {
      // One statement: the contact touched, its times before the touch (a tip-flow turn puts them back) and its
      // conversation row.
      const start = await repos.turns.start(t.identity, t.touchAt, t.now);
      const contact = toView(start.contact);
      const profile = new PendingProfile(repos, contact);
      const out = await this.deps.engine.runTurn({ state: stateOf(start.conversation), input: t.input, contact, services: this.services(repos, contact, profile, t.identity, t.now), now: t.now });
      // A flow bug surfaces here, where the event is retried and logged, not later as a silently failed delivery.
      RepliesSchema.parse(out.replies);
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
        // Written before the times are put back (the update moves them).
        await profile.flush();
        await repos.tipTraces.restoreContact(contact.id, start.before, hourOf(t.now));
      }
      // If our lease expired and another worker took the event, `finish` writes nothing and everything rolls back:
      // the event will be done once, there.
      const finished = await repos.turns.finish(this.finishOf(t, contact.id, out, { patch: profile.take(), touchAt: null }));
      if (!finished) throw new AppError('internal', { message: 'lease lost', cause: 'lease_lost' });
      // Not in a tip-flow turn: a campaign message must not arrive in the middle of an anonymous tip.
      if (!sensitive && start.before && mayCatchUp(start.before.lastInteractionAt, t.touchAt)) await this.broadcasts.catchUp(repos, contact.id, t.now);
      return { ok: true as const, replies: out.replies.length, sensitive };
    }, { schools: this.schools }).catch((err: unknown) => {
      if (err instanceof AppError && err.cause === 'lease_lost') return { ok: false as const, reason: 'lease_lost' as const };
      throw err;
    });
  }

  /**
   * The turn's last statement: the contact's changes, the state, the replies, the effects (each a follow-up event in
   * the same lane, so it runs after this turn, in order) and the event's completion.
   */
  private finishOf(t: Turn, contactId: string, out: TurnOutput, contact: { patch: ContactPatch; touchAt: Date | null }): TurnFinish {
    const sensitive = out.sensitive === true;
    return {
      eventId: t.event.id,
      owner: t.owner,
      attempt: t.event.attempts,
      contactId,
      contactPatch: contact.patch,
      touchAt: contact.touchAt,
      conversation: sensitive ? 'keep' : out.state,
      replies: { channel: t.event.channel, accountId: t.event.accountId, recipient: t.userId, laneKey: t.event.laneKey, messages: out.replies },
      sensitive,
      interactionAt: sensitive ? t.interactedAt : null,
      followUps: (out.effects ?? []).map((effect, i) => ({
        dedupeKey: effectDedupeKey(t.event.id, i),
        payload: { userId: t.userId, input: { kind: 'effect', effect }, ...(t.at ? { at: t.at } : {}) },
      })),
      now: t.now,
    };
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

  private services(repos: Repos, contact: ContactView, profile: PendingProfile, origin: ReplyRoute, now: Date): FlowServices {
    return {
      directory: repos.directory,
      catalogue: this.deps.catalogue,
      quizzes: this.quizzes,
      quizResults: repos.quiz,
      pledges: createPledgesPort(repos.pledges, contact.id, this.deps.publicUrl ?? (() => '')),
      pledgeProgress: createPledgeProgressPort(repos, contact.id),
      modelAnswers: this.deps.answerer !== undefined,
      teacherInvites: createTeacherInvitesPort(repos, contact, this.deps.teacherInviteKey, () => profile.flush()),
      staffChat: createStaffChatPort(repos, contact, this.deps.teacherInviteKey),
      broadcasts: createBroadcastsPort({ repos, contact, services: this.broadcasts }),
      // The tip desk knows who is writing (to seal a reply handle with consent); the flow never does.
      tips: chatTipDesk(this.deps.tips, repos, origin, now),
      profile,
    };
  }
}

/**
 * The flows' profile port for one turn: changes are collected and written by the turn's last statement
 * (`TurnRepo.finish`), or by `flush` when something must see them in the database first.
 */
class PendingProfile {
  private patch: ContactPatch = {};

  constructor(
    private readonly repos: Repos,
    private readonly contact: ContactView,
  ) {}

  /** Records the change; the flow sees it at once in its contact view. */
  async update(patch: Parameters<Profile['update']>[0]): Promise<void> {
    const set = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
    Object.assign(this.patch, set);
    Object.assign(this.contact, set);
  }

  /** Writes the collected changes now. */
  async flush(): Promise<void> {
    const patch = this.take();
    if (Object.keys(patch).length > 0) await this.repos.contacts.update(this.contact.id, patch);
  }

  /** The changes not written yet (and forgets them). */
  take(): ContactPatch {
    const patch = this.patch;
    this.patch = {};
    return patch;
  }
}

/** The stored conversation as the engine reads it (it validates it). */
function stateOf(row: StoredRow | null): unknown {
  return row && { flowId: row.flowId, stepId: row.stepId, version: row.version, data: row.data, expiresAt: row.expiresAt };
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
