import type { ZaloSettings } from '../../../config.js';
import type { RateLimiter } from '../../rate-limiter.js';
import type { Channel, OutboundDelivery, SendOutcome } from '../channel.js';
import { inQuietHours, quietHoursEnd, replyWindow } from '../policy.js';
import type { ZaloApi } from './zalo-api.js';
import { classifyZaloAnswer } from './zalo-errors.js';
import { renderForGroup, renderForUser, type ZaloMessage } from './zalo-render.js';
import type { ZaloTokens } from './zalo-tokens.js';

/** Recipients of GMF group deliveries are written `group:<group_id>`. */
export const GROUP_PREFIX = 'group:';
const WINDOW_MS = 7 * 24 * 3600_000;

/**
 * Zalo OA sending. Policy: no OA message during quiet hours (deferred to their end, never dropped); user messages
 * only within 7 days of the person's last interaction (GMF groups have no window). Send: render, take rate-limit
 * slots shared by all replicas, send each part, and retry once with a fresh token after −216/−220.
 */
export function createZaloChannel(deps: { settings: ZaloSettings; api: ZaloApi; tokens: ZaloTokens; limiter: RateLimiter }): Channel {
  const { settings } = deps;
  const rateKey = `zalo:app:${settings.appId}`;
  const perSecond = Math.max(1, Math.floor(settings.ratePerMinute / 60));

  async function sendPart(d: OutboundDelivery, message: ZaloMessage, token: string): Promise<{ outcome: SendOutcome; token: string }> {
    const isGroup = d.recipient.startsWith(GROUP_PREFIX);
    const call = (t: string) =>
      isGroup ? deps.api.sendToGroup(t, d.recipient.slice(GROUP_PREFIX.length), message) : deps.api.sendToUser(t, d.recipient, message);
    const outcome = classifyZaloAnswer(await call(token));
    if (outcome.ok || outcome.outcome !== 'token_expired') return { outcome, token };
    const fresh = await deps.tokens.afterRejection(token);
    if (!fresh) return { outcome, token };
    return { outcome: classifyZaloAnswer(await call(fresh)), token: fresh };
  }

  return {
    id: 'zalo',
    policy(d, now) {
      if (inQuietHours(now, settings.quietHours)) {
        return { kind: 'defer', outcome: 'quiet_hours', until: quietHoursEnd(now, settings.quietHours), reason: `Zalo quiet hours ${settings.quietHours.start}:00–${settings.quietHours.end}:00` };
      }
      if (d.recipient.startsWith(GROUP_PREFIX)) return { kind: 'send' };
      return replyWindow(d.lastInteractionAt, now, WINDOW_MS, 'Zalo 7-day interaction window closed');
    },
    async send(d) {
      const parts = d.recipient.startsWith(GROUP_PREFIX) ? renderForGroup(d.message) : renderForUser(d.message);
      const slots = await deps.limiter.acquire(rateKey, perSecond, parts.length, { bulk: d.kind === 'bulk' });
      if (!slots.ok) return { ok: false, outcome: 'rate_limited', detail: 'local rate limit (all replicas)', retryAfterMs: slots.retryAfterMs, throttled: true };
      let token = await deps.tokens.current();
      if (!token) return { ok: false, outcome: 'token_expired', detail: 'no valid Zalo access token', retryAfterMs: 5 * 60_000 };
      let first: string | undefined;
      for (const part of parts) {
        const r = await sendPart(d, part, token);
        token = r.token;
        if (!r.outcome.ok) return r.outcome;
        first ??= r.outcome.platformMessageId;
      }
      return { ok: true, outcome: 'sent', ...(first ? { platformMessageId: first } : {}) };
    },
  };
}
