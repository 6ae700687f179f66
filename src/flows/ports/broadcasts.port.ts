import type { OutMessage } from '../../content/messages.schema.js';

/** Who a teacher's broadcast is for, by role. */
export type BroadcastRoleChoice = 'parent' | 'student';

/** Where the contact in the turn may broadcast: per school, the whole school (or not) and the classes. */
export interface BroadcastScopeView {
  schools: {
    id: string;
    name: string;
    /** The contact may address every class of the school at once. */
    wholeSchool: boolean;
    /** A whole-school broadcast waits for a school admin's approval. */
    needsApproval: boolean;
    /** `own`: a class the contact teaches (no approval needed for it). */
    classes: { id: string; name: string; own: boolean }[];
  }[];
}

/** The audience a teacher chose in chat. */
export interface BroadcastAudienceChoice {
  schoolIds: string[];
  classIds: string[];
  roles: BroadcastRoleChoice[];
  onlyUnpledged: boolean;
  includeGroups: boolean;
}

/** Why a person in the audience cannot be reached one by one. */
export type BroadcastUnreachableReason = 'opted_out' | 'messenger_window_closed' | 'zalo_window_closed' | 'never_wrote';

/** The reach forecast of one channel (see the services' `ChannelReach`). */
export interface BroadcastChannelReach {
  reachableNow: number;
  reachableLater: number;
  onlyThroughGroup: number;
  notReachable: Partial<Record<BroadcastUnreachableReason, number>>;
}

/** The reach forecast shown before sending. */
export interface BroadcastReachView {
  people: number;
  /** By channel id: `zalo`, `messenger`, `simulator`. */
  byChannel: Record<string, BroadcastChannelReach>;
  groups: { healthy: number; unhealthy: number };
}

/** How the messages will look on one channel, rendered by the channel's own renderer. */
export interface BroadcastChannelPreview {
  channel: 'zalo_user' | 'zalo_group' | 'messenger';
  /** What the recipient sees, message by message, written out as text (images and buttons described in place). */
  parts: string[];
}

/** A broadcast as its author sees it in a list. */
export interface BroadcastSummaryView {
  code: string;
  status: BroadcastStatusView;
  sendAt: Date;
}

export type BroadcastStatusView = 'draft' | 'pending_approval' | 'scheduled' | 'expanding' | 'expanded' | 'cancelled' | 'rejected';

/** Per-broadcast figures. */
export interface BroadcastFiguresView {
  code: string;
  status: BroadcastStatusView;
  audienceSize: number;
  queued: number;
  sent: number;
  delivered: number;
  seen: number;
  skipped: Partial<Record<string, number>>;
  failed: Partial<Record<string, number>>;
  caughtUp: number;
  cancelled: number;
}

/** What the teacher asked to send. */
export interface BroadcastRequest {
  audience: BroadcastAudienceChoice;
  messages: OutMessage[];
  sendAt: Date;
  /** One line naming the audience, for the approvers' notice ("Toàn trường THCS …, phụ huynh"). */
  audienceLabel: string;
}

export type BroadcastCreateOutcome =
  | { ok: true; code: string; status: BroadcastStatusView; needsApproval: boolean; sendAt: Date; approversNotified: number }
  | { ok: false; reason: 'not_allowed' | 'empty_audience' | 'in_past' | 'no_message' };

export type BroadcastDecideOutcome =
  | { ok: true; code: string; status: BroadcastStatusView }
  | { ok: false; reason: 'unknown' | 'not_approver' | 'not_pending' };

export type BroadcastCancelOutcome = { ok: true; code: string; stopped: number } | { ok: false; reason: 'unknown' | 'not_allowed' | 'finished' };

/**
 * Broadcasts of the contact in the turn (implemented by the bot over src/services/broadcasts, in the turn's
 * transaction). The contact is the author, or the approver deciding; the services check every right again.
 */
export interface Broadcasts {
  /** Where the contact may broadcast (empty for a contact who is not a verified teacher). */
  scope(): Promise<BroadcastScopeView>;
  /** Who the audience reaches at `at`, per channel. */
  forecast(audience: BroadcastAudienceChoice, at: Date): Promise<BroadcastReachView>;
  /** The messages as each channel will show them. */
  preview(messages: OutMessage[], opts: { includeGroups: boolean }): BroadcastChannelPreview[];
  /** Stores the broadcast (and notifies the approvers when it needs approval). */
  create(request: BroadcastRequest, now: Date): Promise<BroadcastCreateOutcome>;
  /** The contact approves or rejects a pending broadcast (the author is told). */
  decide(code: string, approve: boolean, now: Date): Promise<BroadcastDecideOutcome>;
  /** The author stops a broadcast that has not finished. */
  cancel(code: string, now: Date): Promise<BroadcastCancelOutcome>;
  /** The figures of one of the contact's broadcasts (null: unknown, or not theirs). */
  figures(code: string): Promise<BroadcastFiguresView | null>;
  /** The contact's latest broadcasts, newest first. */
  mine(limit: number): Promise<BroadcastSummaryView[]>;
}
