import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zaloRoutes } from '../../../src/bot/channels/zalo/zalo.routes.js';
import { createHttpApp } from '../../../src/bot/http/app.js';
import type { Ingest } from '../../../src/bot/ingest.js';
import type { ZaloSettings } from '../../../src/config.js';
import type { OutboxRepo } from '../../../src/store/outbox.repo.js';
import { LogCapture } from '../../helpers/app.js';
import { serveOnLoopback } from '../../helpers/loopback.js';
import { fixture, postWebhook, signZalo, ZALO_OA_ID } from '../../helpers/channels.js';

// A receipt is recorded on the delivery, not stored in the inbox: when the database cannot take it, Zalo must be told
// to retry (503), as for an event ingest could not store. A real outage cannot be provoked from outside this route, so
// the outbox here fails until the test lets it through.
const settings: ZaloSettings = {
  appId: '1234567890123456789',
  appSecret: 'app-secret',
  oaId: ZALO_OA_ID,
  oaSecretKey: 'oa-secret',
  webhookSecret: 'webhook-secret',
  initialAccessToken: 'a',
  initialRefreshToken: 'r',
  openApiBaseUrl: 'http://127.0.0.1:9',
  oauthBaseUrl: 'http://127.0.0.1:9',
  ratePerMinute: 60,
  timeoutMs: 1000,
  quietHours: { start: 0, end: 0 },
};
const recorded: string[][] = [];
let databaseDown = true;
const outbox = {
  markReceipt: async (_channel: string, ids: string[]) => {
    if (databaseDown) throw new Error('Connection terminated unexpectedly');
    recorded.push(ids);
  },
} as unknown as OutboxRepo;

let served: Awaited<ReturnType<typeof serveOnLoopback>>;
let url: string;
beforeAll(async () => {
  const log = pino({ level: 'fatal' }, new LogCapture());
  served = await serveOnLoopback(createHttpApp(log, [zaloRoutes({ settings, ingest: {} as Ingest, outbox, log })]));
  url = served.url;
});
afterAll(async () => {
  await served?.close();
});

function receipt(): string {
  const e = JSON.parse(fixture('zalo/user-received-message.json'));
  e.message.msg_ids = ['msg-outage-1'];
  return JSON.stringify(e);
}
const send = (body: string) => postWebhook(`${url}/webhooks/zalo`, body, { 'x-zevent-signature': signZalo(settings.appId, body, JSON.parse(body).timestamp, settings.webhookSecret) });

describe('Zalo receipts while the database is down', () => {
  it('answers 503 with a generic body, so Zalo retries, and records the retried receipt once the database is back', async () => {
    const body = receipt();
    const down = await send(body);
    expect(down.status).toBe(503);
    expect(JSON.parse(down.text).error.code).toBe('unavailable');
    expect(down.text).not.toContain('Connection terminated');
    expect(recorded).toEqual([]);

    databaseDown = false;
    const back = await send(body);
    expect(back.status).toBe(200);
    expect(recorded).toEqual([['msg-outage-1']]);
  });
});
