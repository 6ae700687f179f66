// Proves the Zalo and Messenger test doubles speak the contracts of /work/shared/PLATFORMS.md, using plain fetch.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startMessengerDouble, type MessengerDouble } from './messenger-double.js';
import { startZaloDouble, type ZaloDouble } from './zalo-double.js';

interface Answer {
  status: number;
  body: any;
  headers: Headers;
}

async function answer(res: Response): Promise<Answer> {
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // raw (non-JSON) answers stay text
  }
  return { status: res.status, body, headers: res.headers };
}

describe('Zalo double', () => {
  let zalo: ZaloDouble;
  beforeAll(async () => {
    zalo = await startZaloDouble({ appId: 'app-1', secretKey: 'secret-1', accessToken: 'at-0', refreshToken: 'rt-0', groupIds: ['g-1'] });
  });
  afterAll(() => zalo.close());
  afterEach(() => zalo.reset());

  // `null` sends no token (an `undefined` argument would pick the default).
  const send = async (body: unknown, token: string | null = zalo.accessToken, path = '/v3.0/oa/message/cs'): Promise<Answer> => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token !== null) headers.access_token = token;
    return answer(await fetch(`${zalo.url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) }));
  };
  const text = (userId: string, t: string) => ({ recipient: { user_id: userId }, message: { text: t } });
  const refresh = async (form: Record<string, string>, secret = 'secret-1'): Promise<Answer> =>
    answer(
      await fetch(`${zalo.url}/v4/oa/access_token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', secret_key: secret },
        body: new URLSearchParams(form),
      }),
    );
  const refreshForm = (refreshToken: string = zalo.refreshToken) => ({ refresh_token: refreshToken, app_id: 'app-1', grant_type: 'refresh_token' });

  describe('message sends', () => {
    it('accepts a text send and records it', async () => {
      const res = await send(text('8000000000000000001', 'Xin chào'));
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ error: 0, message: 'Success', data: { message_id: expect.any(String), user_id: '8000000000000000001' } });
      expect(zalo.sent()).toEqual([
        { kind: 'user', to: '8000000000000000001', recipient: { user_id: '8000000000000000001' }, message: { text: 'Xin chào' }, messageId: res.body.data.message_id, at: expect.any(Number) },
      ]);
      const [request] = zalo.requests;
      expect(request).toMatchObject({ method: 'POST', path: '/v3.0/oa/message/cs', body: text('8000000000000000001', 'Xin chào') });
      expect(request?.headers.access_token).toBe(zalo.accessToken);
    });

    it('accepts an attachment-only send', async () => {
      const attachment = { type: 'template', payload: { template_type: 'media', elements: [{ media_type: 'image', url: 'https://x.test/a.png' }] } };
      const res = await send({ recipient: { user_id: 'u1' }, message: { attachment } });
      expect(res.body.error).toBe(0);
      expect(zalo.sent()[0]?.message).toEqual({ attachment });
    });

    it('sends into a group the OA belongs to, and answers -403 for another group', async () => {
      const ok = await send({ recipient: { group_id: 'g-1' }, message: { text: 'hi all' } }, zalo.accessToken, '/v3.0/oa/group/message');
      expect(ok.body).toEqual({ error: 0, message: 'Success', data: { message_id: expect.any(String), group_id: 'g-1' } });
      const other = await send({ recipient: { group_id: 'g-2' }, message: { text: 'hi' } }, zalo.accessToken, '/v3.0/oa/group/message');
      expect(other.body).toEqual({ error: -403, message: expect.any(String) });
      expect(zalo.sent().map((s) => [s.kind, s.to])).toEqual([['group', 'g-1']]);
    });

    it('answers -201 with HTTP 200 for invalid parameters', async () => {
      const cases: unknown[] = [
        text('u1', 'x'.repeat(2001)),
        { message: { text: 'no recipient' } },
        { recipient: {}, message: { text: 'empty recipient' } },
        { recipient: { user_id: 1234567890 }, message: { text: 'numeric id' } },
        { recipient: { user_id: 'u1' } },
        { recipient: { user_id: 'u1' }, message: {} },
      ];
      for (const body of cases) {
        const res = await send(body);
        expect(res.status).toBe(200);
        expect(res.body.error).toBe(-201);
      }
      const buttons = { type: 'template', payload: { template_type: 'list', buttons: [{ type: 'oa.query.show', title: 'A', payload: 'a' }] } };
      const group = await send({ recipient: { group_id: 'g-1' }, message: { attachment: buttons } }, zalo.accessToken, '/v3.0/oa/group/message');
      expect(group.body.error).toBe(-201);
      expect((await send(text('u1', 'x'.repeat(2000)))).body.error).toBe(0);
      expect(zalo.sent()).toHaveLength(1);
    });

    it('answers -216 for a wrong or missing access token', async () => {
      expect((await send(text('u1', 'a'), 'nope')).body).toEqual({ error: -216, message: 'Access token is invalid' });
      expect((await send(text('u1', 'a'), null)).body.error).toBe(-216);
      expect(zalo.sent()).toEqual([]);
    });

    it('plays programmed failures in order, then succeeds', async () => {
      zalo.failNext(-230);
      zalo.failNext(-234, 2, 'night');
      const codes = [];
      for (let i = 0; i < 4; i++) codes.push((await send(text('u1', `m${i}`))).body);
      expect(codes.map((b) => b.error)).toEqual([-230, -234, -234, 0]);
      expect(codes[1].message).toBe('night');
      expect(zalo.sent().map((s) => s.message.text)).toEqual(['m3']);
    });

    it('checks the token before programmed failures', async () => {
      zalo.failNext(-32);
      expect((await send(text('u1', 'a'), 'wrong')).body.error).toBe(-216);
      expect((await send(text('u1', 'a'))).body.error).toBe(-32);
    });

    it('rate-limits with -32 and X-RateLimit headers, then recovers after the window', async () => {
      zalo.rateLimit({ limit: 2, windowMs: 200 });
      const results = [];
      for (let i = 0; i < 3; i++) results.push(await send(text('u1', `r${i}`)));
      expect(results.map((r) => r.body.error)).toEqual([0, 0, -32]);
      expect(results[0]?.headers.get('x-ratelimit-limit')).toBe('2');
      expect(results[2]?.headers.get('x-ratelimit-remain')).toBe('0');
      await new Promise((r) => setTimeout(r, 250));
      expect((await send(text('u1', 'later'))).body.error).toBe(0);
    });

    it('answers raw HTTP statuses when told to', async () => {
      zalo.httpStatusNext(502, 2);
      expect((await send(text('u1', 'a'))).status).toBe(502);
      expect((await send(text('u1', 'a'))).status).toBe(502);
      expect((await send(text('u1', 'a'))).body.error).toBe(0);
    });

    it('answers 404 for an unknown route', async () => {
      expect((await send(text('u1', 'a'), zalo.accessToken, '/v2.0/oa/message')).status).toBe(404);
    });
  });

  describe('OAuth v4 refresh', () => {
    it('rotates both tokens; the old access token and the old refresh token stop working', async () => {
      const [oldAccess, oldRefresh, before] = [zalo.accessToken, zalo.refreshToken, zalo.refreshCount];
      const res = await refresh(refreshForm());
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ access_token: expect.any(String), refresh_token: expect.any(String), expires_in: '90000' });
      expect(res.body.access_token).not.toBe(oldAccess);
      expect(res.body.refresh_token).not.toBe(oldRefresh);
      expect([zalo.accessToken, zalo.refreshToken, zalo.refreshCount]).toEqual([res.body.access_token, res.body.refresh_token, before + 1]);

      expect((await send(text('u1', 'old'), oldAccess)).body.error).toBe(-216);
      expect((await send(text('u1', 'new'), res.body.access_token)).body.error).toBe(0);

      const reuse = await refresh(refreshForm(oldRefresh));
      expect(reuse.body).toMatchObject({ error: -14014, error_name: 'Invalid refresh token', error_description: expect.any(String) });
      expect(reuse.body.access_token).toBeUndefined();
      expect(zalo.refreshCount).toBe(before + 1);
      expect(zalo.requests.at(-1)).toMatchObject({ path: '/v4/oa/access_token', body: refreshForm(oldRefresh) });
    });

    it('answers -220 for an expired token until a refresh replaces it', async () => {
      const expired = zalo.accessToken;
      zalo.expireAccessToken();
      expect((await send(text('u1', 'a'), expired)).body).toEqual({ error: -220, message: 'Access token has expired' });
      const res = await refresh(refreshForm());
      expect((await send(text('u1', 'b'), res.body.access_token)).body.error).toBe(0);
      expect((await send(text('u1', 'c'), expired)).body.error).toBe(-220);
    });

    it('rejects a wrong secret key, a wrong app id, a wrong grant type and a JSON body without rotating', async () => {
      const before = [zalo.accessToken, zalo.refreshToken, zalo.refreshCount];
      expect((await refresh(refreshForm(), 'wrong')).body.error).toBeLessThan(0);
      expect((await refresh({ ...refreshForm(), app_id: 'other' })).body.error).toBeLessThan(0);
      expect((await refresh({ ...refreshForm(), grant_type: 'authorization_code' })).body.error).toBeLessThan(0);
      const json = await fetch(`${zalo.url}/v4/oa/access_token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', secret_key: 'secret-1' },
        body: JSON.stringify(refreshForm()),
      });
      expect(((await json.json()) as any).error).toBeLessThan(0);
      expect([zalo.accessToken, zalo.refreshToken, zalo.refreshCount]).toEqual(before);
    });

    it('fails refreshes on demand without rotating', async () => {
      const token = zalo.refreshToken;
      const attempts = zalo.refreshAttempts;
      zalo.failRefresh(1);
      zalo.failRefresh(1, 'invalid');
      expect((await refresh(refreshForm(token))).status).toBe(500);
      expect((await refresh(refreshForm(token))).body.error).toBe(-14014);
      expect(zalo.refreshToken).toBe(token);
      expect((await refresh(refreshForm(token))).body.access_token).toEqual(expect.any(String));
      expect(zalo.refreshAttempts).toBe(attempts + 3);
    });

    it('lets exactly one of two concurrent refreshes win when refresh is slow', async () => {
      zalo.refreshDelayMs = 150;
      const count = zalo.refreshCount;
      const started = Date.now();
      const form = refreshForm();
      const results = await Promise.all([refresh(form), refresh(form)]);
      zalo.refreshDelayMs = 0;
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
      expect(results.filter((r) => typeof r.body.access_token === 'string')).toHaveLength(1);
      expect(results.filter((r) => r.body.error === -14014)).toHaveLength(1);
      expect(zalo.refreshCount).toBe(count + 1);
    });
  });
});

describe('Messenger double', () => {
  let fb: MessengerDouble;
  beforeAll(async () => {
    fb = await startMessengerDouble({ accessToken: 'page-token', pageId: '111' });
  });
  afterAll(() => fb.close());
  afterEach(() => {
    fb.reset();
    fb.setAccessToken('page-token');
  });

  const post = async (path: string, body: unknown, token: string | null = 'page-token'): Promise<Answer> => {
    const query = token === null ? '' : `?access_token=${encodeURIComponent(token)}`;
    return answer(await fetch(`${fb.url}${path}${query}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }));
  };
  const send = (body: unknown, token?: string | null) => post('/v25.0/me/messages', body, token);
  const textMsg = (t: string, extra: Record<string, unknown> = {}) => ({ recipient: { id: 'psid-1' }, messaging_type: 'RESPONSE', message: { text: t, ...extra } });
  const expectGraphError = (res: Answer, code: number, subcode?: number) => {
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: { message: expect.any(String), type: expect.any(String), code, fbtrace_id: expect.any(String), ...(subcode ? { error_subcode: subcode } : {}) } });
  };

  describe('Send API', () => {
    it('accepts a text message on /me and on the page id, under any version', async () => {
      const a = await send(textMsg('hello'));
      expect(a.status).toBe(200);
      expect(a.body).toEqual({ recipient_id: 'psid-1', message_id: expect.stringMatching(/^m_/) });
      const b = await post('/v26.0/111/messages', { ...textMsg('again'), messaging_type: 'UPDATE' });
      expect(b.body.message_id).toEqual(expect.any(String));
      expect(fb.sent()).toEqual([
        { recipientId: 'psid-1', messagingType: 'RESPONSE', message: { text: 'hello' }, tag: undefined, messageId: a.body.message_id, node: 'me', version: 'v25.0', at: expect.any(Number) },
        expect.objectContaining({ messagingType: 'UPDATE', node: '111', version: 'v26.0', message: { text: 'again' } }),
      ]);
      expect(fb.requests[0]).toMatchObject({ method: 'POST', path: '/v25.0/me/messages', query: { access_token: 'page-token' }, body: textMsg('hello') });
    });

    it('accepts a Bearer token instead of the query parameter', async () => {
      const res = await fetch(`${fb.url}/v25.0/me/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer page-token' },
        body: JSON.stringify(textMsg('bearer')),
      });
      expect(res.status).toBe(200);
    });

    it('answers sender actions without a message id and keeps them apart from messages', async () => {
      const res = await send({ recipient: { id: 'psid-1' }, sender_action: 'typing_on' });
      expect(res.body).toEqual({ recipient_id: 'psid-1' });
      expect(fb.senderActions()).toEqual([{ recipientId: 'psid-1', action: 'typing_on', at: expect.any(Number) }]);
      expect(fb.sent()).toEqual([]);
      expectGraphError(await send({ recipient: { id: 'psid-1' }, sender_action: 'dance' }), 100);
    });

    it('answers 190 for a wrong token, 104 for none, and 190 after the token changes', async () => {
      const wrong = await send(textMsg('x'), 'bad');
      expectGraphError(wrong, 190);
      expect(wrong.body.error).toMatchObject({ message: 'Invalid OAuth access token.', type: 'OAuthException' });
      expectGraphError(await send(textMsg('x'), null), 104);
      fb.setAccessToken('rotated');
      expectGraphError(await send(textMsg('x')), 190);
      expect(fb.sent()).toEqual([]);
    });

    it('answers 100/33 for a page id the token does not own', async () => {
      expectGraphError(await post('/v25.0/999/messages', textMsg('x')), 100, 33);
    });

    it('validates like the platform (code 100)', async () => {
      const reply = (title: string) => ({ content_type: 'text', title, payload: 'P' });
      const buttons = (n: number) => Array.from({ length: n }, (_, i) => ({ type: 'postback', title: `b${i}`, payload: `p${i}` }));
      const template = (n: number) => ({ attachment: { type: 'template', payload: { template_type: 'button', text: 'Pick', buttons: buttons(n) } } });
      const invalid: unknown[] = [
        textMsg('x'.repeat(2001)),
        textMsg('x', { quick_replies: Array.from({ length: 14 }, (_, i) => reply(`q${i}`)) }),
        textMsg('x', { quick_replies: [reply('x'.repeat(21))] }),
        { recipient: { id: 'psid-1' }, messaging_type: 'RESPONSE', message: template(4) },
        ...['CONFIRMED_EVENT_UPDATE', 'ACCOUNT_UPDATE', 'POST_PURCHASE_UPDATE'].map((tag) => ({ ...textMsg('x'), messaging_type: 'MESSAGE_TAG', tag })),
        { ...textMsg('x'), messaging_type: 'MESSAGE_TAG' },
        { recipient: { id: 'psid-1' }, message: { text: 'no messaging_type' } },
        { recipient: { id: 123 }, messaging_type: 'RESPONSE', message: { text: 'numeric id' } },
        { messaging_type: 'RESPONSE', message: { text: 'no recipient' } },
        { recipient: { id: 'psid-1' }, messaging_type: 'RESPONSE' },
      ];
      for (const body of invalid) expectGraphError(await send(body), 100);
      expect(fb.sent()).toEqual([]);

      const valid: unknown[] = [
        textMsg('x'.repeat(2000), { quick_replies: Array.from({ length: 13 }, () => reply('x'.repeat(20))) }),
        { recipient: { id: 'psid-1' }, messaging_type: 'RESPONSE', message: template(3) },
        { ...textMsg('human'), messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' },
      ];
      for (const body of valid) expect((await send(body)).status).toBe(200);
      expect(fb.sent()[2]?.tag).toBe('HUMAN_AGENT');
    });

    it('plays programmed Graph errors in order', async () => {
      fb.failNext({ code: 10, subcode: 2018278 });
      fb.failNext({ code: 551 }, 2);
      fb.failNext({ code: 1, message: 'An unknown error occurred', httpStatus: 500 });
      const window = await send(textMsg('a'));
      expectGraphError(window, 10, 2018278);
      expect(window.body.error.message).toBe('(#10) This message is sent outside of allowed window.');
      expectGraphError(await send(textMsg('b')), 551);
      expectGraphError(await send(textMsg('c')), 551);
      const unknown = await send(textMsg('d'));
      expect([unknown.status, unknown.body.error.message]).toEqual([500, 'An unknown error occurred']);
      expect((await send(textMsg('e'))).status).toBe(200);
      expect(fb.sent().map((s) => s.message.text)).toEqual(['e']);
    });

    it('rate-limits with code 613, then recovers after the window', async () => {
      fb.rateLimit({ limit: 2, windowMs: 200 });
      expect((await send(textMsg('1'))).status).toBe(200);
      expect((await send({ recipient: { id: 'psid-1' }, sender_action: 'mark_seen' })).status).toBe(200);
      expectGraphError(await send(textMsg('3')), 613);
      await new Promise((r) => setTimeout(r, 250));
      expect((await send(textMsg('4'))).status).toBe(200);
    });

    it('answers raw HTTP statuses when told to', async () => {
      fb.httpStatusNext(503);
      const res = await send(textMsg('a'));
      expect([res.status, typeof res.body]).toEqual([503, 'string']);
      expect((await send(textMsg('a'))).status).toBe(200);
    });

    it('answers unknown paths with a Graph error', async () => {
      expectGraphError(await post('/me/messages', textMsg('x')), 2500);
      expectGraphError(await post('/v25.0/me/feed', textMsg('x')), 2500);
    });
  });

  describe('Messenger Profile API', () => {
    it('records get_started, greeting and persistent_menu', async () => {
      const greeting = [{ locale: 'default', text: 'Xin chào {{user_first_name}}' }];
      const persistent_menu = [{ locale: 'default', call_to_actions: [{ type: 'postback', title: 'Menu', payload: 'MENU' }] }];
      expect((await post('/v25.0/me/messenger_profile', { get_started: { payload: 'GET_STARTED' }, greeting })).body).toEqual({ result: 'success' });
      expect((await post('/v25.0/me/messenger_profile', { persistent_menu })).status).toBe(200);
      expect(fb.profile).toEqual({ get_started: { payload: 'GET_STARTED' }, greeting, persistent_menu });
      expectGraphError(await post('/v25.0/me/messenger_profile', { get_started: {} }), 100);
      expectGraphError(await post('/v25.0/me/messenger_profile', { greeting }, 'bad'), 190);
    });
  });
});

describe('fault modes of the send routes (for npm run chaos)', () => {
  let zalo: ZaloDouble;
  let messenger: MessengerDouble;
  beforeAll(async () => {
    zalo = await startZaloDouble();
    messenger = await startMessengerDouble();
  });
  afterAll(async () => {
    await zalo.close();
    await messenger.close();
  });
  afterEach(() => {
    zalo.reset();
    messenger.reset();
  });
  const toMessenger = (psid: string, signal?: AbortSignal) =>
    fetch(`${messenger.url}/v25.0/me/messages?access_token=${messenger.accessToken}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ recipient: { id: psid }, messaging_type: 'RESPONSE', message: { text: 'Chào bạn' } }),
      ...(signal ? { signal } : {}),
    });
  const toZalo = (userId: string) =>
    fetch(`${zalo.url}/v3.0/oa/message/cs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', access_token: zalo.accessToken },
      body: JSON.stringify({ recipient: { user_id: userId }, message: { text: 'Chào bạn' } }),
    });

  it('faults one recipient only, a counted number of times, and records every call', async () => {
    messenger.faults.forRecipient('111', { kind: 'status', status: 429, retryAfter: '3' }, 2);
    const first = await toMessenger('111');
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('3');
    expect((await toMessenger('222')).status).toBe(200);
    expect((await toMessenger('111')).status).toBe(429);
    expect((await toMessenger('111')).status).toBe(200);
    expect(messenger.sent().map((s) => s.recipientId)).toEqual(['222', '111']);
    expect(messenger.requests).toHaveLength(4);
  });

  it('hangs until the client gives up, drops the connection, or answers garbage', async () => {
    zalo.faults.next({ kind: 'close' });
    await expect(toZalo('1')).rejects.toThrow();
    zalo.faults.next({ kind: 'garbage', status: 502 });
    const garbage = await toZalo('1');
    expect({ status: garbage.status, text: (await garbage.text()).startsWith('<html>') }).toEqual({ status: 502, text: true });
    messenger.faults.all({ kind: 'hang' });
    await expect(toMessenger('3', AbortSignal.timeout(200))).rejects.toThrow(/abort|timeout/i);
    messenger.faults.all(null);
    expect((await toMessenger('3')).status).toBe(200);
    expect(zalo.sent()).toHaveLength(0);
  });
});
