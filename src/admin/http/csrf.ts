import { createHmac, timingSafeEqual } from 'node:crypto';

/** The form field and the header (htmx) a console POST carries its CSRF token in. */
export const CSRF_FIELD = '_csrf';
export const CSRF_HEADER = 'x-csrf-token';

/** What a token is bound to: the session's cookie token, or the pre-sign-in cookie's value. */
export type CsrfBinding = { kind: 'session'; token: string } | { kind: 'pre_session'; value: string };

/** The CSRF token of a binding: an HMAC, so it is stored nowhere and cannot be made without the key. */
export function csrfTokenFor(key: Buffer, binding: CsrfBinding): string {
  const input = binding.kind === 'session' ? `session:${binding.token}` : `pre:${binding.value}`;
  return createHmac('sha256', key).update(input).digest('base64url');
}

/** Whether `presented` is the token of one of the bindings (constant-time comparison). */
export function csrfTokenMatches(key: Buffer, bindings: readonly CsrfBinding[], presented: unknown): boolean {
  if (typeof presented !== 'string' || presented.length === 0 || presented.length > 200) return false;
  const got = Buffer.from(presented);
  let ok = false;
  for (const b of bindings) {
    const want = Buffer.from(csrfTokenFor(key, b));
    // Every binding is compared, and lengths first: no early exit tells which one (or how much) matched.
    if (want.length === got.length && timingSafeEqual(want, got)) ok = true;
  }
  return ok;
}
