import type { MessengerSettings } from '../../../config.js';
import type { RateLimiter } from '../../rate-limiter.js';
import type { Channel } from '../channel.js';
import { replyWindow } from '../policy.js';
import type { MessengerApi } from './messenger-api.js';
import { classifyMessengerAnswer } from './messenger-errors.js';
import { renderForMessenger } from './messenger-render.js';

const WINDOW_MS = 24 * 3600_000;
// Long reads and images take a moment to arrive: show the typing indicator first.
const SLOW_TEXT_CHARS = 300;

/**
 * Messenger sending: only inside the 24-hour window since the person's last message (HUMAN_AGENT replies come with
 * the console); rate slots per Page shared by every replica; `typing_on` before slow replies.
 */
export function createMessengerChannel(deps: { settings: MessengerSettings; api: MessengerApi; limiter: RateLimiter }): Channel {
  const rateKey = `messenger:page:${deps.settings.pageId}`;
  return {
    id: 'messenger',
    policy: (d, now) => replyWindow(d.lastInteractionAt, now, WINDOW_MS, 'Messenger 24-hour window closed'),
    async send(d) {
      const parts = renderForMessenger(d.message);
      const slow = d.message.type === 'image' || (d.message.type === 'text' && d.message.text.length > SLOW_TEXT_CHARS);
      const slots = await deps.limiter.acquire(rateKey, deps.settings.ratePerSecond, parts.length + (slow ? 1 : 0), { bulk: d.kind === 'bulk' });
      if (!slots.ok) return { ok: false, outcome: 'rate_limited', detail: 'local rate limit (all replicas)', retryAfterMs: slots.retryAfterMs, throttled: true };
      if (slow) await deps.api.senderAction(d.recipient, 'typing_on');
      let first: string | undefined;
      for (const part of parts) {
        const outcome = classifyMessengerAnswer(await deps.api.sendMessage(d.recipient, part));
        if (!outcome.ok) return outcome;
        first ??= outcome.platformMessageId;
      }
      return { ok: true, outcome: 'sent', ...(first ? { platformMessageId: first } : {}) };
    },
  };
}
