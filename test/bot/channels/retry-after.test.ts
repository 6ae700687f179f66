import { describe, expect, it } from 'vitest';
import { classifyMessengerAnswer } from '../../../src/bot/channels/messenger/messenger-errors.js';
import { retryAfterMs } from '../../../src/bot/channels/retry-after.js';
import { classifyZaloAnswer } from '../../../src/bot/channels/zalo/zalo-errors.js';

describe('Retry-After', () => {
  const now = Date.parse('2026-12-01T10:00:00Z');

  it('reads delay-seconds and HTTP dates, caps them at an hour, and ignores what it cannot read', () => {
    expect(retryAfterMs('3', now)).toBe(3_000);
    expect(retryAfterMs('Tue, 01 Dec 2026 10:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('Tue, 01 Dec 2026 09:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('86400', now)).toBe(3_600_000);
    expect([retryAfterMs(null, now), retryAfterMs('soon', now), retryAfterMs('-5', now), retryAfterMs('', now)]).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('makes a 429 wait as long as the platform asked, on both channels', () => {
    expect(classifyMessengerAnswer({ httpStatus: 429, body: 'slow down', retryAfterMs: 3_000 })).toMatchObject({ ok: false, outcome: 'rate_limited', retryAfterMs: 3_000 });
    expect(classifyZaloAnswer({ httpStatus: 429, body: 'slow down', retryAfterMs: 3_000 })).toMatchObject({ ok: false, outcome: 'rate_limited', retryAfterMs: 3_000 });
    expect(classifyMessengerAnswer({ httpStatus: 429, body: 'slow down' })).not.toHaveProperty('retryAfterMs');
  });
});
