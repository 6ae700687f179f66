import { hash } from '@node-rs/argon2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS, sourceOf } from '../../../src/services/limits/attempt-limits.js';
import type { LookUpTipResult } from '../../../src/services/tips/look-up-tip.js';
import type { Tips } from '../../../src/services/tips/tips.js';
import { inTransaction } from '../../../src/store/repos.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.js';
import { testTips } from '../../helpers/tips.js';

// Follow-up credentials against guessing and lock-out (README "Anonymous tips"). The clock is a parameter of the tip
// service, so these tests move time instead of waiting.

let db: TestDatabase;
let tips: Tips;
beforeAll(async () => {
  db = await createTestDatabase();
  tips = testTips(db.prisma);
});
afterAll(async () => {
  await db?.drop();
});

const MINUTE = 60_000;
const at = (base: Date, minutes: number) => new Date(base.getTime() + minutes * MINUTE);
const draft = { category: 'theft' as const, description: 'Mất xe đạp ở nhà xe', place: null, schoolId: null, urgent: false };

async function newTip(now: Date, submitter: string): Promise<{ code: string; pin: string }> {
  const out = await inTransaction(db.prisma, (repos) => tips.submit(repos, draft, { submitter, route: null }, now));
  if (!out.ok) throw new Error('not stored');
  return { code: out.code, pin: out.pin };
}
const lookup = (code: string, pin: string, source: string, now: Date): Promise<LookUpTipResult> =>
  inTransaction(db.prisma, (repos) => tips.lookUp(repos, code, pin, { source }, now));
const wrongOf = (pin: string) => (pin.replace(/ /g, '') === '0000000000' ? '0000000001' : '0000000000');

describe('tip follow-up limits', () => {
  it('gives new tips a 10-digit PIN, shown grouped, and accepts it typed with or without the spaces', async () => {
    const t0 = new Date(Date.UTC(2030, 0, 7, 8, 0));
    const { code, pin } = await newTip(t0, 'pin-format');
    expect(pin).toMatch(/^\d{4} \d{3} \d{3}$/);
    expect((await lookup(code, pin, 'chat:a', t0)).ok).toBe(true);
    expect((await lookup(code.toLowerCase(), pin.replace(/ /g, ''), 'chat:b', t0)).ok).toBe(true);
    expect((await lookup(code, pin.replace(/ /g, '.'), 'chat:c', t0)).ok).toBe(true);
  });

  it('never makes the right PIN wait more than an hour, however long one source keeps guessing', async () => {
    const t0 = new Date(Date.UTC(2030, 0, 1, 10, 5));
    const { code, pin } = await newTip(t0, 'long-guessing');
    let now = t0;
    let wrong = 0;
    let longestWait = 0;
    for (let i = 0; i < 80; i++) {
      const r = await lookup(code, wrongOf(pin), 'web:ip:203.0.113.7', now);
      if (r.ok) throw new Error('a wrong PIN got in');
      if (r.reason === 'locked') {
        longestWait = Math.max(longestWait, r.retryAfterMinutes);
        now = at(now, r.retryAfterMinutes);
      } else {
        wrong += 1;
      }
    }
    expect(longestWait).toBeGreaterThan(30);
    expect(longestWait).toBeLessThanOrEqual(60);
    // Guessing slowed right down: 3 at once, then 1, 2, 4 … minutes apart, then one an hour.
    const hours = (now.getTime() - t0.getTime()) / 3600_000;
    expect(wrong).toBeLessThan(hours + 10);
    // The right PIN from the same source comes in after at most one more wait of at most an hour.
    let r = await lookup(code, pin, 'web:ip:203.0.113.7', now);
    if (!r.ok && r.reason === 'locked') {
      expect(r.retryAfterMinutes).toBeLessThanOrEqual(60);
      r = await lookup(code, pin, 'web:ip:203.0.113.7', at(now, r.retryAfterMinutes));
    }
    expect(r.ok).toBe(true);
    // Another source was never kept out at all.
    expect((await lookup(code, pin, 'chat:owner', now)).ok).toBe(true);
  });

  it('allows every source together 30 wrong PINs per code per clock hour; the block ends with the hour', async () => {
    const t0 = new Date(Date.UTC(2030, 0, 2, 14, 20));
    const { code, pin } = await newTip(t0, 'many-sources');
    const answers: LookUpTipResult[] = [];
    for (let i = 0; i < LIMITS.lookup.perCode.limit + 1; i++) answers.push(await lookup(code, wrongOf(pin), `chat:bot-${i}`, t0));
    expect(answers.slice(0, -1).every((a) => !a.ok && a.reason === 'wrong')).toBe(true);
    expect(answers.at(-1)).toEqual({ ok: false, reason: 'locked', retryAfterMinutes: 40 });
    // While the code's hour is spent, even the right PIN waits (at most until the hour ends) …
    expect(await lookup(code, pin, 'chat:owner', at(t0, 10))).toEqual({ ok: false, reason: 'locked', retryAfterMinutes: 30 });
    // … and gets in as soon as it has ended.
    expect((await lookup(code, pin, 'chat:owner', at(t0, 40))).ok).toBe(true);
  });

  it('answers an unknown code like a wrong PIN, under the same limits', async () => {
    const t0 = new Date(Date.UTC(2030, 0, 3, 9, 0));
    const answers: LookUpTipResult[] = [];
    for (let i = 0; i < 4; i++) answers.push(await lookup('TB-2345-6789', '1234567890', 'chat:prober', t0));
    expect(answers.map((a) => (a.ok ? 'ok' : a.reason))).toEqual(['wrong', 'wrong', 'wrong', 'locked']);
  });

  it('keeps 6-digit PINs of older tips working, under a tighter per-code limit', async () => {
    const t0 = new Date(Date.UTC(2030, 0, 4, 16, 0));
    await db.prisma.tip.create({ data: { publicCode: 'TB-KQWE-RT45', pinHash: await hash('482173'), pinLength: 6, category: 'drugs', descriptionCipher: 'v1.a.b.c' } });
    expect((await lookup('TB-KQWE-RT45', '482 173', 'chat:old-owner', t0)).ok).toBe(true);
    const answers: LookUpTipResult[] = [];
    for (let i = 0; i <= LIMITS.lookup.perCode.legacyLimit; i++) answers.push(await lookup('TB-KQWE-RT45', '000000', `chat:g-${i}`, t0));
    expect(answers.at(-1)).toMatchObject({ ok: false, reason: 'locked' });
    expect((await lookup('TB-KQWE-RT45', '482173', 'chat:old-owner', at(t0, 60))).ok).toBe(true);
  });

  it('limits lookups per source to ten an hour, right or wrong', async () => {
    const t0 = new Date(Date.UTC(2030, 0, 5, 11, 45));
    const { code, pin } = await newTip(t0, 'per-source');
    for (let i = 0; i < LIMITS.lookup.perSource.limit; i++) expect((await lookup(code, pin, 'web:ip:198.51.100.9', t0)).ok).toBe(true);
    expect(await lookup(code, pin, 'web:ip:198.51.100.9', t0)).toEqual({ ok: false, reason: 'locked', retryAfterMinutes: 15 });
    expect((await lookup(code, pin, 'web:ip:198.51.100.9', at(t0, 15))).ok).toBe(true);
  });

  it('keeps the chance that a known code’s PIN is guessed in a year under 0.1 % at the allowed rate', () => {
    // The per-code limit bounds every source together; the backoff and per-source limits only make it slower.
    const perYear = LIMITS.lookup.perCode.limit * 24 * 365;
    expect(perYear).toBe(262_800);
    expect(perYear / 10 ** 10).toBeLessThan(0.001);
  });

  it('counts an IPv6 client by its /64 and an IPv4-mapped address as IPv4', () => {
    expect(sourceOf('2001:db8:1:2:aaaa::1')).toBe(sourceOf('2001:0db8:0001:0002:ffff:1:2:3'));
    expect(sourceOf('2001:db8:1:2::1')).not.toBe(sourceOf('2001:db8:1:3::1'));
    expect(sourceOf('::ffff:192.0.2.1')).toBe(sourceOf('192.0.2.1'));
  });
});
