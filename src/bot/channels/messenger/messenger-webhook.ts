import { createHmac } from 'node:crypto';
import type { InboundPayload, UserInput } from '../../../flows/index.js';
import type { NewInboundEvent } from '../../../store/inbox.repo.js';
import { laneKeyOf } from '../../log-keys.js';
import { contentKey, safeEqual } from '../webhook-http.js';
import type { MessagingItem, MessengerWebhook } from './messenger-webhook.schema.js';

/** The Get Started button's payload (set by `npm run messenger:setup`). */
export const GET_STARTED = 'GET_STARTED';

/** Checks `X-Hub-Signature-256: sha256=<HMAC-SHA256(app secret, raw body bytes)>`; fails closed. */
export function verifyMessengerSignature(rawBody: Buffer, header: string | undefined, appSecret: string): boolean {
  if (!header || !header.startsWith('sha256=')) return false;
  const expected = createHmac('sha256', appSecret).update(rawBody).digest('hex');
  return safeEqual(header.slice('sha256='.length).toLowerCase(), expected);
}

/** What one messaging item means to us: an input, or nothing (echoes, deliveries, reads, reactions…). */
export function inputOf(item: MessagingItem): UserInput | null {
  const m = item.message;
  if (m) {
    if (m.is_echo) return null;
    if (m.quick_reply) return { kind: 'payload', payload: m.quick_reply.payload, ...(m.text ? { text: m.text.slice(0, 200) } : {}) };
    if (m.text !== undefined) return { kind: 'text', text: m.text.slice(0, 5000) };
    if (m.sticker_id !== undefined) return { kind: 'sticker' };
    const first = m.attachments?.[0];
    if (first?.type === 'image') return { kind: 'image', ...(first.payload?.url ? { url: first.payload.url.slice(0, 2000) } : {}) };
    if (first) return { kind: 'other', what: first.type.slice(0, 100) };
    return null;
  }
  if (item.postback) {
    const ref = item.postback.referral?.ref;
    if (item.postback.payload === GET_STARTED) return ref ? { kind: 'referral', ref: ref.slice(0, 200) } : { kind: 'follow' };
    if (item.postback.payload) return { kind: 'payload', payload: item.postback.payload.slice(0, 1000), ...(item.postback.title ? { text: item.postback.title.slice(0, 200) } : {}) };
    return null;
  }
  if (item.referral?.ref) return { kind: 'referral', ref: item.referral.ref.slice(0, 200) };
  return null;
}

/** Turns every entry and every messaging item of a batched body into inbox events for our Page. */
export function parseMessengerWebhook(body: MessengerWebhook, pageId: string): { events: NewInboundEvent[]; ignored: number } {
  const events: NewInboundEvent[] = [];
  let ignored = 0;
  for (const entry of body.entry) {
    for (const item of entry.messaging ?? []) {
      const input = inputOf(item);
      const psid = item.sender.id;
      // Items addressed to another Page of the same app, and our own echoes, are not ours to answer.
      if (!input || item.recipient.id !== pageId || psid === pageId) {
        ignored++;
        continue;
      }
      const payload: InboundPayload = { userId: psid, input, ...(item.timestamp ? { at: new Date(item.timestamp).toISOString() } : {}) };
      events.push({
        channel: 'messenger',
        accountId: pageId,
        dedupeKey: item.message?.mid ?? item.postback?.mid ?? contentKey(`${psid}`, item),
        laneKey: laneKeyOf('messenger', pageId, psid),
        payload,
      });
    }
  }
  return { events, ignored };
}
