import { Router, type RequestHandler } from 'express';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { safeEqual } from '../channels/webhook-http.js';
import type { InboxRepo } from '../../store/inbox.repo.js';
import type { OutboxRepo } from '../../store/outbox.repo.js';
import type { AlertRepo } from '../../store/alert.repo.js';
import { respondError } from './errors.js';

/**
 * `GET /metrics` in Prometheus text format: inbox and outbox backlogs by status, open alerts, plus process metrics
 * (RSS, heap, event loop). With a token, only `Authorization: Bearer <token>` may read it.
 */
export function metricsRoutes(deps: { inbox: InboxRepo; outbox: OutboxRepo; alerts: AlertRepo; token: string | null }): Router {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  new Gauge({
    name: 'bot_inbox_events',
    help: 'Inbound events by status (pending and processing form the backlog).',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      for (const [status, n] of Object.entries(await deps.inbox.countByStatus())) this.set({ status }, n);
    },
  });
  new Gauge({
    name: 'bot_outbox_deliveries',
    help: 'Outgoing deliveries by status.',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      for (const [status, n] of Object.entries(await deps.outbox.countByStatus())) this.set({ status }, n);
    },
  });
  new Gauge({
    name: 'bot_open_alerts',
    help: 'Operator alerts not yet resolved (e.g. a failed Zalo token refresh), by kind.',
    labelNames: ['kind'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const a of await deps.alerts.open()) this.inc({ kind: a.kind });
    },
  });
  const router = Router();
  router.get('/metrics', bearerAuth(deps.token), async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
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
