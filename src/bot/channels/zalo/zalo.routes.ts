import express, { Router } from 'express';
import type { ZaloSettings } from '../../../config.js';
import { AppError } from '../../../errors.js';
import type { Logger } from '../../../logger.js';
import type { OutboxRepo } from '../../../store/outbox.repo.js';
import type { Ingest } from '../../ingest.js';
import type { Metrics } from '../../metrics/metrics.js';
import { normalizeJsonStrings } from '../normalize-text.js';
import { parseWebhookJson, rejectMalformed, rejectUnauthorized, zodReason } from '../webhook-http.js';
import { ZaloEnvelopeSchema, ZaloWebhookSchema } from './zalo-webhook.schema.js';
import { interpretZaloEvent, verifyZaloSignature } from './zalo-webhook.js';

/** The event name for logs: Zalo's names are short snake_case words; anything else is not repeated. */
const loggableName = (name: string) => (/^[a-z_]{1,64}$/.test(name) ? name : 'unknown');

/**
 * The timestamp Zalo signed, as written in the body, or undefined. V8's JSON.parse finds it (fast, for requests nobody
 * has authenticated yet); only a numeric timestamp too large for a double needs the exact parser to recover its digits.
 */
function signedTimestamp(raw: string): { ok: true; timestamp: string | undefined } | { ok: false } {
  let quick: unknown;
  try {
    quick = JSON.parse(raw);
  } catch {
    return { ok: false };
  }
  const ts = typeof quick === 'object' && quick !== null ? (quick as { timestamp?: unknown }).timestamp : undefined;
  if (typeof ts === 'string') return { ok: true, timestamp: ts };
  if (typeof ts !== 'number') return { ok: true, timestamp: undefined };
  if (Number.isSafeInteger(ts)) return { ok: true, timestamp: String(ts) };
  const exact = parseWebhookJson(raw);
  const value = exact.ok && typeof exact.value === 'object' && exact.value !== null ? (exact.value as { timestamp?: unknown }).timestamp : undefined;
  return { ok: true, timestamp: typeof value === 'string' || typeof value === 'number' ? String(value) : undefined };
}

/**
 * `POST /webhooks/zalo`: verify `X-ZEvent-Signature` (its timestamp is in the body), store the event, answer 200 well
 * inside Zalo's 2 s. Delivery and read receipts update the matching deliveries instead of entering the inbox.
 * Zalo retries anything but a 200 for an hour and then disables the webhook, so a signed event that is a Zalo event
 * but cannot be used (an id no database index holds, a field of the wrong type) is acknowledged and dropped with a
 * logged reason: retrying it could never help. 400 is kept for a body that is not JSON or not a Zalo event at all.
 */
export function zaloRoutes(deps: { settings: ZaloSettings; ingest: Ingest; outbox: OutboxRepo; log: Logger; metrics?: Metrics }): Router {
  const router = Router();
  if (deps.metrics) router.use('/webhooks/zalo', deps.metrics.webhook('zalo'));
  router.post('/webhooks/zalo', express.raw({ type: () => true, limit: '1mb' }), async (req, res) => {
    const bytes = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const raw = bytes.toString('utf8');
    const header = req.get('x-zevent-signature');
    if (!header) return rejectUnauthorized(res);
    const stamp = signedTimestamp(raw);
    if (!stamp.ok) return rejectMalformed(res, 'Request body is not valid JSON.');
    // The signed timestamp is part of the body: without one the request cannot be authenticated.
    if (stamp.timestamp === undefined) return rejectUnauthorized(res);
    if (!verifyZaloSignature(bytes, header, deps.settings.appId, stamp.timestamp, deps.settings.webhookSecret)) return rejectUnauthorized(res);

    const json = parseWebhookJson(raw);
    if (!json.ok) return rejectMalformed(res, 'Request body is not valid JSON.');
    const body = normalizeJsonStrings(json.value);
    const envelope = ZaloEnvelopeSchema.safeParse(body);
    if (!envelope.success) return rejectMalformed(res, 'Body is not a Zalo OA webhook event.');
    const event = loggableName(envelope.data.event_name);
    const parsed = ZaloWebhookSchema.safeParse(body);
    if (!parsed.success) {
      deps.log.warn({ event, reason: zodReason(parsed.error) }, 'zalo event dropped: unusable fields');
      deps.metrics?.webhookEvent('zalo', 'dropped');
      return void res.status(200).json({ message: 'ok' });
    }

    const meaning = interpretZaloEvent(parsed.data, deps.settings.oaId);
    if (meaning.kind === 'input') {
      const stored = await deps.ingest.store([meaning.event]);
      for (const r of stored.rejected) deps.log.warn({ event, reason: r.reason }, 'zalo event dropped: refused by the inbox');
    } else if (meaning.kind === 'receipt') {
      try {
        await deps.outbox.markReceipt('zalo', meaning.messageIds, meaning.status);
      } catch (err) {
        // Not recorded, so not acknowledged: 503 asks Zalo to send the receipt again, as for an event ingest could not store.
        throw new AppError('unavailable', { message: 'the receipt could not be recorded (database unavailable)', userMessage: 'Temporarily unavailable: nothing was recorded. Please retry.', cause: err });
      }
      deps.metrics?.webhookEvent('zalo', 'receipt');
    } else if (meaning.kind === 'invalid') {
      deps.log.warn({ event, reason: meaning.reason }, 'zalo event dropped: unusable ids');
      deps.metrics?.webhookEvent('zalo', 'dropped');
    } else {
      deps.log.debug({ event, reason: meaning.reason }, 'zalo webhook ignored');
      deps.metrics?.webhookEvent('zalo', 'ignored');
    }
    res.status(200).json({ message: 'ok' });
  });
  return router;
}
