import type { OutMessage } from '../../content/messages.schema.js';

/** Who a broadcast is for, by role. `teacher`: verified teachers; `staff`: staff accounts that linked their chat. */
export type AudienceRole = 'parent' | 'student' | 'teacher' | 'staff';

/** A broadcast's audience, as stored in `Broadcast.audience` and `Reminder.audience`. */
export interface Audience {
  /** Whole schools (every class of them). */
  schoolIds: string[];
  /** Single classes (added to the schools'). */
  classIds: string[];
  roles: AudienceRole[];
  /** Only contacts whose student has not pledged yet in the active campaign (parents and students only). */
  onlyUnpledged: boolean;
  /** Also post into the classes' healthy Zalo groups. */
  includeGroups: boolean;
}

/** Why a person in the audience cannot be reached one by one. */
export type UnreachableReason = 'opted_out' | 'messenger_window_closed' | 'zalo_window_closed' | 'never_wrote';

/** The reach forecast shown before sending, per channel. */
export interface ChannelReach {
  /** Can be sent to now. */
  reachableNow: number;
  /** Outside quiet hours they can be sent to: deferred, not dropped. */
  reachableLater: number;
  /** Not reachable one by one, but their class has a healthy Zalo group in the audience. */
  onlyThroughGroup: number;
  /** Not reachable, by reason (they get it if they write before the campaign ends: catch-up). */
  notReachable: Partial<Record<UnreachableReason, number>>;
}

export interface ReachForecast {
  /** People in the audience (before any exclusion). */
  people: number;
  byChannel: Record<string, ChannelReach>;
  /** Zalo groups posted into, and those skipped as unhealthy. */
  groups: { healthy: number; unhealthy: number };
}

/** Who creates a broadcast: a verified teacher in chat, a staff account in the console, or a reminder run. */
export type BroadcastAuthor = { kind: 'contact'; contactId: string } | { kind: 'staff'; staffId: string } | { kind: 'reminder'; reminderId: string };

/** A broadcast request before it is stored. */
export interface BroadcastDraft {
  audience: Audience;
  messages: OutMessage[];
  /** When to send (now, or later). */
  sendAt: Date;
  author: BroadcastAuthor;
  campaignId?: string | null;
}

export type BroadcastStatus = 'draft' | 'pending_approval' | 'scheduled' | 'expanding' | 'expanded' | 'cancelled' | 'rejected';

/** Per-broadcast figures (what the teacher asks for in chat, and the console shows). */
export interface BroadcastFigures {
  code: string;
  status: BroadcastStatus;
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
