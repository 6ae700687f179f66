import { Router } from 'express';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { InboxRepo } from '../../store/inbox.repo.js';
import type { OutboxRepo } from '../../store/outbox.repo.js';
import type { AlertRepo } from '../../store/alert.repo.js';

/** `GET /metrics` in Prometheus text format: inbox and outbox backlogs by status, plus process metrics (RSS, heap, event loop). */
export function metricsRoutes(deps: { inbox: InboxRepo; outbox: OutboxRepo; alerts: AlertRepo }): Router {
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
  router.get('/metrics', async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  });
  return router;
}
