import express, { Router } from 'express';
import type { MessengerSettings } from '../../../config.js';
import type { Logger } from '../../../logger.js';
import type { Ingest } from '../../ingest.js';
import type { Metrics } from '../../metrics/metrics.js';
import { normalizeJsonStrings } from '../normalize-text.js';
import { parseWebhookJson, rejectMalformed, rejectUnauthorized, safeEqual } from '../webhook-http.js';
import { respondError } from '../../http/errors.js';
import { MessengerWebhookSchema } from './messenger-webhook.schema.js';
import { parseMessengerWebhook, verifyMessengerSignature } from './messenger-webhook.js';

/**
 * `GET /webhooks/messenger` (subscription handshake) and `POST /webhooks/messenger`: verify the signature over the raw
 * bytes, store every item, then answer 200 — well inside Meta's 5 s, because nothing else happens here. A batch is
 * handled item by item: Meta retries a refused batch for an hour and then unsubscribes the app, so an item that can
 * never be stored is dropped with a logged reason and the good ones are stored and acknowledged.
 */
export function messengerRoutes(deps: { settings: MessengerSettings; ingest: Ingest; log: Logger; metrics?: Metrics }): Router {
  const router = Router();
  if (deps.metrics) router.use('/webhooks/messenger', deps.metrics.webhook('messenger'));
  router.get('/webhooks/messenger', (req, res) => {
    const mode = req.query['hub.mode'];
    const token = req.query['hub.verify_token'];
    const challenge = req.query['hub.challenge'];
    if (mode === 'subscribe' && typeof token === 'string' && safeEqual(token, deps.settings.verifyToken) && typeof challenge === 'string') {
      return void res.status(200).type('text/plain').send(challenge);
    }
    respondError(res, 'forbidden', 'The verify token does not match.');
  });

  router.post('/webhooks/messenger', express.raw({ type: () => true, limit: '1mb' }), async (req, res) => {
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (!verifyMessengerSignature(raw, req.get('x-hub-signature-256'), deps.settings.appSecret)) return rejectUnauthorized(res);
    const json = parseWebhookJson(raw.toString('utf8'));
    if (!json.ok) return rejectMalformed(res, 'Request body is not valid JSON.');
    const parsed = MessengerWebhookSchema.safeParse(normalizeJsonStrings(json.value));
    if (!parsed.success) return rejectMalformed(res, 'Body is not a Messenger webhook event.');
    if (parsed.data.object !== 'page') {
      deps.log.info({ object: parsed.data.object.slice(0, 40) }, 'messenger webhook for another object ignored');
      deps.metrics?.webhookEvent('messenger', 'ignored');
      return void res.status(200).send('EVENT_RECEIVED');
    }
    const { events, ignored, dropped } = parseMessengerWebhook(parsed.data, deps.settings.pageId);
    const stored = await deps.ingest.store(events);
    deps.metrics?.webhookEvent('messenger', 'ignored', ignored).webhookEvent('messenger', 'dropped', dropped.length);
    const refused = stored.rejected.map((r) => `event ${r.index}: ${r.reason}`);
    if (dropped.length + refused.length > 0) deps.log.warn({ reasons: [...dropped, ...refused].slice(0, 20), count: dropped.length + refused.length }, 'messenger webhook items dropped');
    deps.log.debug({ stored: stored.inserted.length, duplicates: stored.duplicates, ignored }, 'messenger webhook');
    res.status(200).send('EVENT_RECEIVED');
  });
  return router;
}
