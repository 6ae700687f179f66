import type { OutMessage } from '../../content/messages.schema.js';

/** Channel ids as stored on contacts, events and deliveries. */
export type ChannelId = 'simulator' | 'zalo' | 'messenger';

/** Why a send did not happen; every platform answer is classified into one of these. */
export type SendFailure = 'rate_limited' | 'window_closed' | 'quiet_hours' | 'user_unavailable' | 'token_expired' | 'invalid' | 'transient';

/** The outcome of one send attempt. */
export type SendOutcome =
  | { ok: true; outcome: 'sent'; platformCode?: string; platformMessageId?: string }
  | {
      ok: false;
      outcome: SendFailure;
      detail: string;
      platformCode?: string;
      retryAfterMs?: number;
      /** Held back by our own rate limit before any platform call: does not count as an attempt. */
      throttled?: true;
    };

/** One delivery as a channel receives it. */
export interface OutboundDelivery {
  id: bigint;
  accountId: string;
  recipient: string;
  message: OutMessage;
  attempts: number;
  /** When the recipient last wrote to us (reply windows are counted from it); null for groups. */
  lastInteractionAt: Date | null;
  /** A conversation's reply or a campaign message; campaign messages leave part of the rate limit to replies. */
  kind: 'reply' | 'bulk';
}

/** Why a policy holds a delivery back for a while. */
export type DeferReason = 'quiet_hours' | 'rate_limited';
/** Why a policy will not send a delivery at all. */
export type SkipReason = 'window_closed' | 'opted_out';

/** What to do with a delivery before trying to send it; the outcome is recorded on the delivery as it is. */
export type PolicyDecision =
  | { kind: 'send' }
  | { kind: 'defer'; outcome: DeferReason; until: Date; reason: string }
  | { kind: 'skip'; outcome: SkipReason; reason: string };

/** The contract of a channel on the sending side: a policy (windows, quiet hours) and a send. */
export interface Channel {
  id: ChannelId;
  /** Decides, before any platform call, whether the delivery may go now. */
  policy(delivery: OutboundDelivery, now: Date): PolicyDecision;
  /** Sends one neutral message; never throws for a platform answer, only classifies it. */
  send(delivery: OutboundDelivery): Promise<SendOutcome>;
}
