/** Categories of anonymous tips (DESIGN.md §4), in menu order. */
export const TIP_CATEGORIES = ['drugs', 'school_violence', 'theft', 'weapons', 'fire_hazard', 'online_scam', 'traffic', 'other'] as const;
export type TipCategory = (typeof TIP_CATEGORIES)[number];

/** Statuses of a tip, in order (closed carries an outcome). */
export const TIP_STATUSES = ['new', 'triaged', 'in_progress', 'closed'] as const;
export type TipStatus = (typeof TIP_STATUSES)[number];

/** What a tipster submits. Nothing here identifies them. */
export interface TipDraft {
  category: TipCategory;
  description: string;
  place: string | null;
  schoolId: string | null;
  urgent: boolean;
  /** The tipster agreed to anonymous replies through the channel they wrote from. */
  allowReplies: boolean;
  /** Platform addresses of photos sent in the chat; fetched, stripped of metadata and encrypted on submit. */
  photoUrls?: string[];
}

/** The outcome of a submission: the public code and the PIN (shown once, digits grouped for reading), or why not. */
export type TipSubmitResult = { ok: true; code: string; pin: string; photosFailed?: number } | { ok: false; reason: 'rate_limited' };

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
 * Anonymous tips as flows see them (implemented by the bot over the store, per turn). The implementation knows the
 * turn's channel and user id and seals them itself when the tipster consents; flows never see them.
 */
export interface TipDesk {
  /** The channel the tipster writes from, for the honest notice. */
  platform: 'zalo' | 'messenger' | 'other';
  /** Address of the web tip form (more anonymous than chat). */
  webFormUrl: string;
  /** Stores the tip (encrypted, no link to the contact) and returns its code and PIN. */
  submit(draft: TipDraft): Promise<TipSubmitResult>;
  /** Checks a code and PIN (limited per source and per code) and returns the tip's status and handler replies. */
  lookup(code: string, pin: string): Promise<TipLookupResult>;
  /** Adds a message from the tipster to the tip a grant was issued for. */
  addInfo(grant: string, text: string): Promise<TipAddResult>;
  /** Encrypts a value (a typed tip code) before it is kept in conversation state, next to who is writing. */
  sealForState(value: string): string;
  /** The value sealed by `sealForState`, or null when it cannot be opened. */
  openFromState(sealed: string): string | null;
}
