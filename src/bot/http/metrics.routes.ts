import { Router, type RequestHandler } from 'express';
import { safeEqual } from '../channels/webhook-http.js';
import type { Metrics } from '../metrics/metrics.js';
import { respondError } from './errors.js';

/**
 * `GET /metrics` in Prometheus text format: what src/bot/metrics/metrics.ts defines (webhooks, turns, deliveries,
 * queues, urgent tips, Zalo token, database pools, process and event loop). With a token, only
 * `Authorization: Bearer <token>` may read it.
 */
export function metricsRoutes(deps: { metrics: Metrics; token: string | null }): Router {
  const router = Router();
  router.get('/metrics', bearerAuth(deps.token), async (_req, res) => {
    const text = await deps.metrics.scrape();
    res.type(deps.metrics.registry.contentType).set('Cache-Control', 'no-store').send(text);
  });
  return router;
}

// Backlogs and open alerts tell an outsider when an urgent tip is waiting: compared in constant time, answered generically.
function bearerAuth(token: string | null): RequestHandler {
  return (req, res, next) => {
    if (token === null) return next();
    const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(req.get('authorization') ?? '');
    if (m && safeEqual(m[1]!, token)) return next();
    respondError(res, 'unauthorized', 'Missing or invalid bearer token.', { 'WWW-Authenticate': 'Bearer realm="metrics"' });
  };
}
