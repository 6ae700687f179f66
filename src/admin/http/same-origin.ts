import type { Request } from 'express';

/**
 * Whether a state-changing request comes from our own pages. Browsers send `Sec-Fetch-Site` (Chrome, Firefox,
 * Safari 16.4+): only `same-origin` (and `none`, typed by the person) passes. They also send `Origin` on a POST:
 * it must be the request's own host (what the browser addressed) or PUBLIC_BASE_URL's origin. Because every console
 * answer says `Referrer-Policy: no-referrer`, browsers send `Origin: null` on our own form posts; `null` passes
 * only when `Sec-Fetch-Site: same-origin` vouches for it (a sandboxed frame of another site sends `cross-site`).
 * A request with neither header (a script) still needs the CSRF token.
 */
export function isSameOrigin(req: Request, publicOrigin: string | null): boolean {
  const site = req.get('sec-fetch-site');
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return false;
  const origin = req.get('origin');
  if (origin === undefined) return true;
  if (origin === 'null') return site === 'same-origin';
  if (publicOrigin && origin === publicOrigin) return true;
  try {
    const u = new URL(origin);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.host === req.get('host');
  } catch {
    return false;
  }
}
