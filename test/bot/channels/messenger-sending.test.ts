import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OutboundDelivery } from '../../../src/bot/channels/channel.js';
import { MessengerApi } from '../../../src/bot/channels/messenger/messenger-api.js';
import { createMessengerChannel } from '../../../src/bot/channels/messenger/messenger-channel.js';
import { resultOf } from '../../../src/bot/dispatcher.js';
import { RateLimiter } from '../../../src/bot/rate-limiter.js';
import { loadConfig } from '../../../src/config.js';
import type { OutMessage } from '../../../src/content/messages.schema.js';
import { createRepos } from '../../../src/store/repos.js';
import { startMessengerDouble, type MessengerDouble } from '../../doubles/messenger-double.js';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { eventually, messengerEnv, postWebhook, signMessenger } from '../../helpers/channels.js';

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
beforeEach(() => meta.reset());

function channel() {
  const settings = loadConfig({ ...messengerEnv(meta), APP_SECRET: 'x'.repeat(40), DATA_DIR: '/tmp/m-send' }).channels.messenger!;
  return createMessengerChannel({ settings, api: new MessengerApi(settings), limiter: new RateLimiter(createRepos(app.db.prisma).rateWindows) });
}
let nextId = 1n;
const delivery = (message: OutMessage, extra: Partial<OutboundDelivery> = {}): OutboundDelivery => ({
  id: nextId++, accountId: meta.pageId, recipient: '7000000000000099', message, attempts: 1, lastInteractionAt: new Date(), kind: 'reply', ...extra,
});

describe('Messenger sending against the Send API double', () => {
  it('sends a reply as RESPONSE with the Page token', async () => {
    const outcome = await channel().send(delivery({ type: 'text', text: 'Xin chào!' }));
    expect(outcome).toMatchObject({ ok: true, platformMessageId: meta.sent()[0]!.messageId });
    expect(meta.sent()[0]).toMatchObject({ recipientId: '7000000000000099', messagingType: 'RESPONSE', message: { text: 'Xin chào!' } });
    expect(meta.requests[0]!.query.access_token).toBe(meta.accessToken);
  });

  it('renders up to three short choices as a button template of postbacks', async () => {
    await channel().send(delivery({ type: 'buttons', text: 'Bạn là:', buttons: [{ title: 'Phụ huynh', payload: 'ROLE:parent' }, { title: 'Học sinh', payload: 'ROLE:student' }, { title: 'Giáo viên', payload: 'ROLE:teacher' }] }));
    const payload = (meta.sent()[0]!.message as any).attachment.payload;
    expect(payload.template_type).toBe('button');
    expect(payload.buttons[0]).toEqual({ type: 'postback', title: 'Phụ huynh', payload: 'ROLE:parent' });
  });

  it('renders many or long choices as at most 13 quick replies with titles of at most 20 characters, the full names numbered in the text', async () => {
    const buttons = Array.from({ length: 13 }, (_, i) => ({ title: `Trường THCS Nguyễn Thị Thập số ${i + 1}`, payload: `SCHOOL:${i}` }));
    const outcome = await channel().send(delivery({ type: 'buttons', text: 'Chọn trường:', buttons }));
    expect(outcome.ok).toBe(true); // the double rejects anything over Messenger's limits
    const message = meta.sent()[0]!.message as any;
    expect(message.quick_replies).toHaveLength(13);
    expect(message.quick_replies.every((q: any) => [...q.title].length <= 20)).toBe(true);
    expect(message.quick_replies[0]).toMatchObject({ content_type: 'text', payload: 'SCHOOL:0', title: expect.stringMatching(/^1\. /) });
    expect(message.text).toContain('1. Trường THCS Nguyễn Thị Thập số 1');
  });

  it('shows typing before a long read, then sends it in parts of at most 2000 characters', async () => {
    const long = 'Cha mẹ hãy cùng con ôn lại các quy tắc an toàn giao thông trước khi tới trường. '.repeat(40);
    await channel().send(delivery({ type: 'text', text: long }));
    expect(meta.senderActions().map((a) => a.action)).toEqual(['typing_on']);
    expect(meta.sent().length).toBe(2);
    expect(meta.sent().every((m) => [...(m.message as any).text].length <= 2000)).toBe(true);
  });

  it('sends images as reusable image attachments and links as a web_url button', async () => {
    await channel().send(delivery({ type: 'image', url: 'https://example.org/a.png' }));
    await channel().send(delivery({ type: 'link', url: 'https://example.org/law', title: 'Luật Trật tự, an toàn giao thông đường bộ 2024' }));
    expect((meta.sent()[0]!.message as any).attachment).toEqual({ type: 'image', payload: { url: 'https://example.org/a.png', is_reusable: true } });
    const button = (meta.sent()[1]!.message as any).attachment.payload.buttons[0];
    expect(button.type).toBe('web_url');
    expect([...button.title].length).toBeLessThanOrEqual(20);
  });

  it.each([
    [{ code: 4 }, 'rate_limited', 'pending'],
    [{ code: 32 }, 'rate_limited', 'pending'],
    [{ code: 613 }, 'rate_limited', 'pending'],
    [{ code: 551 }, 'user_unavailable', 'failed'],
    [{ code: 10, subcode: 2018278 }, 'window_closed', 'skipped'],
    [{ code: 100 }, 'invalid', 'failed'],
    [{ code: 190 }, 'token_expired', 'pending'],
    [{ code: 1, httpStatus: 500 }, 'transient', 'pending'],
  ])('classifies %j as %s, recorded as %s', async (error, outcome, status) => {
    meta.failNext(error);
    const result = await channel().send(delivery({ type: 'text', text: 'x' }));
    expect(result).toMatchObject({ ok: false, outcome });
    expect(resultOf(result, 1, new Date()).status).toBe(status);
  });

  it('skips a reply outside the 24-hour window with the reason', () => {
    const decision = channel().policy(delivery({ type: 'text', text: 'x' }, { lastInteractionAt: new Date(Date.now() - 25 * 3600_000) }), new Date());
    expect(decision).toMatchObject({ kind: 'skip', reason: expect.stringContaining('24-hour') });
  });
});

describe('outcomes on the delivery row, through the dispatcher', () => {
  it('records a platform refusal with its code and stops retrying an unavailable user', async () => {
    meta.failNext({ code: 551 }, 10);
    const body = JSON.stringify({ object: 'page', entry: [{ id: meta.pageId, messaging: [{ sender: { id: '7400000000000001' }, recipient: { id: meta.pageId }, timestamp: Date.now(), message: { mid: 'gone-1', text: 'xin chào' } }] }] });
    await postWebhook(`${app.url}/webhooks/messenger`, body, { 'x-hub-signature-256': signMessenger(body) });
    const rows = await eventually(async () => {
      const c = await app.db.prisma.contact.findFirst({ where: { userId: '7400000000000001' } });
      const d = c ? await app.db.prisma.delivery.findMany({ where: { contactId: c.id } }) : [];
      return d.length > 0 && d.every((x) => x.status !== 'pending' && x.status !== 'sending') && d;
    }, 'deliveries settled');
    expect(rows[0]).toMatchObject({ status: 'failed', outcome: 'user_unavailable', platformCode: '551', attempts: 1 });
  });
});

describe('npm run messenger:setup', () => {
  it('sets Get Started, the greeting and the persistent menu on the Page', async () => {
    const root = path.resolve(import.meta.dirname, '../../..');
    // Async: the double answering the script lives in this process.
    const r = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/messenger-setup.ts'], {
      cwd: root,
      env: { ...process.env, ...messengerEnv(meta), DATA_DIR: '/tmp/m-setup', APP_SECRET: 'x'.repeat(40), DATABASE_URL: '' },
    });
    expect(r.stdout).toContain('Messenger profile set');
    expect(meta.profile.get_started).toEqual({ payload: 'GET_STARTED' });
    expect(meta.profile.greeting[0].text).toContain('Trợ lý an ninh trường học');
    expect(meta.profile.persistent_menu[0].call_to_actions.map((c: any) => c.payload)).toEqual(['CMD:MENU', 'FLOW:content', 'CMD:HELP']);
  });
});
