import type { Locale, StringKey } from '../content/i18n.js';
import type { OutMessage } from '../content/messages.schema.js';
import type { Catalogue } from '../content/catalogue.js';
import type { UserInput } from './event.schema.js';

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

/** Everything a step may use besides its input. */
export interface FlowServices {
  directory: Directory;
  profile: Profile;
  catalogue: Catalogue;
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

/** A step's answer to one input: what to say, and where to go. */
export interface StepResult {
  replies: OutMessage[];
  next: Next;
}

/** One named step: what it says when entered, and how it handles an input. */
export interface Step {
  prompt(ctx: StepContext, data: FlowData): Promise<OutMessage[]> | OutMessage[];
  handle(ctx: StepContext, input: UserInput, data: FlowData): Promise<StepResult> | StepResult;
}

/** A flow: named steps and a version. Bump the version when a change makes old stored state meaningless. */
export interface Flow {
  id: string;
  version: number;
  start: string;
  steps: Record<string, Step>;
  /**
   * Turns in this flow leave no trace linking what was said to the person: their replies are erased once sent
   * and the turn is not logged (the anonymous tip flow, DESIGN.md §4).
   */
  sensitive?: boolean;
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
