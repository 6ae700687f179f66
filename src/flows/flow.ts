import type { Locale, StringKey } from '../content/i18n.js';
import type { OutMessage } from '../content/messages.schema.js';
import type { Catalogue } from '../content/catalogue.js';
import type { Quizzes } from '../content/quizzes.js';
import type { ContentItem } from '../content/catalogue.schema.js';
import type { Effect, EffectOutcome, UserInput } from './event.schema.js';
import type { PledgeService } from './pledge-service.js';
import type { TipDesk } from './ports/tip-desk.port.js';

export type Role = 'parent' | 'student' | 'teacher';

/** What a flow knows about the person it talks to (never a platform id). */
export interface ContactView {
  id: string;
  role: Role | null;
  schoolId: string | null;
  classId: string | null;
  locale: Locale;
  subscribed: boolean;
}

/** A school and a class as flows see them. */
export interface SchoolRef { id: string; name: string; code: string }
export interface ClassRef { id: string; name: string; code: string; schoolId: string; schoolName: string }

/** Read access to schools and classes (implemented over the store by the bot). */
export interface Directory {
  listSchools(): Promise<SchoolRef[]>;
  getSchool(id: string): Promise<SchoolRef | null>;
  listClasses(schoolId: string): Promise<ClassRef[]>;
  getClass(id: string): Promise<ClassRef | null>;
  findClassByCode(code: string): Promise<ClassRef | null>;
}

/** Changes to the contact's own profile; applied in the turn's transaction. */
export interface Profile {
  update(patch: Partial<Pick<ContactView, 'role' | 'schoolId' | 'classId' | 'locale' | 'subscribed'>>): Promise<void>;
}

/** An answer to a free-text question, grounded only on the given catalogue items. */
export type AnswerResult = { ok: true; text: string } | { ok: false; reason: 'unavailable' | 'error' };

/**
 * Answers questions from catalogue items with a language model (implemented by the bot; absent without a key). Never
 * a flow service: the bot calls it for an `answer_question` effect, after the turn's transaction.
 */
export interface QuestionAnswerer {
  answer(question: string, context: { locale: 'vi' | 'en'; items: readonly ContentItem[] }): Promise<AnswerResult>;
}

/** One class's quiz results, aggregated: no individual appears (contacts have no names, and none are shown). */
export interface ClassQuizScore { classId: string; className: string; attempts: number; participants: number; score: number; total: number }

/** Stores finished quizzes and ranks a school's classes (implemented over the store by the bot). */
export interface QuizResults {
  record(attempt: { contactId: string; schoolId: string | null; topic: string; score: number; total: number }): Promise<void>;
  classLeaderboard(schoolId: string, limit: number): Promise<ClassQuizScore[]>;
}

/** Everything a step may use besides its input. */
export interface FlowServices {
  directory: Directory;
  profile: Profile;
  catalogue: Catalogue;
  /** Anonymous tips. */
  tips: TipDesk;
  /** Whether a model answers free-text questions (OPENAI_API_KEY set); without one, keyword search answers. */
  modelAnswers: boolean;
  /** Quizzes per topic, validated at boot; undefined where none are wired (the quiz flow then says so). */
  quizzes?: Quizzes;
  /** Where finished quizzes are stored and ranked. */
  quizResults?: QuizResults;
  /** Traffic-safety pledges of the contact in the turn; undefined where none are wired (the pledge flow then says so). */
  pledges?: PledgeService;
}

/** Per-turn context handed to every step. */
export interface StepContext {
  contact: ContactView;
  services: FlowServices;
  now: Date;
  t(key: StringKey, params?: Record<string, string | number>): string;
}

export type FlowData = Record<string, unknown>;

/** Where the conversation goes after a step handled an input. */
export type Next =
  | { kind: 'stay'; data?: FlowData }
  | { kind: 'goto'; stepId: string; data?: FlowData }
  | { kind: 'flow'; flowId: string; data?: FlowData }
  | { kind: 'end' };

/** A step's answer to one input: what to say, where to go, and slow work to run once the turn has committed. */
export interface StepResult {
  replies: OutMessage[];
  next: Next;
  /** Each comes back to the asking flow's `onEffect` as a follow-up turn (no network call inside a transaction). */
  effects?: Effect[];
}

/** One named step: what it says when entered, and how it handles an input. */
export interface Step {
  prompt(ctx: StepContext, data: FlowData): Promise<OutMessage[]> | OutMessage[];
  handle(ctx: StepContext, input: UserInput, data: FlowData): Promise<StepResult> | StepResult;
  /** This step handles `image` inputs too (the tip flow's photos); elsewhere the engine answers "unsupported". */
  acceptsImages?: boolean;
}

/** A flow: named steps and a version. Bump the version when a change makes old stored state meaningless. */
export interface Flow {
  id: string;
  version: number;
  start: string;
  steps: Record<string, Step>;
  /** Chooses the first step from the data the flow is entered with (e.g. a deep link); default `start`. */
  entry?(data: FlowData): { stepId: string; data: FlowData };
  /**
   * Turns in this flow leave no trace linking what was said to the person: their replies are erased once sent
   * and the turn is not logged (the anonymous tip flow, DESIGN.md §4).
   */
  sensitive?: boolean;
  /**
   * What to say when an effect this flow asked for has run (a follow-up turn). The conversation stays where it is:
   * the person may have moved on meanwhile.
   */
  onEffect?(ctx: StepContext, effect: Effect, outcome: EffectOutcome): Promise<OutMessage[]> | OutMessage[];
}

/** Shorthand constructors for step results. */
export const result = {
  stay: (replies: OutMessage[], data?: FlowData): StepResult => ({ replies, next: { kind: 'stay', ...(data ? { data } : {}) } }),
  goto: (stepId: string, replies: OutMessage[] = [], data?: FlowData): StepResult => ({ replies, next: { kind: 'goto', stepId, ...(data ? { data } : {}) } }),
  flow: (flowId: string, replies: OutMessage[] = [], data?: FlowData): StepResult => ({ replies, next: { kind: 'flow', flowId, ...(data ? { data } : {}) } }),
  end: (replies: OutMessage[] = []): StepResult => ({ replies, next: { kind: 'end' } }),
};

/** A text message. */
export const text = (t: string): OutMessage => ({ type: 'text', text: t });
