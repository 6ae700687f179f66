import { retryAfterMs } from '../retry-after.js';
import type { MessengerMessage } from './messenger-render.js';

/** A raw Graph API answer (with the wait a `Retry-After` header asked for), or the transport failure that prevented one. */
export type GraphAnswer = { httpStatus: number; body: unknown; retryAfterMs?: number } | { networkError: string };

/** A thin typed client of the Messenger Send and Profile APIs over fetch (base URL and version are settings). */
export class MessengerApi {
  constructor(private readonly opts: { graphBaseUrl: string; graphVersion: string; pageAccessToken: string; timeoutMs?: number }) {}

  /** Sends one message to a PSID as a reply within the 24-hour window. */
  sendMessage(psid: string, message: MessengerMessage): Promise<GraphAnswer> {
    return this.post('me/messages', { recipient: { id: psid }, messaging_type: 'RESPONSE', message });
  }

  /** Shows the typing indicator (`typing_on`) or marks the thread seen. */
  senderAction(psid: string, action: 'typing_on' | 'mark_seen'): Promise<GraphAnswer> {
    return this.post('me/messages', { recipient: { id: psid }, sender_action: action });
  }

  /** Sets Messenger Profile fields (Get Started, greeting, persistent menu). */
  setProfile(profile: Record<string, unknown>): Promise<GraphAnswer> {
    return this.post('me/messenger_profile', profile);
  }

  private async post(path: string, body: unknown): Promise<GraphAnswer> {
    const url = `${this.opts.graphBaseUrl}/${this.opts.graphVersion}/${path}?access_token=${encodeURIComponent(this.opts.pageAccessToken)}`;
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 10_000),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // Not JSON: classified by its HTTP status.
      }
      const wait = retryAfterMs(res.headers.get('retry-after'));
      return { httpStatus: res.status, body: parsed, ...(wait !== undefined ? { retryAfterMs: wait } : {}) };
    } catch (err) {
      return { networkError: err instanceof Error ? err.name : 'unknown' };
    }
  }
}
