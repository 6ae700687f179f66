import { TIP_CATEGORIES, TIP_STATUSES, type TipCategory, type TipStatus } from '../../content/tip-categories.js';
import type { PreparedPhoto } from '../event.schema.js';

export { TIP_CATEGORIES, TIP_STATUSES, type TipCategory, type TipStatus };

/** What a tipster submits. Nothing here identifies them. */
export interface TipDraft {
  category: TipCategory;
  description: string;
  place: string | null;
  schoolId: string | null;
  urgent: boolean;
  /** The tipster agreed to anonymous replies through the channel they wrote from. */
  allowReplies: boolean;
  /** Platform addresses of photos sent in the chat; fetched after the turn commits (`photoRequest`). */
  photoUrls?: string[];
}

/**
 * The outcome of a submission: the public code and the PIN (shown once, digits grouped for reading), or why not.
 * With photos, `photoRequest` is what the flow hands to a `fetch_tip_photos` effect: sealed, so the follow-up event
 * in the tipster's lane names no tip.
 */
export type TipSubmitResult =
  | { ok: true; code: string; pin: string; photoRequest?: { sealed: string; count: number } }
  | { ok: false; reason: 'rate_limited' };

/** What a tipster sees when following up (never who handled it). */
export interface TipStatusView {
  code: string;
  category: TipCategory;
  status: TipStatus;
  createdAt: Date;
  replies: { at: Date; text: string }[];
}

/**
 * The outcome of a code + PIN check. `grant` is an opaque, short-lived proof of the right PIN, so adding information
 * does not need the PIN to be kept anywhere.
 */
export type TipLookupResult =
  | { ok: true; tip: TipStatusView; grant: string }
  | { ok: false; reason: 'wrong' }
  /** Too many tries from here or on this code: try again in `retryAfterMinutes` (never more than 60). */
  | { ok: false; reason: 'locked'; retryAfterMinutes: number };

/** The outcome of adding information to a tip. */
export type TipAddResult = { ok: true } | { ok: false; reason: 'expired' | 'closed' };

/**
 * Anonymous tips as flows see them (implemented by the bot over the tip services, per turn). The implementation
 * knows the turn's channel and user id and seals them itself when the tipster consents; flows never see them.
 */
export interface TipDesk {
  /** The channel the tipster writes from, for the honest notice. */
  platform: 'zalo' | 'messenger' | 'other';
  /** Address of the web tip form (more anonymous than chat). */
  webFormUrl: string;
  /** Stores the tip (encrypted, no link to the contact) and returns its code and PIN. */
  submit(draft: TipDraft): Promise<TipSubmitResult>;
  /** Stores photos fetched after the submission (a `fetch_tip_photos` effect) on the tip; how many were stored. */
  attachPhotos(request: string, photos: readonly PreparedPhoto[]): Promise<{ stored: number }>;
  /** Checks a code and PIN (limited per source and per code) and returns the tip's status and handler replies. */
  lookup(code: string, pin: string): Promise<TipLookupResult>;
  /** Adds a message from the tipster to the tip a grant was issued for. */
  addInfo(grant: string, text: string): Promise<TipAddResult>;
  /** Encrypts a value (a typed tip code) before it is kept in conversation state, next to who is writing. */
  sealForState(value: string): string;
  /** The value sealed by `sealForState`, or null when it cannot be opened. */
  openFromState(sealed: string): string | null;
}
