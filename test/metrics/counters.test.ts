import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Metrics } from '../../src/bot/metrics/metrics.js';
import { RateLimiter } from '../../src/bot/rate-limiter.js';
import { RateWindowRepo } from '../../src/store/rate-window.repo.js';
import { startZaloDouble, type ZaloDouble } from '../doubles/zalo-double.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { eventually, fixture, postWebhook, signZalo, zaloEnv } from '../helpers/channels.js';
import { hasSeries, parseScrape, valueOf, type Sample } from './scrape.js';

const USER = '2468123456789012345';
let zalo: ZaloDouble;
let app: TestApp;
beforeAll(async () => {
  zalo = await startZaloDouble();
  app = await startTestApp(zaloEnv(zalo));
});
afterAll(async () => {
  await app?.close();
  await zalo?.close();
});

const hook = () => `${app.url}/webhooks/zalo`;
const scrapeText = async () => {
  const res = await fetch(`${app.url}/metrics`);
  expect(res.status).toBe(200);
  return res.text();
};
const scrape = async (): Promise<Sample[]> => parseScrape(await scrapeText());

/** A Zalo text event from the fixture, with its own message id and text. */
function textEvent(msgId: string, text: string, user = USER): string {
  const e = JSON.parse(fixture('zalo/user-send-text.json'));
  e.app_id = zalo.appId;
  e.sender.id = user;
  Object.assign(e.message, { msg_id: msgId, text });
  return JSON.stringify(e);
}
const signed = (body: string) => ({ 'x-zevent-signature': signZalo(zalo.appId, body, String(JSON.parse(body).timestamp)) });

describe('webhook counters', () => {
  it('counts a webhook with a bad signature as received and rejected for bad_signature', async () => {
    const before = await scrape();
    const body = textEvent('metrics-bad-sig', 'xin chào');
    const res = await postWebhook(hook(), body, { 'x-zevent-signature': signZalo(zalo.appId, body, String(JSON.parse(body).timestamp), 'another-secret') });
    expect(res.status).toBe(401);
    const after = await scrape();
    const delta = (name: string, labels: Record<string, string>) => valueOf(after, name, labels) - valueOf(before, name, labels);
    expect(delta('bot_webhook_received_total', { channel: 'zalo' })).toBe(1);
    expect(delta('bot_webhook_rejected_total', { channel: 'zalo', reason: 'bad_signature' })).toBe(1);
    expect(delta('bot_webhook_rejected_total', { channel: 'zalo', reason: 'malformed' })).toBe(0);
    expect(delta('bot_webhook_ack_seconds_count', { channel: 'zalo' })).toBe(1);
  });

  it('counts a body that is not JSON as malformed and one over the limit as too_large', async () => {
    const before = await scrape();
    expect((await postWebhook(hook(), '{not json', { 'x-zevent-signature': 'mac=00' })).status).toBe(400);
    expect((await postWebhook(hook(), JSON.stringify({ pad: 'x'.repeat(1_100_000) }), { 'x-zevent-signature': 'mac=00' })).status).toBe(413);
    const after = await scrape();
    const delta = (reason: string) => valueOf(after, 'bot_webhook_rejected_total', { channel: 'zalo', reason }) - valueOf(before, 'bot_webhook_rejected_total', { channel: 'zalo', reason });
    expect([delta('malformed'), delta('too_large'), delta('bad_signature')]).toEqual([1, 1, 0]);
  });

  it('counts a stored event, then its retry as a duplicate', async () => {
    const before = await scrape();
    const body = textEvent('metrics-dup-1', 'xin chào');
    expect((await postWebhook(hook(), body, signed(body))).status).toBe(200);
    expect((await postWebhook(hook(), body, signed(body))).status).toBe(200);
    const after = await scrape();
    const delta = (result: string) => valueOf(after, 'bot_webhook_events_total', { channel: 'zalo', result }) - valueOf(before, 'bot_webhook_events_total', { channel: 'zalo', result });
    expect([delta('stored'), delta('duplicate')]).toEqual([1, 1]);
  });
});

describe('turn and delivery counters', () => {
  it('moves the turn latency histogram and counts the processed event and its sent replies', async () => {
    // A person of their own, so no reply of an earlier test is taken for theirs.
    const user = '2468123456789099001';
    const before = await scrape();
    const body = textEvent('metrics-turn-1', 'chào bot', user);
    expect((await postWebhook(hook(), body, signed(body))).status).toBe(200);
    await eventually(() => zalo.sent().some((m) => m.to === user), 'a reply at the Zalo double');
    // Once the outbox is empty again every reply's outcome is recorded, and each is counted before it is recorded.
    const after = await eventually(async () => {
      const s = await scrape();
      return valueOf(s, 'bot_queue_depth', { queue: 'outbox_reply' }) === 0 && s;
    }, 'the replies recorded');
    const delta = (name: string, labels: Record<string, string>) => valueOf(after, name, labels) - valueOf(before, name, labels);
    expect(delta('bot_deliveries_total', { channel: 'zalo', kind: 'reply', result: 'sent', reason: 'sent' })).toBeGreaterThanOrEqual(1);
    expect(delta('bot_events_processed_total', { channel: 'zalo', outcome: 'ok' })).toBeGreaterThanOrEqual(1);
    expect(delta('bot_turn_latency_seconds_count', { channel: 'zalo' })).toBeGreaterThanOrEqual(1);
    expect(delta('bot_turn_latency_seconds_sum', { channel: 'zalo' })).toBeGreaterThan(0);
    // Every event counted is in the +Inf bucket.
    expect(delta('bot_turn_latency_seconds_bucket', { channel: 'zalo', le: '+Inf' })).toBe(delta('bot_turn_latency_seconds_count', { channel: 'zalo' }));
  });

  it('counts a send the platform refused with its reason', async () => {
    zalo.failNext(-213);
    const before = await scrape();
    const body = textEvent('metrics-turn-2', 'chào lần nữa', '2468123456789099002');
    expect((await postWebhook(hook(), body, signed(body))).status).toBe(200);
    await eventually(async () => {
      const s = await scrape();
      return valueOf(s, 'bot_deliveries_total', { channel: 'zalo', result: 'failed', reason: 'user_unavailable' }) - valueOf(before, 'bot_deliveries_total', { channel: 'zalo', result: 'failed', reason: 'user_unavailable' }) === 1;
    }, 'the refused send counted as failed, user_unavailable');
  });
});

describe('sampled gauges', () => {
  it('shows the Zalo token expiry, readiness, queues, pools and event-loop lag', async () => {
    const s = await scrape();
    const expiresIn = valueOf(s, 'bot_zalo_token_expires_in_seconds');
    expect(expiresIn).toBeGreaterThan(0);
    expect(expiresIn).toBeLessThanOrEqual(25 * 3600);
    expect(valueOf(s, 'bot_ready')).toBe(1);
    for (const queue of ['inbox', 'outbox_reply', 'outbox_bulk', 'broadcasts']) {
      expect(hasSeries(s, 'bot_queue_depth', { queue, state: 'due' }), queue).toBe(true);
      expect(hasSeries(s, 'bot_queue_oldest_age_seconds', { queue }), queue).toBe(true);
    }
    expect(hasSeries(s, 'bot_db_pool_connections', { state: 'in_use' })).toBe(true);
    expect(hasSeries(s, 'bot_db_pool_waiting_requests')).toBe(true);
    expect(hasSeries(s, 'nodejs_eventloop_lag_p99_seconds')).toBe(true);
  });

  it('shows a due inbox event as depth and age', async () => {
    const receivedAt = new Date(Date.now() - 3_600_000);
    // Due, but its lane is busy with an older leased event: the worker cannot take it while the scrape looks.
    const lane = 'zalo:metrics:lane';
    await app.db.prisma.inboundEvent.create({ data: { channel: 'zalo', accountId: 'x', dedupeKey: 'metrics-held-1', laneKey: lane, payload: {}, status: 'processing', leaseOwner: 'elsewhere', leaseUntil: new Date(Date.now() + 3_600_000), attempts: 1 } });
    await app.db.prisma.inboundEvent.create({ data: { channel: 'zalo', accountId: 'x', dedupeKey: 'metrics-held-2', laneKey: lane, payload: {}, receivedAt, availableAt: receivedAt } });
    const s = await scrape();
    expect(valueOf(s, 'bot_queue_depth', { queue: 'inbox', state: 'due' })).toBeGreaterThanOrEqual(1);
    expect(valueOf(s, 'bot_queue_depth', { queue: 'inbox', state: 'in_flight' })).toBeGreaterThanOrEqual(1);
    expect(valueOf(s, 'bot_queue_oldest_age_seconds', { queue: 'inbox' })).toBeGreaterThanOrEqual(3_500);
    await app.db.prisma.inboundEvent.deleteMany({ where: { laneKey: lane } });
  });

  it('counts an urgent tip until it is acknowledged, and shows nothing that identifies it', async () => {
    const before = valueOf(await scrape(), 'bot_urgent_tips_unacknowledged');
    const description = 'Có người mang dao vào trường, đang đe doạ bạn.';
    const tip = new URLSearchParams({ category: 'weapons', description, urgent: 'yes' });
    expect((await fetch(`${app.url}/tip`, { method: 'POST', body: tip })).status).toBe(200);
    const text = await scrapeText();
    expect(valueOf(parseScrape(text), 'bot_urgent_tips_unacknowledged') - before).toBe(1);
    const row = await app.db.prisma.tip.findFirstOrThrow({ where: { urgent: true }, orderBy: { createdAt: 'desc' } });
    for (const secret of [row.id, row.publicCode, description, USER]) expect(text).not.toContain(secret);
    await app.db.prisma.tip.update({ where: { id: row.id }, data: { acknowledgedAt: new Date() } });
    expect(valueOf(await scrape(), 'bot_urgent_tips_unacknowledged')).toBe(before);
  });
});

describe('rate-limit waits', () => {
  it('counts a send the shared rate limit holds back, by channel and kind', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    const limiter = new RateLimiter(new RateWindowRepo(app.db.prisma), metrics);
    const now = Date.now();
    expect(await limiter.acquire('zalo:app:metrics-test', 1, 1, { now })).toEqual({ ok: true });
    expect((await limiter.acquire('zalo:app:metrics-test', 1, 1, { now })).ok).toBe(false);
    const s = parseScrape(await metrics.registry.metrics());
    expect(valueOf(s, 'bot_rate_limit_waits_total', { channel: 'zalo', kind: 'reply' })).toBe(1);
    expect(s.some((x) => Object.values(x.labels).some((v) => v.includes('metrics-test')))).toBe(false);
  });
});
