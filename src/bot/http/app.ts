import express, { type Express, type Router } from 'express';
import { AppError } from '../../errors.js';
import type { TrustProxy } from '../../config.js';
import type { Logger } from '../../logger.js';
import { errorHandler, notFound, type ErrorPageOptions } from './errors.js';

// Paths that serve pages people read (the tip form, the pledge check, the simulator): their errors are pages too.
const ERROR_PAGES: ErrorPageOptions = { htmlPaths: ['/tip', '/verify', '/simulator'] };

/**
 * Builds the express app: security headers, the given routers, then 404 and the error mapper. `trustProxy` (TRUST_PROXY)
 * says whose X-Forwarded-For decides `req.ip`; by default none, and `req.ip` is the socket's address.
 */
export function createHttpApp(log: Logger, routers: Router[], opts: { trustProxy?: TrustProxy } = {}): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', opts.trustProxy ?? false);
  app.use((req, res, next) => {
    res.set('X-Content-Type-Options', 'nosniff');
    res.set('Referrer-Policy', 'no-referrer');
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      // Path only: query strings and bodies may carry personal data.
      log.debug({ method: req.method, path: req.path, status: res.statusCode, ms: Number(process.hrtime.bigint() - started) / 1e6 }, 'request');
    });
    // PostgreSQL cannot store a NUL character in text or jsonb, and no route has a use for one: a %00 in the path or
    // query would otherwise reach a query and fail there as a 500.
    if (req.url.includes('%00')) return next(new AppError('bad_request', { message: 'NUL in the URL', userMessage: 'The address contains a NUL character (%00).' }));
    next();
  });
  for (const r of routers) app.use(r);
  app.use(notFound(ERROR_PAGES));
  app.use(errorHandler(log, ERROR_PAGES));
  return app;
}
