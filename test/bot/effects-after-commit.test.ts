import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMessengerDouble, type MessengerDouble } from '../doubles/messenger-double.js';
import { startOpenAiDouble, type OpenAiDouble } from '../doubles/openai-double.js';
import { startTestApp, textOf, type TestApp } from '../helpers/app.js';
import { eventually, messengerEnv, postWebhook, signMessenger } from '../helpers/channels.js';
import { jpegWithExif } from '../helpers/images.js';
import { laneKeyOf } from '../../src/bot/log-keys.js';
import { effectDedupeKey } from '../../src/bot/turn-processor.js';
import { ERASED } from '../../src/store/outbox.repo.js';
import { TipCipher } from '../../src/store/tip-crypto.js';

/**
 * The platform's photo CDN, held: every download waits until the test releases it (no timers). An address ending
 * in `broken.jpg` then answers nothing, any other a JPEG carrying EXIF/GPS data and a comment.
 */
class PhotoDouble {
  readonly requests: string[] = [];
  private open = Promise.resolve();
  private releaseHeld: () => void = () => {};

  /** Holds every download from now on until `release`. */
  hold(): void {
    this.open = new Promise<void>((resolve) => (this.releaseHeld = resolve));
  }

  release(): void {
    this.releaseHeld();
  }

  readonly fetch = async (url: string): Promise<Buffer | null> => {
    this.requests.push(url);
    await this.open;
    return url.endsWith('broken.jpg') ? null : jpegWithExif();
  };
}

// DESIGN.md §3: no network call while a transaction is open. On the embedded database a transaction holds the only
// connection, so a model call or a photo download inside a turn would stop every other turn and every webhook until
// it returned.
let app: TestApp;
let model: OpenAiDouble;
let meta: MessengerDouble;
const photos = new PhotoDouble();
beforeAll(async () => {
  [model, meta] = await Promise.all([startOpenAiDouble(), startMessengerDouble()]);
  app = await startTestApp(
    { ...messengerEnv(meta), OPENAI_API_KEY: 'sk-test-double', OPENAI_BASE_URL: `${model.url}/v1`, OPENAI_MODEL: 'test-model', OPENAI_TIMEOUT_MS: '60000' },
    { fetchImage: photos.fetch },
  );
});
afterAll(async () => {
  photos.release();
  await app?.close();
  await Promise.all([model?.close(), meta?.close()]);
});

/** Rejects if `p` has not settled by the deadline: a generous bound for a wait, not a measure of speed. */
function within<T>(p: Promise<T>, what: string, ms = 30_000): Promise<T> {
  return Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} did not finish while the slow call was held`)), ms).unref())]);
}

/** Posts one signed Messenger webhook carrying `message` from `psid`, and returns its ack. */
async function messengerWebhook(psid: string, mid: string, message: Record<string, unknown>): Promise<{ status: number }> {
  const body = JSON.stringify({
    object: 'page',
    entry: [{ id: meta.pageId, time: Date.now(), messaging: [{ sender: { id: psid }, recipient: { id: meta.pageId }, timestamp: Date.now(), message: { mid, ...message } }] }],
  });
  return postWebhook(`${app.url}/webhooks/messenger`, body, { 'x-hub-signature-256': signMessenger(body) });
}

/** Whether the inbox event with this dedupe key has been processed. */
const processed = async (dedupeKey: string) => (await app.db.prisma.inboundEvent.findFirst({ where: { dedupeKey } }))?.status === 'done';

/** Checks that another contact's turn runs to its replies and that a webhook is stored and acknowledged. */
async function othersGoThrough(user: string, mid: string): Promise<void> {
  const other = await within(app.say(user, { text: 'xin chào' }), "another contact's turn");
  expect(other.status).toBe(200);
  expect(textOf(other.replies)).toContain('Xin chào');
  const ack = await within(messengerWebhook('7900000000000001', mid, { text: 'xin chào' }), 'a webhook');
  expect(ack.status).toBe(200);
  expect(await app.db.prisma.inboundEvent.count({ where: { dedupeKey: mid } })).toBe(1);
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
    await othersGoThrough('someone-else', 'held-model-1');

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

  it("answers other contacts and acknowledges webhooks while a tip's photo downloads are held open, then stores the photos", async () => {
    const tipster = '7900000000000202';
    let n = 0;
    const say = async (message: Record<string, unknown>, wait = true) => {
      const mid = `tip-photo-${++n}`;
      expect((await messengerWebhook(tipster, mid, message)).status).toBe(200);
      if (wait) await eventually(() => processed(mid), `the tipster's message ${mid} to be processed`);
      return mid;
    };
    const reply = (payload: string) => ({ text: payload, quick_reply: { payload } });
    await say(reply('FLOW:tip'));
    await say(reply('CAT:theft'));
    await say({ text: 'Có người lấy trộm xe đạp ở nhà xe, ảnh chụp kèm theo' });
    await say({ attachments: [{ type: 'image', payload: { url: 'https://cdn.example/tip-photo-good.jpg' } }] });
    await say({ attachments: [{ type: 'image', payload: { url: 'https://cdn.example/tip-photo-broken.jpg' } }] });
    for (const p of ['DONE', 'SKIP', 'SKIP', 'NO', 'NO']) await say(reply(p));

    photos.hold();
    const send = await say(reply('SEND'), false);
    await eventually(() => photos.requests.length === 2, 'both photos to be requested');

    // Meanwhile another contact's turn runs to its replies, and a webhook is stored and acknowledged.
    await othersGoThrough('someone-else-2', 'held-photo-1');

    // The tip itself is stored and its code sent, without the photos: their downloads are still held.
    await eventually(() => processed(send), 'the submission to be processed');
    const sentText = () => meta.sent().filter((m) => m.recipientId === tipster).map((m) => JSON.stringify(m.message)).join('\n');
    await eventually(() => sentText().includes('Mã tin báo'), 'the code and PIN to be sent');
    const tip = await app.db.prisma.tip.findFirstOrThrow({ where: { category: 'theft' }, orderBy: { createdAt: 'desc' }, include: { attachments: true } });
    expect(tip.attachments).toHaveLength(0);

    photos.release();
    const sendEvent = await app.db.prisma.inboundEvent.findFirstOrThrow({ where: { dedupeKey: send } });
    const followUpKey = effectDedupeKey(sendEvent.id, 0);
    await eventually(() => processed(followUpKey), 'the photos to be stored');
    const attachments = await app.db.prisma.tipAttachment.findMany({ where: { tipId: tip.id } });
    expect(attachments).toHaveLength(1);
    const a = attachments[0]!;
    expect(a.mime).toBe('image/jpeg');
    expect(a.dataCipher).toMatch(/^v1\./);
    expect(a.createdAt.getTime() % 3600_000).toBe(0);
    const plain = new TipCipher(app.config.tips.encryptionKey).openBytes(a.dataCipher, `${tip.id}:attachment:${a.id}`).toString('latin1');
    expect(plain).toContain('SCANDATA');
    expect(plain).not.toContain('GPSLatitude');
    expect(plain).not.toContain('comment with a secret');

    // The tipster hears, in Vietnamese, that one photo could not be saved.
    await eventually(() => sentText().includes('1 ảnh không tải được'), 'the notice about the missing photo');

    // The follow-up turn is a tip-flow turn: its inbox row keeps no payload, lane or processing time, and its
    // reply is erased once sent.
    const followUp = await app.db.prisma.inboundEvent.findFirstOrThrow({ where: { dedupeKey: followUpKey } });
    expect(followUp).toMatchObject({ status: 'done', payload: null, laneKey: '', processedAt: null });
    const notices = await eventually(async () => {
      const rows = await app.db.prisma.delivery.findMany({ where: { inboundEventId: followUp.id } });
      return rows.length === 1 && rows.every((d) => d.status === 'sent') && rows;
    }, 'the notice to be sent');
    expect(notices[0]).toMatchObject({ message: ERASED, recipient: '', laneKey: '', contactId: null });
  });
});
