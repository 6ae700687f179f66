import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

const post = (path: string, body: string, type = 'application/json') =>
  fetch(`${app.url}${path}`, { method: 'POST', headers: { 'content-type': type }, body });
const storedEvents = () => app.db.prisma.inboundEvent.count();

describe('HTTP edge', () => {
  it('answers /healthz and /readyz when the database is migrated', async () => {
    expect(await (await fetch(`${app.url}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${app.url}/readyz`);
    expect([ready.status, await ready.json()]).toEqual([200, { status: 'ready' }]);
  });

  it('rejects a body over 1 MB with 413 and stores nothing', async () => {
    const before = await storedEvents();
    const res = await post('/api/simulator/messages', JSON.stringify({ user: 'big', channel: 'zalo', text: 'x'.repeat(1_100_000) }));
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe('payload_too_large');
    expect(await storedEvents()).toBe(before);
  });

  it('rejects malformed JSON with 400 and stores nothing', async () => {
    const before = await storedEvents();
    const res = await post('/api/simulator/messages', '{"user": "a", "channel": ');
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toBe('Request body is not valid JSON.');
    expect(await storedEvents()).toBe(before);
  });

  it.each([
    [{ channel: 'zalo', text: 'hi' }, 'user'],
    [{ user: 'a', channel: 'viber', text: 'hi' }, 'channel'],
    [{ user: 'a', channel: 'zalo' }, 'one of text, payload or ref is required'],
    [{ user: 'a', channel: 'zalo', text: 'hi', extra: 1 }, 'extra'],
    [[1, 2], 'expected object'],
  ])('rejects a simulator body of the wrong shape (%j) with a zod message naming the problem', async (body, mention) => {
    const before = await storedEvents();
    const res = await post('/api/simulator/messages', JSON.stringify(body));
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toContain(mention);
    expect(await storedEvents()).toBe(before);
  });

  it('answers a replayed message id once: the second time it is not processed again', async () => {
    const first = await app.say('dup', { text: 'xin chào', messageId: 'm-1' });
    const again = await app.say('dup', { text: 'xin chào', messageId: 'm-1' });
    expect([first.status, first.body.duplicate, again.body.duplicate]).toEqual([200, false, true]);
    expect(again.replies).toEqual(first.replies);
    const deliveries = await app.db.prisma.delivery.count({ where: { recipient: 'dup' } });
    expect(deliveries).toBe(first.replies.length);
  });

  it('answers unknown routes with a JSON 404', async () => {
    const res = await fetch(`${app.url}/nope`);
    expect([res.status, (await res.json()).error.code]).toEqual([404, 'not_found']);
  });

  it('serves /metrics without a token when METRICS_TOKEN is not set (outside production)', async () => {
    const res = await fetch(`${app.url}/metrics`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('bot_inbox_events');
  });

  it('serves the simulator page', async () => {
    const res = await fetch(`${app.url}/simulator`);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toContain('Trình mô phỏng chatbot');
  });
});

describe('simulator polling', () => {
  it('returns messages sent to a simulator user after a given id, for replies that arrive late', async () => {
    const first = await app.say('poller', { text: 'xin chào' });
    const all = await (await fetch(`${app.url}/api/simulator/messages?user=poller&channel=zalo`)).json();
    expect(all.replies).toEqual(first.replies);
    expect(all.lastId).toBe(first.body.lastId);
    const none = await (await fetch(`${app.url}/api/simulator/messages?user=poller&channel=zalo&after=${first.body.lastId}`)).json();
    expect(none.replies).toEqual([]);
  });

  it('rejects a poll without a user with 400', async () => {
    expect((await fetch(`${app.url}/api/simulator/messages?channel=zalo`)).status).toBe(400);
  });
});
