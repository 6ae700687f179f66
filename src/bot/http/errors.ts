import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { z } from 'zod';
import { AppError } from '../../errors.js';
import type { Logger } from '../../logger.js';

/** The JSON body of every error answer. */
export function errorBody(code: string, message: string) {
  return { error: { code, message } };
}

/** Turns a zod error into one readable line per problem. */
export function describeZodError(err: z.ZodError): string {
  return err.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
}

/** 404 for any route nobody handled. */
export const notFound: RequestHandler = (_req, res) => {
  res.status(404).json(errorBody('not_found', 'No such route.'));
};

/** Maps body-parser failures and AppErrors to their status; anything else is a logged 500 with a generic body. */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err, _req, res, _next) => {
    const type = (err as { type?: string }).type;
    if (type === 'entity.too.large') return void res.status(413).json(errorBody('payload_too_large', 'Request body is larger than 1 MB.'));
    if (type === 'entity.parse.failed') return void res.status(400).json(errorBody('bad_request', 'Request body is not valid JSON.'));
    if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
      return void res.status(415).json(errorBody('bad_request', 'Unsupported body encoding.'));
    }
    if (err instanceof AppError) {
      return void res.status(err.status).json(errorBody(err.code, err.userMessage ?? err.message));
    }
    log.error({ err }, 'unhandled error in request');
    res.status(500).json(errorBody('internal', 'Something went wrong. Please try again.'));
  };
}
