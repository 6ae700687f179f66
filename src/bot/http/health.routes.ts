import { Router } from 'express';
import { ERROR_STATUS } from '../../errors.js';

/** Readiness as the composition root reports it. */
export type Readiness = { ready: true } | { ready: false; reason: string };

/** `/healthz`: the process is alive. `/readyz`: the database answers and every migration is applied. */
export function healthRoutes(checkReady: () => Promise<Readiness>): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const r = await checkReady().catch((): Readiness => ({ ready: false, reason: 'database unreachable' }));
    if (r.ready) res.json({ status: 'ready' });
    else res.status(ERROR_STATUS.unavailable).json({ status: 'not_ready', reason: r.reason });
  });
  return router;
}
