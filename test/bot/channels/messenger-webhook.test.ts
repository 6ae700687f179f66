import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMessengerDouble, type MessengerDouble } from '../../doubles/messenger-double.js';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { eventually, fixture, messengerEnv, MESSENGER_VERIFY_TOKEN, postWebhook, signMessenger } from '../../helpers/channels.js';

let meta: MessengerDouble;
let app: TestApp;
beforeAll(async () => {
  meta = await startMessengerDouble();
  app = await startTestApp(messengerEnv(meta));
});
afterAll(async () => {
  await app?.close();
  await meta?.close();
});

const hook = () => `${app.url}/webhooks/messenger`;
const events = () => app.db.prisma.inboundEvent.count({ where: { channel: 'messenger' } });
const signed = (body: string) => postWebhook(hook(), body, { 'x-hub-signature-256': signMessenger(body) });

describe('Messenger webhook', () => {
  it('answers the subscription handshake with the challenge, and 403 to a wrong verify token', async () => {
    const ok = await fetch(`${hook()}?hub.mode=subscribe&hub.verify_token=${MESSENGER_VERIFY_TOKEN}&hub.challenge=1158201444`);
    expect([ok.status, await ok.text()]).toEqual([200, '1158201444']);
    const bad = await fetch(`${hook()}?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1158201444`);
    expect(bad.status).toBe(403);
    expect(await bad.text()).not.toContain('1158201444');
  });

  it('stores every messaging item of every entry, drops echoes, deliveries and reads, and replies through the Send API', async () => {
    const res = await signed(fixture('messenger/batched-messages.json'));
    expect([res.status, res.text]).toEqual([200, 'EVENT_RECEIVED']);
    const rows = await app.db.prisma.inboundEvent.findMany({ where: { channel: 'messenger' }, orderBy: { id: 'asc' } });
    expect(rows.map((r) => r.dedupeKey)).toEqual(['m_text_1', 'm_qr_1', 'm_pb_1', expect.stringMatching(/^7000000000000004:/), 'm_img_1']);
    // A contact is created before its first turn ends: wait for the turns, then read the contacts they left.
    await eventually(async () => (await app.db.prisma.inboundEvent.count({ where: { channel: 'messenger', status: 'done' } })) === 5, 'five turns done');
    const contacts = await app.db.prisma.contact.findMany({ where: { channel: 'messenger' }, orderBy: { userId: 'asc' } });
    expect(contacts.map((c) => c.userId)).toEqual(['7000000000000001', '7000000000000002', '7000000000000003', '7000000000000004', '7000000000000005']);
    // The quick reply was a payload (role chosen), the Get Started referral and the m.me ref carried class codes.
    expect(contacts[1]!.role).toBe('student');
    await eventually(() => meta.sent().some((m) => m.recipientId === '7000000000000001'), 'a reply to the first sender');
    const first = meta.sent().filter((m) => m.recipientId === '7000000000000001');
    expect(JSON.stringify(first)).toContain('Xin chào');
    expect(first[0]!.messagingType).toBe('RESPONSE');
  });

  it('stores texts full of long numbers, with sender ids sent as JSON numbers over 2^53 exact', async () => {
    const body = readFileSync(path.join(import.meta.dirname, '..', '..', 'fixtures', 'messenger', 'long-numbers.json'), 'utf8');
    expect((await signed(body)).status).toBe(200);
    const rows = await app.db.prisma.inboundEvent.findMany({ where: { dedupeKey: { in: ['m_long_1', 'm_long_2'] } }, orderBy: { dedupeKey: 'asc' } });
    expect(rows.map((r) => r.laneKey)).toEqual([`messenger:${meta.pageId}:7000000000000000123`, `messenger:${meta.pageId}:7000000000000000456`]);
  });

  it('hands a quick-reply tap to the flow as its payload', async () => {
    await signed(messengerBody('7100000000000001', { mid: 'qr-a', text: 'xin chào' }));
    await eventually(() => meta.sent().some((m) => m.recipientId === '7100000000000001'), 'greeting');
    await signed(messengerBody('7100000000000001', { mid: 'qr-b', text: 'Phụ huynh', quick_reply: { payload: 'ROLE:parent' } }));
    const contact = await eventually(async () => {
      const c = await app.db.prisma.contact.findFirst({ where: { userId: '7100000000000001' } });
      return c?.role === 'parent' && c;
    }, 'role from the quick reply');
    expect(contact.role).toBe('parent');
  });

  it('processes a replayed event once', async () => {
    const body = messengerBody('7200000000000001', { mid: 'replayed-1', text: 'xin chào' });
    await signed(body);
    await signed(body);
    await signed(body);
    await eventually(async () => (await app.db.prisma.inboundEvent.findFirst({ where: { dedupeKey: 'replayed-1' } }))?.status === 'done', 'processing');
    expect(await app.db.prisma.inboundEvent.count({ where: { dedupeKey: 'replayed-1' } })).toBe(1);
    const contact = await app.db.prisma.contact.findFirstOrThrow({ where: { userId: '7200000000000001' } });
    const deliveries = await app.db.prisma.delivery.count({ where: { contactId: contact.id } });
    expect(deliveries).toBe(2); // welcome + role buttons, once
  });

  describe('rejects bad requests and stores nothing', () => {
    const body = () => messengerBody('7300000000000001', { mid: `bad-${Math.random()}`, text: 'hi' });
    it.each([
      ['a wrong signature', 401, (b: string) => ({ 'x-hub-signature-256': signMessenger(b, 'another-secret') })],
      ['no signature header', 401, () => ({})],
      ['a signature without the sha256= prefix', 401, (b: string) => ({ 'x-hub-signature-256': signMessenger(b).slice(7) })],
      ['a signature over a different body', 401, () => ({ 'x-hub-signature-256': signMessenger('{"object":"page","entry":[]}') })],
    ])('%s → %i with a generic body', async (_name, status, headers) => {
      const b = body();
      const before = await events();
      const res = await postWebhook(hook(), b, headers(b));
      expect(res.status).toBe(status);
      expect(res.text).toBe('{"error":{"code":"unauthorized","message":"Request signature is missing or invalid."}}');
      expect(await events()).toBe(before);
    });

    it('a body over 1 MB → 413', async () => {
      const big = JSON.stringify({ object: 'page', entry: [], pad: 'x'.repeat(1_100_000) });
      const before = await events();
      expect((await postWebhook(hook(), big, { 'x-hub-signature-256': signMessenger(big) })).status).toBe(413);
      expect(await events()).toBe(before);
    });

    it('a signed body that is not JSON → 400', async () => {
      const before = await events();
      expect((await signed('this is not json')).status).toBe(400);
      expect(await events()).toBe(before);
    });

    it('signed JSON of the wrong shape → 400', async () => {
      const before = await events();
      expect((await signed(JSON.stringify({ object: 'page', entry: 'nope' }))).status).toBe(400);
      expect(await events()).toBe(before);
    });

    it('an event for another object or Page → 200 and ignored', async () => {
      const before = await events();
      expect((await signed(JSON.stringify({ object: 'instagram', entry: [] }))).status).toBe(200);
      const otherPage = JSON.stringify({ object: 'page', entry: [{ id: '999', messaging: [{ sender: { id: '1' }, recipient: { id: '999' }, message: { mid: 'x', text: 'hi' } }] }] });
      expect((await signed(otherPage)).status).toBe(200);
      expect(await events()).toBe(before);
    });
  });
});

function messengerBody(psid: string, message: Record<string, unknown>): string {
  return JSON.stringify({
    object: 'page',
    entry: [{ id: meta.pageId, time: Date.now(), messaging: [{ sender: { id: psid }, recipient: { id: meta.pageId }, timestamp: Date.now(), message }] }],
  });
}
