import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import type { z } from 'zod';
import { AppError, ERROR_STATUS, type ErrorCode } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { ERROR_PAGE_HEADERS, errorPage } from './error-page.js';

/** The JSON body of every error answer. */
export function errorBody(code: string, message: string) {
  return { error: { code, message } };
}

/** Answers a refused API request: the status comes from the one code → status table (`ERROR_STATUS` in src/errors.ts). */
export function respondError(res: Response, code: ErrorCode, message: string, headers: Record<string, string> = {}): void {
  res.status(ERROR_STATUS[code]).set('Cache-Control', 'no-store').set(headers).json(errorBody(code, message));
}

/** The status of a page: 200, or the status of the error code it explains. */
export function pageStatus(outcome: 'ok' | ErrorCode): number {
  return outcome === 'ok' ? 200 : ERROR_STATUS[outcome];
}

/** Turns a zod error into one readable line per problem. */
export function describeZodError(err: z.ZodError): string {
  return err.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
}

/** How a failed request is answered; `fault` marks a bug in our code (500, logged with its stack). */
export interface ErrorAnswer {
  status: number;
  code: ErrorCode;
  message: string;
  fault: boolean;
}

/** Which paths serve pages to people, so their errors are pages too (anything else gets JSON unless it asks for HTML). */
export interface ErrorPageOptions {
  htmlPaths: readonly string[];
}

const INTERNAL: ErrorAnswer = { status: 500, code: 'internal', message: 'Something went wrong. Please try again.', fault: true };

// body-parser and raw-body error types. Their own messages are not shown: some echo what was sent (a charset, an encoding).
const BODY_ERRORS: Record<string, string> = {
  'entity.parse.failed': 'Request body is not valid JSON.',
  'entity.verify.failed': 'Request body was refused.',
  'parameters.too.many': 'The form has too many fields.',
  'querystring.parse.rangeError': 'The form nests fields too deeply.',
  'encoding.unsupported': 'Unsupported body encoding.',
  'charset.unsupported': 'Unsupported body encoding.',
  'request.aborted': 'The request was aborted before its body arrived.',
  'request.size.invalid': 'Request body does not match its Content-Length.',
};

const STATUS_MESSAGES: Record<number, string> = {
  400: 'The request is not valid.',
  401: 'Sign in first.',
  403: 'Not allowed.',
  404: 'No such route.',
  408: 'The request took too long.',
  413: 'Request body is too large.',
  415: 'Unsupported body encoding.',
  429: 'Too many requests. Please try again later.',
};

const CODE_OF_STATUS = new Map<number, ErrorCode>(Object.entries(ERROR_STATUS).map(([code, status]) => [status, code as ErrorCode]));

interface ErrorFields {
  status?: unknown;
  statusCode?: unknown;
  expose?: unknown;
  type?: unknown;
  code?: unknown;
  limit?: unknown;
  name?: unknown;
}

/**
 * Classifies anything a route or middleware threw. An error with a status of its own (AppError, http-errors as
 * body-parser and the router raise them, a failed percent-decoding) is answered with that status; anything else is a
 * fault. A foreign error's `status` counts only when http-errors marked it `expose`: an API client's error (a 401 from
 * the model server) describes our call upstream, not the request in hand, and stays a 500.
 */
export function answerFor(err: unknown): ErrorAnswer {
  if (err instanceof AppError) {
    const fault = err.status >= 500;
    return { status: err.status, code: err.code, message: err.userMessage ?? (fault ? INTERNAL.message : err.message), fault };
  }
  const e: ErrorFields = typeof err === 'object' && err !== null ? err : {};
  const raw = e.status ?? e.statusCode;
  const status = typeof raw === 'number' && Number.isInteger(raw) ? raw : undefined;
  // decodeURIComponent's error: the router tags it 400 for a path parameter; anywhere else it is still the client's %.
  if (err instanceof URIError && (status === undefined || status < 500)) {
    return { status: 400, code: 'bad_request', message: 'The address contains an invalid percent-encoding (%).', fault: false };
  }
  if (status === undefined || status < 400 || status >= 500 || e.expose !== true) return INTERNAL;
  const type = typeof e.type === 'string' ? e.type : undefined;
  let message = (type && BODY_ERRORS[type]) ?? STATUS_MESSAGES[status] ?? 'The request was not accepted.';
  if (type === 'entity.too.large' && typeof e.limit === 'number') message = `Request body is larger than ${formatBytes(e.limit)}.`;
  // zlib's errors, wrapped in a 400 by body-parser: Content-Encoding said gzip/br/deflate and the bytes were not.
  else if (!type && typeof e.code === 'string' && /^(Z_|ERR__|ERR_BROTLI)/.test(e.code)) message = 'Request body could not be decompressed: it does not match its Content-Encoding.';
  return { status, code: CODE_OF_STATUS.get(status) ?? 'bad_request', message, fault: false };
}

/** Answers an error as a short bilingual page on pages people read, as the JSON error body everywhere else. */
export function sendError(req: Request, res: Response, answer: Pick<ErrorAnswer, 'status' | 'code' | 'message'>, opts: ErrorPageOptions): void {
  if (wantsHtml(req, opts)) {
    const tipForm = isUnder(req.path, '/tip');
    res.status(answer.status).set(ERROR_PAGE_HEADERS).type('html').send(errorPage(answer.status, { tipForm }));
  } else {
    res.status(answer.status).set('Cache-Control', 'no-store').json(errorBody(answer.code, answer.message));
  }
}

/** 404 for any route nobody handled. */
export function notFound(opts: ErrorPageOptions): RequestHandler {
  return (req, res) => sendError(req, res, { status: 404, code: 'not_found', message: 'No such route.' }, opts);
}

/** The last handler: client errors answer their own 4xx (debug log, no stack); faults answer 500 and log the stack. */
export function errorHandler(log: Logger, opts: ErrorPageOptions): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const answer = answerFor(err);
    // A refused request logs its kind only: messages of body and decode errors quote what the client sent.
    if (answer.fault) log.error({ err }, 'unhandled error in request');
    else log.debug({ status: answer.status, reason: reasonOf(err) }, 'request refused');
    // Headers already went out: no status can be given any more, so cut the connection rather than end it cleanly.
    if (res.headersSent) return void req.socket.destroy();
    sendError(req, res, answer, opts);
  };
}

function wantsHtml(req: Request, opts: ErrorPageOptions): boolean {
  if (opts.htmlPaths.some((p) => isUnder(req.path, p))) return true;
  try {
    return req.accepts(['json', 'html']) === 'html';
  } catch {
    return false;
  }
}

function isUnder(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}/`);
}

function reasonOf(err: unknown): string {
  if (err instanceof AppError) return err.code;
  const e: ErrorFields = typeof err === 'object' && err !== null ? err : {};
  return typeof e.type === 'string' ? e.type : typeof e.code === 'string' ? e.code : typeof e.name === 'string' ? e.name : 'unknown';
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${+(n / (1024 * 1024)).toFixed(1)} MB` : n >= 1024 ? `${+(n / 1024).toFixed(1)} kB` : `${n} bytes`;
}
