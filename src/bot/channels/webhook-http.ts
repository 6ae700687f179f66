import { createHash, timingSafeEqual } from 'node:crypto';
import type { Response } from 'express';
import { errorBody } from '../http/errors.js';

/** Compares two secrets in constant time (different lengths compare unequal without leaking where). */
export function safeEqual(a: string, b: string): boolean {
  const x = createHash('sha256').update(a).digest();
  const y = createHash('sha256').update(b).digest();
  return timingSafeEqual(x, y) && a.length === b.length;
}

/** The one answer to a request that failed verification: generic, never echoing what was expected. */
export function rejectUnauthorized(res: Response): void {
  res.status(401).json(errorBody('unauthorized', 'Request signature is missing or invalid.'));
}

/** Answer to a verified request whose body is not what the platform documents. */
export function rejectMalformed(res: Response, message: string): void {
  res.status(400).json(errorBody('bad_request', message));
}

/** A stable dedupe key for platform items that carry no message id. */
export function contentKey(prefix: string, item: unknown): string {
  return `${prefix}:${createHash('sha256').update(JSON.stringify(item)).digest('hex').slice(0, 32)}`;
}

/**
 * Parses JSON keeping integers too large for a double as strings: Zalo ids exceed 2^53 (shared/PLATFORMS.md), and a
 * rounded id would address another person.
 */
export function parseJsonKeepingBigIds(raw: string): unknown {
  return JSON.parse(raw.replace(/([:[,]\s*)(-?\d{16,})(?=\s*[,}\]])/g, '$1"$2"'));
}
