import { createHash } from 'node:crypto';
import type { InboundPayload, UserInput } from '../../../flows/index.js';
import type { NewInboundEvent } from '../../../store/inbox.repo.js';
import { laneKeyOf } from '../../log-keys.js';
import { safeEqual } from '../webhook-http.js';
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

/** What a Zalo event means: an input for the inbox, a delivery receipt, or nothing. */
export type ZaloEventMeaning =
  | { kind: 'input'; event: NewInboundEvent }
  | { kind: 'receipt'; status: 'delivered' | 'seen'; messageIds: string[] }
  | { kind: 'ignored'; reason: string };

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
    const ids = body.message?.msg_ids ?? (body.message?.msg_id ? [body.message.msg_id] : []);
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
    dedupeKey = `${name}:${userId}:${body.timestamp}`;
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
  if (!input) return { kind: 'ignored', reason: `unhandled event ${name}` };
  if (!userId) return { kind: 'ignored', reason: `${name} without a user id` };
  const account = body.oa_id ?? body.recipient?.id ?? oaId;
  if (account !== oaId) return { kind: 'ignored', reason: 'event for another OA' };
  const payload: InboundPayload = { userId, input, ...(/^\d+$/.test(body.timestamp) ? { at: new Date(Number(body.timestamp)).toISOString() } : {}) };
  return {
    kind: 'input',
    event: {
      channel: 'zalo',
      accountId: oaId,
      dedupeKey: dedupeKey ?? `${name}:${userId}:${body.timestamp}`,
      laneKey: laneKeyOf('zalo', oaId, userId),
      payload,
    },
  };
}
