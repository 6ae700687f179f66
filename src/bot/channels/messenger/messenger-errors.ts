import type { SendOutcome } from '../channel.js';

/** Classifies a Graph API answer into one send outcome, by code, subcode and message (shared/PLATFORMS.md). */
export function classifyMessengerAnswer(answer: { httpStatus: number; body: unknown; retryAfterMs?: number } | { networkError: string }): SendOutcome {
  if ('networkError' in answer) return { ok: false, outcome: 'transient', detail: `network: ${answer.networkError}` };
  const body = (answer.body ?? {}) as { message_id?: unknown; error?: { code?: unknown; error_subcode?: unknown; message?: unknown } };
  if (answer.httpStatus >= 200 && answer.httpStatus < 300 && !body.error) {
    return { ok: true, outcome: 'sent', ...(typeof body.message_id === 'string' ? { platformMessageId: body.message_id } : {}) };
  }
  const code = Number(body.error?.code);
  const sub = Number(body.error?.error_subcode);
  const message = typeof body.error?.message === 'string' ? body.error.message.slice(0, 200) : `HTTP ${answer.httpStatus}`;
  const platformCode = Number.isFinite(code) ? `${code}${Number.isFinite(sub) ? `/${sub}` : ''}` : `http_${answer.httpStatus}`;
  const fail = (outcome: Exclude<SendOutcome, { ok: true }>['outcome']): SendOutcome => ({ ok: false, outcome, detail: message, platformCode });

  if (code === 4 || code === 32 || code === 613 || answer.httpStatus === 429) {
    return { ...fail('rate_limited'), ...(answer.retryAfterMs !== undefined ? { retryAfterMs: answer.retryAfterMs } : {}) };
  }
  if (code === 551) return fail('user_unavailable');
  if (code === 10 || sub === 2018278) return fail('window_closed');
  if (code === 190) return fail('token_expired');
  if (code === 100 && sub === 2018001) return fail('user_unavailable');
  // 1545041 "Message Not Sent" covers several causes; only the message tells them apart.
  if (code === 1545041) return fail(/not available|blocked|unavailable/i.test(message) ? 'user_unavailable' : 'transient');
  if (answer.httpStatus >= 500 || code === 1 || code === 2) return fail('transient');
  return fail('invalid');
}
