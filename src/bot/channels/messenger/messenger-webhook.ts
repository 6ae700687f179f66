import { createHmac } from 'node:crypto';
import type { InboundPayload, UserInput } from '../../../flows/index.js';
import type { NewInboundEvent } from '../../../store/inbox.repo.js';
import { laneKeyOf } from '../../log-keys.js';
import { contentKey, isMessageId, isPlatformId, platformTime, safeEqual, zodReason } from '../webhook-http.js';
import { MessagingItemSchema, MessengerEntrySchema, type MessagingItem, type MessengerWebhook } from './messenger-webhook.schema.js';

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
    if (m.quick_reply) return { kind: 'payload', payload: m.quick_reply.payload.slice(0, 1000), ...(m.text ? { text: m.text.slice(0, 200) } : {}) };
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

/** The inbox events of a batched body, how many items were not for us, and why the unusable ones were dropped. */
export interface ParsedMessengerBatch {
  events: NewInboundEvent[];
  ignored: number;
  /** One reason per dropped entry or item, naming fields by path only (no content, no ids). */
  dropped: string[];
}

/**
 * Turns every entry and every messaging item of a batched body into inbox events for our Page, item by item: an
 * entry or item that is malformed, or carries an id no platform sends, is dropped with a reason and the rest go on.
 */
export function parseMessengerWebhook(body: MessengerWebhook, pageId: string, now: Date = new Date()): ParsedMessengerBatch {
  const events: NewInboundEvent[] = [];
  const dropped: string[] = [];
  let ignored = 0;
  body.entry.forEach((rawEntry, e) => {
    const entry = MessengerEntrySchema.safeParse(rawEntry);
    if (!entry.success) return void dropped.push(`entry ${e}: ${zodReason(entry.error)}`);
    (entry.data.messaging ?? []).forEach((rawItem, i) => {
      const where = `entry ${e} item ${i}`;
      const parsed = MessagingItemSchema.safeParse(rawItem);
      if (!parsed.success) return void dropped.push(`${where}: ${zodReason(parsed.error)}`);
      const item = parsed.data;
      const input = inputOf(item);
      const psid = item.sender.id;
      // Items addressed to another Page of the same app, and our own echoes, are not ours to answer.
      if (!input || item.recipient.id !== pageId || psid === pageId) return void ignored++;
      if (!isPlatformId(psid)) return void dropped.push(`${where}: the sender id is not a page-scoped id`);
      const mid = item.message?.mid ?? item.postback?.mid;
      if (mid !== undefined && !isMessageId(mid)) return void dropped.push(`${where}: the message id is not usable`);
      const payload: InboundPayload = { userId: psid, input, ...(item.timestamp !== undefined ? { at: platformTime(item.timestamp, now).toISOString() } : {}) };
      events.push({
        channel: 'messenger',
        accountId: pageId,
        dedupeKey: mid ?? contentKey(`${psid}`, item),
        laneKey: laneKeyOf('messenger', pageId, psid),
        payload,
      });
    });
  });
  return { events, ignored, dropped };
}
