import type { Locale, StringKey } from '../content/i18n.js';
import type { OutMessage } from '../content/messages.schema.js';
import type { Catalogue } from '../content/catalogue.js';
import type { Quizzes } from '../content/quizzes.js';
import type { Effect, EffectOutcome, UserInput } from './event.schema.js';
import type { Broadcasts } from './ports/broadcasts.port.js';
import type { Directory } from './ports/directory.port.js';
import type { PledgeProgress } from './ports/pledge-progress.port.js';
import type { Pledges } from './ports/pledges.port.js';
import type { Profile } from './ports/profile.port.js';
import type { QuizResults } from './ports/quiz-results.port.js';
import type { StaffChat } from './ports/staff-chat.port.js';
import type { TeacherInvites } from './ports/teacher-invites.port.js';
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

/** Everything a step may use besides its input. */
export interface FlowServices {
  directory: Directory;
  profile: Profile;
  catalogue: Catalogue;
  /** Anonymous tips. */
  tips: TipDesk;
  /** Whether a model answers free-text questions (OPENAI_API_KEY set); without one, keyword search answers. */
  modelAnswers: boolean;
  /** Quizzes per topic, validated at boot. */
  quizzes: Quizzes;
  /** Where finished quizzes are stored and ranked. */
  quizResults: QuizResults;
  /** Traffic-safety pledges of the contact in the turn. */
  pledges: Pledges;
  /** "Who has not pledged" in the classes a verified teacher may see. */
  pledgeProgress: PledgeProgress;
  /** Teacher invite codes and the contact's verification: teacher-only features check it, never the role alone. */
  teacherInvites: TeacherInvites;
  /** A verified teacher's broadcasts, and an approver's decisions on them. */
  broadcasts: Broadcasts;
  /** Staff accounts' chat links ("NV <code>") and urgent-tip acknowledgements ("ĐÃ NHẬN <tip code>"). */
  staffChat: StaffChat;
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
