import type { Request } from 'express';

/**
 * Whether a state-changing request comes from our own pages. A browser sends `Origin` on a cross-site POST (and
 * `Sec-Fetch-Site`); a form of another site, or an opaque `null` origin, is refused. Our origin is the request's own
 * host (what the browser addressed) or PUBLIC_BASE_URL's. A request without either header (an old browser, a
 * script) still needs the CSRF token.
 */
export function isSameOrigin(req: Request, publicOrigin: string | null): boolean {
  const site = req.get('sec-fetch-site');
  if (site && site !== 'same-origin' && site !== 'none') return false;
  const origin = req.get('origin');
  if (origin === undefined) return true;
  if (publicOrigin && origin === publicOrigin) return true;
  let host: string;
  try {
    const u = new URL(origin);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return false;
    host = u.host;
  } catch {
    return false;
  }
  return host === req.get('host');
}
