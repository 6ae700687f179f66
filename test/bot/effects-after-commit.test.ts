import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMessengerDouble, type MessengerDouble } from '../doubles/messenger-double.js';
import { startOpenAiDouble, type OpenAiDouble } from '../doubles/openai-double.js';
import { startTestApp, textOf, type TestApp } from '../helpers/app.js';
import { eventually, messengerEnv, postWebhook, signMessenger } from '../helpers/channels.js';
import { laneKeyOf } from '../../src/bot/log-keys.js';

// DESIGN.md §3: no network call while a transaction is open. On the embedded database a transaction holds the only
// connection, so a model call inside a turn would stop every other turn and every webhook until it returned.
let app: TestApp;
let model: OpenAiDouble;
let meta: MessengerDouble;
beforeAll(async () => {
  [model, meta] = await Promise.all([startOpenAiDouble(), startMessengerDouble()]);
  app = await startTestApp({ ...messengerEnv(meta), OPENAI_API_KEY: 'sk-test-double', OPENAI_BASE_URL: `${model.url}/v1`, OPENAI_MODEL: 'test-model', OPENAI_TIMEOUT_MS: '60000' });
});
afterAll(async () => {
  await app?.close();
  await Promise.all([model?.close(), meta?.close()]);
});

/** Rejects if `p` has not settled by the deadline: a generous bound for a wait, not a measure of speed. */
function within<T>(p: Promise<T>, what: string, ms = 30_000): Promise<T> {
  return Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} did not finish while the model was held`)), ms).unref())]);
}

describe('slow work runs after the turn commits', () => {
  it('answers other contacts and acknowledges webhooks while a model answer is held open', async () => {
    await app.say('asker', { text: 'chào' });
    await app.say('asker', { payload: 'ROLE:parent' });
    await app.say('asker', { text: 'NTT-6A1' });
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    model.reply = async () => {
      await held;
      return { content: 'Theo tài liệu, con phải đội mũ bảo hiểm cài quai đúng cách. (Nguồn: Luật 36/2024/QH15)' };
    };
    const asked = model.completions().length;
    const question = app.say('asker', { text: 'Con tôi có phải đội mũ bảo hiểm khi đi xe máy không?' });
    await eventually(() => model.completions().length > asked, 'the model to be asked');

    // Meanwhile another contact's turn runs to its replies, and a webhook is stored and acknowledged.
    const other = await within(app.say('someone-else', { text: 'xin chào' }), "another contact's turn");
    expect(other.status).toBe(200);
    expect(textOf(other.replies)).toContain('Xin chào');
    const body = JSON.stringify({
      object: 'page',
      entry: [{ id: meta.pageId, time: Date.now(), messaging: [{ sender: { id: '7900000000000001' }, recipient: { id: meta.pageId }, timestamp: Date.now(), message: { mid: 'held-model-1', text: 'xin chào' } }] }],
    });
    const ack = await within(postWebhook(`${app.url}/webhooks/messenger`, body, { 'x-hub-signature-256': signMessenger(body) }), 'a webhook');
    expect(ack.status).toBe(200);
    expect(await app.db.prisma.inboundEvent.count({ where: { dedupeKey: 'held-model-1' } })).toBe(1);

    // The answer has not gone out: the model still holds it.
    const lane = laneKeyOf('simulator', 'zalo', 'asker');
    const answered = async () => (await app.db.prisma.delivery.findMany({ where: { laneKey: lane, status: 'sent' } })).some((d) => JSON.stringify(d.message).includes('Theo tài liệu'));
    expect(await answered()).toBe(false);

    release();
    await question;
    await eventually(answered, "the model's answer to be sent");
    // The follow-up turn is not the person writing: it did not move their reply window.
    const contact = await app.db.prisma.contact.findFirstOrThrow({ where: { channel: 'simulator', userId: 'asker' } });
    const effect = await app.db.prisma.inboundEvent.findFirstOrThrow({ where: { laneKey: lane, dedupeKey: { startsWith: 'effect:' } } });
    expect(effect.status).toBe('done');
    expect(contact.lastInteractionAt!.getTime()).toBeLessThanOrEqual(effect.receivedAt.getTime());
  });
});
