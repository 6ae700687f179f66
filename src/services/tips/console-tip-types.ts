import type { TipCategory, TipOutcome, TipStatus } from '../../content/tip-categories.js';
import type { TipInboxRow } from '../../store/tip-inbox.repo.js';

/** Who acts in the console, and when (the request's time): every change and view is audited under this account. */
export interface TipActor {
  staffId: string;
  now: Date;
}

/** The inbox's filters, as the page has validated them. `school: 'none'`: tips that name no school. */
export interface TipInboxFilter {
  /** `open`: every status but closed (the default); `all`: every status. */
  status?: 'open' | 'all' | TipStatus;
  urgency?: 'urgent' | 'normal';
  category?: TipCategory;
  school?: string;
  /** Where the page starts (the `next` of the previous page). */
  before?: string;
}

/** A tip in the inbox: code, category, school, status and hour-stamped times; never any text. */
export type TipInboxItem = TipInboxRow;

/** One page of the inbox: the urgent tips waiting for acknowledgement first (first page only), then the rest. */
export interface TipInboxPage {
  waitingUrgent: TipInboxItem[];
  tips: TipInboxItem[];
  /** Pass as `before` for the next page; null on the last. */
  next: string | null;
  /** The school filter named a school outside the account's scope (nothing is listed then). */
  schoolOutOfScope: boolean;
}

/** A tip as the console's detail page shows it. A text that cannot be decrypted (a changed key) is null, never an error. */
export interface ConsoleTipDetail {
  id: string;
  code: string;
  category: string;
  urgent: boolean;
  status: string;
  outcome: string | null;
  schoolId: string | null;
  schoolName: string | null;
  description: string | null;
  place: string | null;
  /** The tipster agreed to replies in chat: a reply queues a notice to that chat (the route stays sealed). */
  canReply: boolean;
  acknowledgedAt: Date | null;
  createdAt: Date;
  closedAt: Date | null;
  /** The tipster's additions and the handlers' replies, oldest first (times to the hour). */
  thread: { author: 'tipster' | 'handler'; text: string | null; at: Date }[];
  /** Internal notes of handlers, never shown to the tipster. */
  notes: { by: string | null; text: string | null; at: Date }[];
  photos: { id: string; mime: string }[];
  /** Some part could not be decrypted. */
  unreadable: boolean;
}

/** A triage decision as the form sends it, validated by the page. `schoolId: null`: the tip names no school. */
export interface TipTriageInput {
  category: TipCategory;
  urgent: boolean;
  status: Exclude<TipStatus, 'closed'>;
  schoolId: string | null;
}

/** Why a console action on a tip did not happen. `not_found` also covers a tip outside the scope. */
export type TipConsoleRefusal = 'not_found' | 'closed' | 'invalid' | 'school_out_of_scope' | 'not_urgent';

/** The outcome of a console action on a tip. */
export type TipConsoleResult<T extends object = object> = ({ ok: true } & T) | { ok: false; reason: TipConsoleRefusal };

export type { TipOutcome };
