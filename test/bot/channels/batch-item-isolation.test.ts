import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMessengerDouble, type MessengerDouble } from '../../doubles/messenger-double.js';
import { startZaloDouble, type ZaloDouble } from '../../doubles/zalo-double.js';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { eventually, messengerEnv, postWebhook, signMessenger, signZalo, zaloEnv, ZALO_OA_ID } from '../../helpers/channels.js';

// One bad item in a signed batch used to answer 500 for the whole request: every good item in it was refused too,
// and the platform retried the same body until it gave up on the webhook.

let zalo: ZaloDouble;
let meta: MessengerDouble;
let app: TestApp;
beforeAll(async () => {
  [zalo, meta] = await Promise.all([startZaloDouble(), startMessengerDouble()]);
  app = await startTestApp({ ...zaloEnv(zalo), ...messengerEnv(meta) });
});
afterAll(async () => {
  await app?.close();
  await Promise.all([zalo?.close(), meta?.close()]);
});

/** An id over PostgreSQL's 2.7 kB B-tree limit, random so it does not compress under it. */
const hugeId = () => randomBytes(2000).toString('hex');
const keys = async (channel: string) => (await app.db.prisma.inboundEvent.findMany({ where: { channel }, select: { dedupeKey: true } })).map((r) => r.dedupeKey);
const lastInteraction = (channel: string, userId: string) =>
  eventually(async () => (await app.db.prisma.contact.findFirst({ where: { channel, userId } }))?.lastInteractionAt ?? false, `contact ${userId}`);

function messengerBatch(items: unknown[]): string {
  return JSON.stringify({ object: 'page', entry: [{ id: meta.pageId, time: Date.now(), messaging: items }] });
}
const item = (psid: string, message: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  sender: { id: psid },
  recipient: { id: meta.pageId },
  timestamp: Date.now(),
  message,
  ...extra,
});
const sendMessenger = (body: string) => postWebhook(`${app.url}/webhooks/messenger`, body, { 'x-hub-signature-256': signMessenger(body) });

function zaloText(userId: string, msgId: string, text: unknown, timestamp: string | number = String(Date.now())): Record<string, unknown> {
  return { app_id: zalo.appId, event_name: 'user_send_text', timestamp, sender: { id: userId }, recipient: { id: ZALO_OA_ID }, message: { msg_id: msgId, text } };
}
function sendZalo(event: Record<string, unknown> | string, signedTimestamp?: string) {
  const body = typeof event === 'string' ? event : JSON.stringify(event);
  const ts = signedTimestamp ?? String((event as { timestamp: unknown }).timestamp);
  return postWebhook(`${app.url}/webhooks/zalo`, body, { 'x-zevent-signature': signZalo(zalo.appId, body, ts) });
}

describe('a signed Messenger batch with bad items', () => {
  it('stores every good item, drops the unusable ones, answers 200, and logs why without content or ids', async () => {
    const big = hugeId();
    const body = messengerBatch([
      item('7500000000000001', { mid: 'iso-good', text: 'xin chào' }),
      item('7500000000000002', { mid: 'iso-nul', text: 'mật\u0000khẩu' }),
      item('7500000000000003', { mid: 'iso-lone', text: 'vỡ \ud800 chữ' }),
      item('7500000000000004', { mid: 'iso-ts', text: 'giờ lạ' }, { timestamp: 9e15 }),
      item('7500000000000005', { mid: 'iso-payload', text: 'Phụ huynh', quick_reply: { payload: 'ROLE:\u0000parent\udfff' } }),
      item(big, { mid: 'iso-huge-sender', text: 'người gửi quá dài' }),
      item('7500000000000007', { mid: 'iso-wrong-type', text: 42 }),
      item('7500000000000008', { mid: hugeId(), text: 'mã tin quá dài' }),
      'not an item',
    ]);
    const res = await sendMessenger(body);
    expect([res.status, res.text]).toEqual([200, 'EVENT_RECEIVED']);
    const stored = await keys('messenger');
    expect(stored).toEqual(expect.arrayContaining(['iso-good', 'iso-nul', 'iso-lone', 'iso-ts', 'iso-payload']));
    expect(stored).not.toContain('iso-huge-sender');
    expect(stored).not.toContain('iso-wrong-type');
    expect(stored.every((k) => k.length < 300)).toBe(true);

    const line = app.logs.lines.find((l) => l.includes('messenger webhook items dropped'));
    expect(JSON.parse(line!)).toMatchObject({ level: 40, count: 4, reasons: [expect.stringContaining('item 5'), expect.stringContaining('item 6'), expect.stringContaining('item 7'), expect.stringContaining('item 8')] });
    const logs = app.logs.lines.join('\n');
    for (const secret of [big.slice(0, 40), 'người gửi quá dài', 'mã tin quá dài', '7500000000000007', 'iso-wrong-type']) expect(logs).not.toContain(secret);
  });

  it('takes a timestamp no Date can hold as the time of receipt', async () => {
    const before = Date.now();
    const res = await sendMessenger(messengerBatch([item('7500000000000011', { mid: 'iso-ts-2', text: 'xin chào' }, { timestamp: 9e15 })]));
    const after = Date.now();
    expect(res.status).toBe(200);
    const at = (await lastInteraction('messenger', '7500000000000011')).getTime();
    expect(at).toBeGreaterThanOrEqual(before);
    expect(at).toBeLessThanOrEqual(after);
  });

  it.each([1000, 2000, 3000, 4000, 5000, 6000, 8000])('stores an item without a message id even when a field of it nests %i levels deep', async (depth) => {
    // Its dedupe key is a hash of the item: the item must survive being serialised again.
    const psid = `75000000000${depth}`;
    const body = messengerBatch([{ sender: { id: psid }, recipient: { id: meta.pageId }, timestamp: Date.now(), referral: { ref: 'NTT-6A1', source: 'SHORTLINK', type: 'OPEN_THREAD' }, junk: 0 }]);
    const res = await sendMessenger(body.replace('"junk":0', `"junk":${'['.repeat(depth)}${']'.repeat(depth)}`));
    expect(res.status).toBe(200);
    const rows = await app.db.prisma.inboundEvent.findMany({ where: { channel: 'messenger', laneKey: `messenger:${meta.pageId}:${psid}` } });
    expect(rows).toHaveLength(1);
  });

  it('drops a malformed entry and keeps the entries next to it', async () => {
    const body = JSON.stringify({ object: 'page', entry: [{ id: meta.pageId, messaging: 'nope' }, 7, { id: meta.pageId, messaging: [item('7500000000000021', { mid: 'iso-entry-good', text: 'hi' })] }] });
    expect((await sendMessenger(body)).status).toBe(200);
    expect(await keys('messenger')).toContain('iso-entry-good');
  });
});

describe('a signed Zalo event that cannot be used', () => {
  it('stores text with NUL and lone surrogates', async () => {
    expect((await sendZalo(zaloText('2468123456789010001', 'iso-z-nul', 'a\u0000b \udc00'))).status).toBe(200);
    expect(await keys('zalo')).toContain('iso-z-nul');
  });

  it.each([
    ['a string', '12345678901234567890'],
    ['a number', 12345678901234567890n],
  ])('takes a 20-digit timestamp sent as %s as the time of receipt', async (_kind, ts) => {
    const userId = typeof ts === 'string' ? '2468123456789010002' : '2468123456789010003';
    const event = zaloText(userId, `iso-z-ts-${typeof ts}`, 'xin chào', 0);
    const body = JSON.stringify(event).replace('"timestamp":0', `"timestamp":${typeof ts === 'string' ? `"${ts}"` : ts}`);
    const before = Date.now();
    const res = await sendZalo(body, String(ts));
    const after = Date.now();
    expect(res.status).toBe(200);
    const at = (await lastInteraction('zalo', userId)).getTime();
    expect(at).toBeGreaterThanOrEqual(before);
    expect(at).toBeLessThanOrEqual(after);
  });

  it.each([
    ['a sender id over 2.7 kB', () => zaloText(hugeId(), 'iso-z-huge', 'xin chào')],
    ['a sender id that is not a Zalo id', () => zaloText('not-digits', 'iso-z-letters', 'xin chào')],
    ['a message id over 2.7 kB', () => zaloText('2468123456789010004', hugeId(), 'xin chào')],
    ['a text that is not a string', () => zaloText('2468123456789010005', 'iso-z-type', { nested: true })],
    ['a follower id over 2.7 kB', () => ({ app_id: zalo.appId, event_name: 'follow', timestamp: String(Date.now()), oa_id: ZALO_OA_ID, follower: { id: hugeId() } })],
  ])('acknowledges and drops %s, with a logged reason (retrying cannot help)', async (_name, make) => {
    const event = make();
    const before = await app.db.prisma.inboundEvent.count({ where: { channel: 'zalo' } });
    const logged = app.logs.lines.length;
    const res = await sendZalo(event);
    expect(res.status).toBe(200);
    expect(await app.db.prisma.inboundEvent.count({ where: { channel: 'zalo' } })).toBe(before);
    const lines = app.logs.lines.slice(logged).filter((l) => l.includes('zalo event dropped'));
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 40, reason: expect.any(String) });
    const text = JSON.stringify(event);
    for (const id of text.match(/[0-9a-f]{40,}|2468123456789010\d{3}|not-digits/g) ?? []) expect(lines[0]).not.toContain(id.slice(0, 40));
  });

  it('still answers 400 to a body that is not a Zalo event at all, and 401 to a bad signature', async () => {
    expect((await sendZalo({ timestamp: String(Date.now()), app_id: zalo.appId, sender: 'nobody' })).status).toBe(400);
    const body = JSON.stringify(zaloText(hugeId(), 'iso-z-401', 'x'));
    expect((await postWebhook(`${app.url}/webhooks/zalo`, body, { 'x-zevent-signature': 'mac=00' })).status).toBe(401);
  });
});

describe('the simulator with text the database cannot store as is', () => {
  it.each([
    ['NUL', 'xin\u0000 chào'],
    ['a lone surrogate', 'xin chào \ud800'],
  ])('answers a text with %s like any other', async (_name, text) => {
    const res = await app.say(`sim-iso-${text.length}-${text.charCodeAt(text.length - 1)}`, { text, messageId: 'iso-1' });
    expect(res.status).toBe(200);
    expect(res.replies.length).toBeGreaterThan(0);
  });
});
