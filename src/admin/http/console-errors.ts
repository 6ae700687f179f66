import { AppError, ERROR_STATUS, type ErrorCode } from '../../errors.js';
import type { RefusalKind } from '../views/error-page.js';

/** How a thrown error is answered on a console page; `fault` marks a bug (500, logged with its stack). */
export interface ConsoleRefusal {
  kind: RefusalKind;
  status: number;
  fault: boolean;
}

const KIND_OF_CODE: Partial<Record<ErrorCode, RefusalKind>> = {
  bad_request: 'bad_request',
  unauthorized: 'signed_out',
  forbidden: 'forbidden',
  not_found: 'not_found',
  payload_too_large: 'too_large',
  unsupported_media_type: 'unsupported',
  rate_limited: 'too_many',
};

const KIND_OF_STATUS: Record<number, RefusalKind> = { 400: 'bad_request', 401: 'signed_out', 403: 'forbidden', 404: 'not_found', 413: 'too_large', 415: 'unsupported', 429: 'too_many' };

/**
 * Classifies what a console route or the body parser threw: an AppError by its code (status from ERROR_STATUS), an
 * http-errors error (body-parser: too large, bad charset, too many fields) by its status when it is a client error;
 * anything else is our fault.
 */
export function refusalOf(err: unknown): ConsoleRefusal {
  if (err instanceof AppError) {
    const kind = KIND_OF_CODE[err.code];
    return kind ? { kind, status: ERROR_STATUS[err.code], fault: false } : { kind: 'internal', status: err.status, fault: true };
  }
  if (err instanceof URIError) return { kind: 'bad_request', status: 400, fault: false };
  const e = (typeof err === 'object' && err !== null ? err : {}) as { status?: unknown; expose?: unknown };
  if (typeof e.status === 'number' && e.status >= 400 && e.status < 500 && e.expose === true) {
    return { kind: KIND_OF_STATUS[e.status] ?? 'bad_request', status: e.status, fault: false };
  }
  return { kind: 'internal', status: 500, fault: true };
}
