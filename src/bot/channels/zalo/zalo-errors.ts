import type { SendOutcome } from '../channel.js';

/** Zalo error codes (HTTP 200 with `error != 0`, shared/PLATFORMS.md) and what each means for a delivery. */
const CODES: Record<number, { outcome: Exclude<SendOutcome, { ok: true }>['outcome']; detail: string }> = {
  [-32]: { outcome: 'rate_limited', detail: 'rate limit exceeded' },
  [-201]: { outcome: 'invalid', detail: 'invalid parameter' },
  [-213]: { outcome: 'user_unavailable', detail: 'user is not a follower of the OA' },
  [-216]: { outcome: 'token_expired', detail: 'access token invalid' },
  [-220]: { outcome: 'token_expired', detail: 'access token expired' },
  [-227]: { outcome: 'user_unavailable', detail: 'user banned or inactive for over 45 days' },
  [-230]: { outcome: 'window_closed', detail: 'no interaction from the user in the past 7 days' },
  [-232]: { outcome: 'window_closed', detail: 'interaction expired' },
  [-234]: { outcome: 'quiet_hours', detail: 'OA messages are not allowed between 22:00 and 06:00' },
  [-237]: { outcome: 'invalid', detail: 'group messaging (GMF) is disabled' },
  [-244]: { outcome: 'user_unavailable', detail: 'user restricted this type of message' },
  [-403]: { outcome: 'invalid', detail: 'OA is not a member of this group' },
};

/** Classifies a Zalo API answer (or a transport failure) into one send outcome. */
export function classifyZaloAnswer(answer: { httpStatus: number; body: unknown; retryAfterMs?: number } | { networkError: string }): SendOutcome {
  if ('networkError' in answer) return { ok: false, outcome: 'transient', detail: `network: ${answer.networkError}` };
  if (answer.httpStatus === 429) return { ok: false, outcome: 'rate_limited', detail: 'HTTP 429', platformCode: 'http_429', ...(answer.retryAfterMs !== undefined ? { retryAfterMs: answer.retryAfterMs } : {}) };
  if (answer.httpStatus >= 500) return { ok: false, outcome: 'transient', detail: `HTTP ${answer.httpStatus}`, platformCode: `http_${answer.httpStatus}` };
  const body = (answer.body ?? {}) as { error?: unknown; message?: unknown; data?: { message_id?: unknown } };
  const code = typeof body.error === 'number' ? body.error : Number(body.error);
  if (answer.httpStatus === 200 && code === 0) {
    const id = body.data?.message_id;
    return { ok: true, outcome: 'sent', ...(id !== undefined ? { platformMessageId: String(id) } : {}) };
  }
  if (!Number.isFinite(code)) return { ok: false, outcome: 'transient', detail: `unexpected answer (HTTP ${answer.httpStatus})` };
  const known = CODES[code];
  const message = typeof body.message === 'string' ? body.message.slice(0, 200) : '';
  if (known) return { ok: false, outcome: known.outcome, detail: message || known.detail, platformCode: String(code) };
  // Unknown codes are retried a bounded number of times rather than dropped.
  return { ok: false, outcome: 'transient', detail: message || 'unknown Zalo error', platformCode: String(code) };
}
