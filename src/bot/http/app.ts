import express, { type Express, type Router } from 'express';
import type { Logger } from '../../logger.js';
import { errorHandler, notFound } from './errors.js';

/** Builds the express app: security headers, the given routers, then 404 and the error mapper. */
export function createHttpApp(log: Logger, routers: Router[]): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use((req, res, next) => {
    res.set('X-Content-Type-Options', 'nosniff');
    res.set('Referrer-Policy', 'no-referrer');
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      // Path only: query strings and bodies may carry personal data.
      log.debug({ method: req.method, path: req.path, status: res.statusCode, ms: Number(process.hrtime.bigint() - started) / 1e6 }, 'request');
    });
    next();
  });
  for (const r of routers) app.use(r);
  app.use(notFound);
  app.use(errorHandler(log));
  return app;
}
