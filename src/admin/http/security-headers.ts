import type { RequestHandler } from 'express';

/** The console's Content-Security-Policy: only our own scripts, styles and forms; never framed. */
export const CONSOLE_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'; object-src 'none'";

/** Headers of every console answer (pages, fragments, files, errors, 404s). Pages add `Cache-Control: no-store`. */
export const CONSOLE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONSOLE_CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()',
};

/** Sets the console's security headers, and `no-store` until an asset says otherwise. */
export function securityHeaders(): RequestHandler {
  return (_req, res, next) => {
    res.set(CONSOLE_HEADERS);
    res.set('Cache-Control', 'no-store');
    res.removeHeader('X-Powered-By');
    next();
  };
}
