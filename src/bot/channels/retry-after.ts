/** The longest wait a platform's `Retry-After` may ask for before it is capped (a bad header must not park a send for days). */
const MAX_RETRY_AFTER_MS = 3_600_000;

/**
 * Milliseconds a `Retry-After` header asks for (delay-seconds or an HTTP date, RFC 9110 §10.2.3), capped at an hour;
 * undefined when absent or unreadable (the caller's own backoff applies). `npm run chaos` found it ignored.
 */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (header === null) return undefined;
  const value = header.trim();
  if (/^\d{1,10}$/.test(value)) return Math.min(MAX_RETRY_AFTER_MS, Number(value) * 1000);
  const at = Date.parse(value);
  if (!Number.isFinite(at) || !/[a-z]/i.test(value)) return undefined;
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, at - now));
}
