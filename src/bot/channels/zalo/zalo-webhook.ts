import { createHash } from 'node:crypto';
import type { InboundPayload, UserInput } from '../../../flows/index.js';
import type { NewInboundEvent } from '../../../store/inbox.repo.js';
import { laneKeyOf } from '../../log-keys.js';
import { contentKey, isMessageId, isPlatformId, platformTime, safeEqual } from '../webhook-http.js';
import type { ZaloWebhook } from './zalo-webhook.schema.js';

/**
 * Query buttons send their payload back as an ordinary user text (shared/PLATFORMS.md), so our payloads are sent with
 * this prefix to tell a tap from typed text.
 */
export const ZALO_PAYLOAD_PREFIX = '#';

/** Checks `X-ZEvent-Signature: mac=<sha256hex(app_id + raw body + timestamp + secret)>` (plain SHA-256, not HMAC). */
export function verifyZaloSignature(rawBody: Buffer, header: string | undefined, appId: string, timestamp: string, secret: string): boolean {
  if (!header) return false;
  const mac = header.trim().replace(/^mac=/, '');
  const expected = createHash('sha256').update(appId).update(rawBody).update(timestamp).update(secret).digest('hex');
  return safeEqual(mac.toLowerCase(), expected);
}

/** What a Zalo event means: an input for the inbox, a delivery receipt, nothing, or something we cannot use. */
export type ZaloEventMeaning =
  | { kind: 'input'; event: NewInboundEvent }
  | { kind: 'receipt'; status: 'delivered' | 'seen'; messageIds: string[] }
  | { kind: 'ignored'; reason: string }
  | { kind: 'invalid'; reason: string };

// Zalo documents no limit on the ids of one receipt; an unbounded list would become an unbounded query. Past the
// bound, older deliveries of a long conversation merely keep no receipt time.
const MAX_RECEIPT_IDS = 1000;

const USER_MEDIA = new Set(['user_send_link', 'user_send_audio', 'user_send_video', 'user_send_location', 'user_send_file', 'user_send_business_card', 'user_send_gif']);

function textInput(text: string): UserInput {
  if (text.startsWith(ZALO_PAYLOAD_PREFIX) && text.length > 1 && !/\s/.test(text)) {
    return { kind: 'payload', payload: text.slice(ZALO_PAYLOAD_PREFIX.length, 1000) };
  }
  return { kind: 'text', text: text.slice(0, 5000) };
}

/** Maps one verified Zalo event for our OA. */
export function interpretZaloEvent(body: ZaloWebhook, oaId: string): ZaloEventMeaning {
  const name = body.event_name;
  if (name === 'user_received_message' || name === 'user_seen_message') {
    const ids = (body.message?.msg_ids ?? (body.message?.msg_id ? [body.message.msg_id] : [])).filter(isMessageId).slice(0, MAX_RECEIPT_IDS);
    return { kind: 'receipt', status: name === 'user_seen_message' ? 'seen' : 'delivered', messageIds: ids };
  }
  if (name.startsWith('oa_send_')) return { kind: 'ignored', reason: 'echo of our own message' };
  if (name.startsWith('user_send_group_')) return { kind: 'ignored', reason: 'group message' };

  let userId: string | undefined;
  let input: UserInput | null = null;
  let dedupeKey: string | undefined = body.message?.msg_id;
  if (name === 'follow' || name === 'unfollow') {
    userId = body.follower?.id;
    input = { kind: name };
    dedupeKey = undefined;
  } else if (name === 'user_send_text') {
    userId = body.sender?.id;
    input = textInput(body.message?.text ?? '');
  } else if (name === 'user_send_image') {
    userId = body.sender?.id;
    const url = body.message?.attachments?.[0]?.payload?.url;
    input = { kind: 'image', ...(url ? { url: url.slice(0, 2000) } : {}) };
  } else if (name === 'user_send_sticker') {
    userId = body.sender?.id;
    input = { kind: 'sticker' };
  } else if (USER_MEDIA.has(name) || name === 'user_submit_info') {
    // The submitted info (name, phone, address) is not needed by any flow: it is not kept.
    userId = body.sender?.id;
    input = { kind: 'other', what: name };
  }
  if (!input) return { kind: 'ignored', reason: 'unhandled event' };
  if (!userId) return { kind: 'ignored', reason: `${name} without a user id` };
  const account = body.oa_id ?? body.recipient?.id ?? oaId;
  if (account !== oaId) return { kind: 'ignored', reason: 'event for another OA' };
  if (!isPlatformId(userId)) return { kind: 'invalid', reason: `${name}: the user id is not a Zalo id` };
  if (dedupeKey !== undefined && !isMessageId(dedupeKey)) return { kind: 'invalid', reason: `${name}: the message id is not usable` };
  const payload: InboundPayload = { userId, input, at: platformTime(body.timestamp).toISOString() };
  // Events without a message id are told apart by their timestamp, as sent (a retry repeats it); an odd one is hashed
  // so the key stays within the index limit.
  const stamp = /^\d{1,20}$/.test(body.timestamp) ? body.timestamp : contentKey('t', body.timestamp);
  return {
    kind: 'input',
    event: {
      channel: 'zalo',
      accountId: oaId,
      dedupeKey: dedupeKey ?? `${name}:${userId}:${stamp}`,
      laneKey: laneKeyOf('zalo', oaId, userId),
      payload,
    },
  };
}
