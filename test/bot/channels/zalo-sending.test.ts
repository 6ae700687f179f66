import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OutboundDelivery } from '../../../src/bot/channels/channel.js';
import { inQuietHours, quietHoursEnd } from '../../../src/bot/channels/policy.js';
import { ZaloApi } from '../../../src/bot/channels/zalo/zalo-api.js';
import { createZaloChannel } from '../../../src/bot/channels/zalo/zalo-channel.js';
import { renderForUser } from '../../../src/bot/channels/zalo/zalo-render.js';
import { ZaloTokens, ZALO_TOKEN_ALERT } from '../../../src/bot/channels/zalo/zalo-tokens.js';
import { resultOf } from '../../../src/bot/dispatcher.js';
import { RateLimiter } from '../../../src/bot/rate-limiter.js';
import { loadConfig, type ZaloSettings } from '../../../src/config.js';
import type { OutMessage } from '../../../src/content/messages.schema.js';
import { createRepos } from '../../../src/store/repos.js';
import { startZaloDouble, type ZaloDouble } from '../../doubles/zalo-double.js';
import { LogCapture } from '../../helpers/app.js';
import { zaloEnv } from '../../helpers/channels.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.js';

let zalo: ZaloDouble;
let db: TestDatabase;
let logs: LogCapture;
beforeAll(async () => {
  zalo = await startZaloDouble();
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
  await zalo?.close();
});
beforeEach(async () => {
  zalo.reset();
  await db.prisma.platformToken.deleteMany();
  await db.prisma.systemAlert.deleteMany();
  await db.prisma.rateWindow.deleteMany();
});

function settings(extra: Record<string, string> = {}): ZaloSettings {
  return loadConfig({ ...zaloEnv(zalo), ZALO_ACCESS_TOKEN: zalo.accessToken, ZALO_REFRESH_TOKEN: zalo.refreshToken, APP_SECRET: 'x'.repeat(40), DATA_DIR: '/tmp/zalo-send', ...extra }).channels.zalo!;
}

async function setup(extra: Record<string, string> = {}) {
  const s = settings(extra);
  const repos = createRepos(db.prisma);
  logs = new LogCapture();
  const api = new ZaloApi(s);
  const tokens = new ZaloTokens({ settings: s, repo: repos.tokens, alerts: repos.alerts, api, log: pino({ level: 'info' }, logs) });
  await tokens.init();
  return { channel: createZaloChannel({ settings: s, api, tokens, limiter: new RateLimiter(repos.rateWindows) }), tokens, repos, settings: s, api };
}

let nextId = 1n;
function delivery(message: OutMessage, extra: Partial<OutboundDelivery> = {}): OutboundDelivery {
  return { id: nextId++, accountId: '579745863508352884', recipient: '2468123456789012345', message, attempts: 1, lastInteractionAt: new Date(), kind: 'reply', ...extra };
}

describe('Zalo rendering', () => {
  it('splits long text at 2000 characters on word boundaries, normalised to NFC', () => {
    const sentence = 'Quý phụ huynh nhắc con đội mũ bảo hiểm cài quai đúng cách khi ngồi sau xe máy. ';
    const parts = renderForUser({ type: 'text', text: sentence.normalize('NFD').repeat(60) });
    expect(parts.length).toBe(3);
    for (const p of parts) {
      const t = p.text as string;
      expect([...t].length).toBeLessThanOrEqual(2000);
      expect(t).toBe(t.normalize('NFC'));
      expect(t.endsWith('.')).toBe(true);
    }
  });

  it('renders buttons as the prompt then list templates of at most 5 query buttons with # payloads', () => {
    const buttons = Array.from({ length: 7 }, (_, i) => ({ title: `Lựa chọn ${i + 1}`, payload: `P:${i + 1}` }));
    const parts = renderForUser({ type: 'buttons', text: 'Chọn:', buttons });
    expect(parts[0]).toEqual({ text: 'Chọn:' });
    const lists = parts.slice(1).map((p: any) => p.attachment.payload);
    expect(lists.map((l) => [l.template_type, l.elements.length])).toEqual([['list', 5], ['list', 2]]);
    expect(lists[0].elements[0].default_action).toEqual({ type: 'oa.query.hide', payload: '#P:1' });
  });
});

describe('Zalo sending against the OA API double', () => {
  it('sends text with the access_token header to v3.0/oa/message/cs and records the message id', async () => {
    const { channel } = await setup();
    const outcome = await channel.send(delivery({ type: 'text', text: 'Xin chào [@all] phụ huynh' }));
    expect(outcome).toMatchObject({ ok: true, platformMessageId: zalo.sent()[0]!.messageId });
    const req = zalo.requests.find((r) => r.path === '/v3.0/oa/message/cs')!;
    expect(req.headers['access_token']).toBe(zalo.accessToken);
    expect((req.body as any).recipient).toEqual({ user_id: '2468123456789012345' });
    // Mention syntax in relayed text is defused.
    expect((req.body as any).message.text).toBe('Xin chào [\u200B@all] phụ huynh');
  });

  it('sends link buttons as oa.open.url', async () => {
    const { channel } = await setup();
    await channel.send(delivery({ type: 'link', url: 'https://thuvienphapluat.vn/x', title: 'Luật 36/2024/QH15' }));
    expect((zalo.sent()[0]!.message as any).attachment.payload.buttons[0]).toEqual({ title: 'Luật 36/2024/QH15', type: 'oa.open.url', payload: { url: 'https://thuvienphapluat.vn/x' } });
  });

  it('sends to an OA group through v3.0/oa/group/message with buttons as a numbered list', async () => {
    const { channel } = await setup();
    const outcome = await channel.send(delivery({ type: 'buttons', text: 'Họp phụ huynh thứ Bảy:', buttons: [{ title: 'Tham dự', payload: 'A' }, { title: 'Vắng', payload: 'B' }] }, { recipient: 'group:g-6a1', lastInteractionAt: null }));
    expect(outcome.ok).toBe(true);
    const sent = zalo.sent()[0]!;
    expect([sent.kind, sent.to]).toEqual(['group', 'g-6a1']);
    expect(sent.message).toEqual({ text: 'Họp phụ huynh thứ Bảy:\n1. Tham dự\n2. Vắng' });
  });

  it.each([
    [-32, 'rate_limited', 'pending'],
    [-201, 'invalid', 'failed'],
    [-213, 'user_unavailable', 'failed'],
    [-227, 'user_unavailable', 'failed'],
    [-230, 'window_closed', 'skipped'],
    [-232, 'window_closed', 'skipped'],
    [-234, 'quiet_hours', 'pending'],
    [-244, 'user_unavailable', 'failed'],
    [-403, 'invalid', 'failed'],
  ])('classifies error %i as %s and records the delivery as %s with the code', async (code, outcome, status) => {
    const { channel } = await setup();
    zalo.failNext(code);
    const result = await channel.send(delivery({ type: 'text', text: 'x' }));
    expect(result).toMatchObject({ ok: false, outcome, platformCode: String(code) });
    expect(resultOf(result, 1, new Date())).toMatchObject({ status, platformCode: String(code) });
  });

  it('treats an HTTP 5xx as transient and retries later with backoff', async () => {
    const { channel } = await setup();
    zalo.httpStatusNext(503);
    const result = await channel.send(delivery({ type: 'text', text: 'x' }));
    expect(result).toMatchObject({ ok: false, outcome: 'transient' });
    const now = new Date();
    const recorded = resultOf(result, 3, now);
    expect(recorded.status).toBe('pending');
    const wait = (recorded as { retryAt: Date }).retryAt.getTime() - now.getTime();
    expect(wait).toBeGreaterThanOrEqual(4_000);
    expect(wait).toBeLessThanOrEqual(8_000);
    expect(resultOf(result, 8, now).status).toBe('failed');
  });
});

describe('Zalo policy', () => {
  it('skips a user whose last interaction is older than 7 days, with the reason, without calling Zalo', async () => {
    const { channel } = await setup();
    const d = delivery({ type: 'text', text: 'x' }, { lastInteractionAt: new Date(Date.now() - 8 * 24 * 3600_000) });
    const decision = channel.policy(d, new Date());
    expect(decision).toMatchObject({ kind: 'skip', reason: expect.stringContaining('7-day') });
  });

  it.each([
    ['2026-11-22T15:00:00Z', true, '2026-11-22T23:00:00Z'], // 22:00 in Hà Nội → 06:00 next morning
    ['2026-11-22T22:59:00Z', true, '2026-11-22T23:00:00Z'], // 05:59 → 06:00 the same morning
    ['2026-11-22T23:00:00Z', false, null], // 06:00
    ['2026-11-22T14:59:00Z', false, null], // 21:59
  ])('at %s (UTC) quiet=%s, deferred to %s', async (at, quiet, until) => {
    const { channel } = await setup({ ZALO_QUIET_HOURS: '22-6' });
    const now = new Date(at);
    expect(inQuietHours(now, { start: 22, end: 6 })).toBe(quiet);
    const decision = channel.policy(delivery({ type: 'text', text: 'x' }), now);
    if (quiet) {
      expect(decision).toMatchObject({ kind: 'defer' });
      expect((decision as { until: Date }).until.toISOString()).toBe(new Date(until!).toISOString());
      expect(quietHoursEnd(now, { end: 6 }).toISOString()).toBe(new Date(until!).toISOString());
    } else {
      expect(decision).toEqual({ kind: 'send' });
    }
  });
});

describe('Zalo tokens', () => {
  it('refreshes after −220, stores the new pair, and retries the send once', async () => {
    const { channel, repos } = await setup();
    const before = zalo.refreshCount;
    zalo.expireAccessToken();
    const outcome = await channel.send(delivery({ type: 'text', text: 'x' }));
    expect(outcome.ok).toBe(true);
    expect(zalo.refreshCount - before).toBe(1);
    const stored = await repos.tokens.get('zalo:579745863508352884');
    expect([stored?.accessToken, stored?.refreshToken]).toEqual([zalo.accessToken, zalo.refreshToken]);
  });

  it('refreshes before expiry, without waiting for a rejection', async () => {
    const { tokens, repos } = await setup();
    await db.prisma.platformToken.update({ where: { id: tokens.id }, data: { expiresAt: new Date(Date.now() + 10 * 60_000) } });
    const before = zalo.refreshCount;
    const token = await tokens.current();
    expect(zalo.refreshCount - before).toBe(1);
    expect(token).toBe(zalo.accessToken);
    expect((await repos.tokens.get(tokens.id))!.expiresAt.getTime()).toBeGreaterThan(Date.now() + 24 * 3600_000);
  });

  it('lets only one of two replicas refresh when both see the token rejected at once', async () => {
    const a = await setup();
    const s = a.settings;
    const repos = createRepos(db.url ? (await db.openAnother()).prisma : db.prisma);
    const b = new ZaloTokens({ settings: s, repo: repos.tokens, alerts: repos.alerts, api: new ZaloApi(s), log: pino({ level: 'silent' }) });
    const old = zalo.accessToken;
    const [attempts, count] = [zalo.refreshAttempts, zalo.refreshCount];
    zalo.expireAccessToken();
    zalo.refreshDelayMs = 300;
    const [ta, tb] = await Promise.all([a.tokens.afterRejection(old), b.afterRejection(old)]);
    zalo.refreshDelayMs = 0;
    // One call to the OAuth endpoint: the other replica waited for the stored pair instead of spending the token.
    expect([zalo.refreshAttempts - attempts, zalo.refreshCount - count]).toEqual([1, 1]);
    expect([ta, tb]).toEqual([zalo.accessToken, zalo.accessToken]);
  });

  it('raises a console alert and a loud log when the refresh fails, and clears it after a good refresh', async () => {
    const { tokens, repos } = await setup();
    zalo.failRefresh(1, 'invalid');
    const rejected = (await repos.tokens.get(tokens.id))!.accessToken;
    expect(await tokens.afterRejection(rejected)).toBeNull();
    expect((await repos.alerts.open()).map((x) => x.kind)).toEqual([ZALO_TOKEN_ALERT]);
    expect(logs.lines.join('\n')).toContain('ZALO TOKEN REFRESH FAILED');
    const stored = await repos.tokens.get(tokens.id);
    expect(await tokens.afterRejection(stored!.accessToken)).toBe(zalo.accessToken);
    expect(await repos.alerts.open()).toEqual([]);
  });

  it('takes new tokens from configuration but keeps rotated ones across restarts', async () => {
    const first = await setup();
    await first.tokens.afterRejection((await first.repos.tokens.get(first.tokens.id))!.accessToken);
    const rotated = zalo.accessToken;
    // A restart with the same configuration keeps the rotated pair.
    await first.tokens.init();
    expect((await first.repos.tokens.get(first.tokens.id))!.accessToken).toBe(rotated);
  });
});

describe('rate limits shared by replicas', () => {
  it('grants no more slots per second than the limit, across two limiter instances', async () => {
    const other = db.url ? await db.openAnother() : db;
    const a = new RateLimiter(createRepos(db.prisma).rateWindows);
    const b = new RateLimiter(createRepos(other.prisma).rateWindows);
    const now = Math.floor(Date.now() / 1000) * 1000 + 10;
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? a : b).acquire('zalo:app:test', 5, 1, { now })));
    expect(results.filter((r) => r.ok)).toHaveLength(5);
    const denied = results.find((r) => !r.ok) as { retryAfterMs: number };
    expect(denied.retryAfterMs).toBeGreaterThan(0);
    expect(denied.retryAfterMs).toBeLessThanOrEqual(1200);
  });

  it('holds Zalo sends back locally, before calling the platform, once the per-app budget is spent', async () => {
    const { channel } = await setup({ ZALO_RATE_PER_MINUTE: '120' }); // 2 per second
    const outcomes = [];
    for (let i = 0; i < 5; i++) outcomes.push(await channel.send(delivery({ type: 'text', text: `m${i}` })));
    const sent = outcomes.filter((o) => o.ok).length;
    expect(sent).toBeGreaterThanOrEqual(2);
    expect(sent).toBeLessThanOrEqual(4); // at most two windows can be touched by this loop
    expect(zalo.sent()).toHaveLength(sent);
    const held = outcomes.find((o) => !o.ok);
    expect(held).toMatchObject({ outcome: 'rate_limited', throttled: true });
    expect(resultOf(held!, 1, new Date())).toMatchObject({ status: 'pending', refundAttempt: true });
  });
});
