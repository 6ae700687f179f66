import express, { Router } from 'express';
import type { MessengerSettings } from '../../../config.js';
import type { Logger } from '../../../logger.js';
import type { Ingest } from '../../ingest.js';
import { rejectMalformed, rejectUnauthorized, safeEqual } from '../webhook-http.js';
import { MessengerWebhookSchema } from './messenger-webhook.schema.js';
import { parseMessengerWebhook, verifyMessengerSignature } from './messenger-webhook.js';

/**
 * `GET /webhooks/messenger` (subscription handshake) and `POST /webhooks/messenger`: verify the signature over the raw
 * bytes, store every item, then answer 200 — well inside Meta's 5 s, because nothing else happens here.
 */
export function messengerRoutes(deps: { settings: MessengerSettings; ingest: Ingest; log: Logger }): Router {
  const router = Router();
  router.get('/webhooks/messenger', (req, res) => {
    const mode = req.query['hub.mode'];
    const token = req.query['hub.verify_token'];
    const challenge = req.query['hub.challenge'];
    if (mode === 'subscribe' && typeof token === 'string' && safeEqual(token, deps.settings.verifyToken) && typeof challenge === 'string') {
      return void res.status(200).type('text/plain').send(challenge);
    }
    res.status(403).type('text/plain').send('Forbidden');
  });

  router.post('/webhooks/messenger', express.raw({ type: () => true, limit: '1mb' }), async (req, res) => {
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (!verifyMessengerSignature(raw, req.get('x-hub-signature-256'), deps.settings.appSecret)) return rejectUnauthorized(res);
    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch {
      return rejectMalformed(res, 'Request body is not valid JSON.');
    }
    const parsed = MessengerWebhookSchema.safeParse(json);
    if (!parsed.success) return rejectMalformed(res, 'Body is not a Messenger webhook event.');
    if (parsed.data.object !== 'page') {
      deps.log.info({ object: parsed.data.object }, 'messenger webhook for another object ignored');
      return void res.status(200).send('EVENT_RECEIVED');
    }
    const { events, ignored } = parseMessengerWebhook(parsed.data, deps.settings.pageId);
    const stored = await deps.ingest.store(events);
    deps.log.debug({ stored: stored.inserted.length, duplicates: stored.duplicates, ignored }, 'messenger webhook');
    res.status(200).send('EVENT_RECEIVED');
  });
  return router;
}
