// Messenger webhook bodies for the benchmark: one messaging item per body, shaped like Meta's documented sample.
import { createHmac } from 'node:crypto';

/** What one messaging item says: a typed text, or a button press (postback). */
export type BenchInput = { text: string } | { payload: string; title: string };

/** A Messenger webhook body with one item from `psid` to `pageId`, carrying the message id `mid`. */
export function messengerBody(pageId: string, psid: string, mid: string, input: BenchInput, now = Date.now()): string {
  const item =
    'text' in input
      ? { sender: { id: psid }, recipient: { id: pageId }, timestamp: now, message: { mid, text: input.text } }
      : { sender: { id: psid }, recipient: { id: pageId }, timestamp: now, postback: { mid, title: input.title, payload: input.payload } };
  return JSON.stringify({ object: 'page', entry: [{ id: pageId, time: now, messaging: [item] }] });
}

/** `X-Hub-Signature-256` as Meta computes it. */
export function signature(body: string | Buffer, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}
