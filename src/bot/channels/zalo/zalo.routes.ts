import express, { Router } from 'express';
import type { ZaloSettings } from '../../../config.js';
import type { Logger } from '../../../logger.js';
import type { OutboxRepo } from '../../../store/outbox.repo.js';
import type { Ingest } from '../../ingest.js';
import { parseJsonKeepingBigIds, rejectMalformed, rejectUnauthorized } from '../webhook-http.js';
import { ZaloWebhookSchema } from './zalo-webhook.schema.js';
import { interpretZaloEvent, verifyZaloSignature } from './zalo-webhook.js';

/**
 * `POST /webhooks/zalo`: verify `X-ZEvent-Signature` (its timestamp is in the body), store the event, answer 200 well
 * inside Zalo's 2 s. Delivery and read receipts update the matching deliveries instead of entering the inbox.
 */
export function zaloRoutes(deps: { settings: ZaloSettings; ingest: Ingest; outbox: OutboxRepo; log: Logger }): Router {
  const router = Router();
  router.post('/webhooks/zalo', express.raw({ type: () => true, limit: '1mb' }), async (req, res) => {
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const header = req.get('x-zevent-signature');
    if (!header) return rejectUnauthorized(res);
    let json: unknown;
    try {
      json = parseJsonKeepingBigIds(raw.toString('utf8'));
    } catch {
      return rejectMalformed(res, 'Request body is not valid JSON.');
    }
    // The signed timestamp is part of the body: without one the request cannot be authenticated.
    const timestamp = typeof json === 'object' && json !== null ? (json as { timestamp?: unknown }).timestamp : undefined;
    if (typeof timestamp !== 'string' && typeof timestamp !== 'number') return rejectUnauthorized(res);
    if (!verifyZaloSignature(raw, header, deps.settings.appId, String(timestamp), deps.settings.webhookSecret)) return rejectUnauthorized(res);
    const parsed = ZaloWebhookSchema.safeParse(json);
    if (!parsed.success) return rejectMalformed(res, 'Body is not a Zalo OA webhook event.');

    const meaning = interpretZaloEvent(parsed.data, deps.settings.oaId);
    if (meaning.kind === 'input') {
      await deps.ingest.store([meaning.event]);
    } else if (meaning.kind === 'receipt') {
      await deps.outbox.markReceipt('zalo', meaning.messageIds, meaning.status);
    } else {
      deps.log.debug({ event: parsed.data.event_name, reason: meaning.reason }, 'zalo webhook ignored');
    }
    res.status(200).json({ message: 'ok' });
  });
  return router;
}
