import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startZaloDouble, type ZaloDouble } from '../../doubles/zalo-double.js';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { eventually, fixture, postWebhook, signZalo, zaloEnv, ZALO_OA_ID } from '../../helpers/channels.js';

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
const rawFixture = (name: string) => readFileSync(path.join(import.meta.dirname, '..', '..', 'fixtures', name), 'utf8');
const stored = () => app.db.prisma.inboundEvent.count({ where: { channel: 'zalo' } });

/** A fixture with fields replaced, keeping ids as strings like Zalo sends them. */
function event(name: string, patch: (e: any) => void = () => {}): string {
  const e = JSON.parse(fixture(`zalo/${name}.json`));
  e.app_id = zalo.appId;
  patch(e);
  return JSON.stringify(e);
}
function send(body: string) {
  const timestamp = String(JSON.parse(body).timestamp);
  return postWebhook(hook(), body, { 'x-zevent-signature': signZalo(zalo.appId, body, timestamp) });
}

describe('Zalo webhook', () => {
  it('stores a text event with its ids as strings and replies through the OA API with list buttons', async () => {
    const res = await send(event('user-send-text'));
    expect(res.status).toBe(200);
    const row = await app.db.prisma.inboundEvent.findFirstOrThrow({ where: { dedupeKey: 'f3a4c1e2b5d60718293a4b5c6d7e8f90' } });
    expect([row.channel, row.accountId, row.laneKey]).toEqual(['zalo', ZALO_OA_ID, `zalo:${ZALO_OA_ID}:2468123456789012345`]);
    await eventually(() => zalo.sent().filter((m) => m.to === '2468123456789012345').length >= 3, 'welcome, prompt and list');
    const sent = zalo.sent().filter((m) => m.to === '2468123456789012345');
    expect((sent[0]!.message as any).text).toContain('Xin chào');
    const list = sent.find((m) => (m.message as any).attachment?.payload?.template_type === 'list');
    expect((list!.message as any).attachment.payload.elements[0]).toEqual({ title: 'Phụ huynh', default_action: { type: 'oa.query.hide', payload: '#ROLE:parent' } });
  });

  it('treats a query-button tap ("#PAYLOAD" text) as the button payload', async () => {
    await send(event('user-send-text', (e) => Object.assign(e.message, { msg_id: 'tap-1', text: '#ROLE:parent' })));
    const contact = await eventually(async () => {
      const c = await app.db.prisma.contact.findFirst({ where: { channel: 'zalo', userId: '2468123456789012345' } });
      return c?.role === 'parent' && c;
    }, 'role set by the tap');
    expect(contact.userId).toBe('2468123456789012345');
  });

  it('keeps an id above 2^53 exact even when sent as a JSON number', async () => {
    const body = event('user-send-text', (e) => Object.assign(e.message, { msg_id: 'bigid-1' })).replace('"2468123456789012345"', '9007199254740993123');
    expect((await send(body)).status).toBe(200);
    const row = await app.db.prisma.inboundEvent.findFirstOrThrow({ where: { dedupeKey: 'bigid-1' } });
    expect(row.laneKey).toBe(`zalo:${ZALO_OA_ID}:9007199254740993123`);
  });

  it('stores a text full of long numbers (a bank account in a scam report), with ids sent as JSON numbers over 2^53 exact', async () => {
    // Sent as written: JSON.parse (or any rewrite of the text) would round the ids or break the text.
    const now = String(Date.now());
    const body = rawFixture('zalo/user-send-text-long-numbers.json').replace('"1795350000000"', `"${now}"`);
    expect((await send(body)).status).toBe(200);
    const row = await app.db.prisma.inboundEvent.findFirstOrThrow({ where: { dedupeKey: 'd4e5f60718293a4b5c6d7e8f90a1b2c3' } });
    expect([row.accountId, row.laneKey]).toEqual([ZALO_OA_ID, `zalo:${ZALO_OA_ID}:2468123456789012399`]);
  });

  it('maps follow, image and sticker events and starts onboarding on follow', async () => {
    const follow = event('follow');
    await send(follow);
    await send(event('user-send-image'));
    await send(event('user-send-sticker'));
    const followKey = `follow:2468123456789012346:${JSON.parse(follow).timestamp}`;
    const rows = await eventually(async () => {
      const r = await app.db.prisma.inboundEvent.findMany({ where: { dedupeKey: { in: [followKey, 'a1b2c3d4e5f60718293a4b5c6d7e8f91', 'b1b2c3d4e5f60718293a4b5c6d7e8f92'] } } });
      return r.length === 3 && r.every((x) => x.status === 'done') && r;
    }, 'three events processed');
    expect(rows).toHaveLength(3);
    await eventually(() => zalo.sent().some((m) => m.to === '2468123456789012346'), 'welcome after follow');
  });

  it('marks a contact unsubscribed when they unfollow', async () => {
    await send(event('unfollow'));
    await eventually(async () => (await app.db.prisma.contact.findFirst({ where: { userId: '2468123456789012346' } }))?.subscribed === false, 'unsubscribed');
  });

  it('keeps none of the personal data of user_submit_info', async () => {
    await send(event('user-submit-info'));
    const all = JSON.stringify(await app.db.prisma.inboundEvent.findMany({ where: { channel: 'zalo' } }), (_k, v) => (typeof v === 'bigint' ? String(v) : v));
    expect(all).not.toContain('84901234567');
    expect(all).not.toContain('Lê Văn Lương');
  });

  it('records delivery receipts on the delivery instead of the inbox, and drops our own echoes', async () => {
    const delivered = await eventually(async () => (await app.db.prisma.delivery.findFirst({ where: { channel: 'zalo', platformMessageId: { not: null } } })) ?? false, 'a sent delivery');
    const before = await stored();
    await send(event('user-received-message', (e) => (e.message.msg_ids = [delivered.platformMessageId])));
    await send(event('oa-send-text'));
    expect(await stored()).toBe(before);
    const after = await app.db.prisma.delivery.findUniqueOrThrow({ where: { id: delivered.id } });
    expect(after.deliveredAt).not.toBeNull();
  });

  describe('rejects bad requests and stores nothing', () => {
    const body = () => event('user-send-text', (e) => Object.assign(e.message, { msg_id: `bad-${Math.random()}` }));
    it.each([
      ['a wrong secret', (b: string) => ({ 'x-zevent-signature': signZalo(zalo.appId, b, JSON.parse(b).timestamp, 'guess') })],
      ['no signature header', () => ({})],
      ['a signature over a different body', (b: string) => ({ 'x-zevent-signature': signZalo(zalo.appId, b.replace('xin', 'xyz'), JSON.parse(b).timestamp) })],
      ['a signature with another timestamp', (b: string) => ({ 'x-zevent-signature': signZalo(zalo.appId, b, '1') })],
      ['a signature for another app', (b: string) => ({ 'x-zevent-signature': signZalo('42', b, JSON.parse(b).timestamp) })],
    ])('%s → 401 with a generic body', async (_name, headers) => {
      const b = body();
      const before = await stored();
      const res = await postWebhook(hook(), b, headers(b));
      expect(res.status).toBe(401);
      expect(res.text).not.toMatch(/[0-9a-f]{64}/);
      expect(await stored()).toBe(before);
    });

    it('a body over 1 MB → 413', async () => {
      const b = event('user-send-text', (e) => (e.pad = 'x'.repeat(1_100_000)));
      const before = await stored();
      expect((await send(b)).status).toBe(413);
      expect(await stored()).toBe(before);
    });

    it('a body that is not JSON → 400', async () => {
      const before = await stored();
      expect((await postWebhook(hook(), 'not json', { 'x-zevent-signature': 'mac=00' })).status).toBe(400);
      expect(await stored()).toBe(before);
    });

    it('signed JSON of the wrong shape → 400', async () => {
      const b = JSON.stringify({ timestamp: '1795350000000', app_id: zalo.appId, sender: 'nobody' });
      const before = await stored();
      expect((await send(b)).status).toBe(400);
      expect(await stored()).toBe(before);
    });

    it('a replayed event is stored once', async () => {
      const b = event('user-send-text', (e) => Object.assign(e.message, { msg_id: 'replay-z' }));
      await send(b);
      await send(b);
      expect(await app.db.prisma.inboundEvent.count({ where: { dedupeKey: 'replay-z' } })).toBe(1);
    });

    it('an unknown event name → 200 and ignored', async () => {
      const before = await stored();
      expect((await send(event('user-send-text', (e) => (e.event_name = 'user_reacted_message')))).status).toBe(200);
      expect(await stored()).toBe(before);
    });
  });
});

describe('a channel without settings', () => {
  it('answers 404 on its webhook', async () => {
    // This app has Zalo only: Messenger's webhook does not exist.
    const res = await fetch(`${app.url}/webhooks/messenger?hub.mode=subscribe&hub.verify_token=x&hub.challenge=1`);
    expect(res.status).toBe(404);
  });
});
