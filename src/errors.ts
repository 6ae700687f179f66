/** Every error code the app raises, with the HTTP status it maps to. */
export const ERROR_STATUS = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  config_invalid: 500,
  internal: 500,
  unavailable: 503,
} as const;
export type ErrorCode = keyof typeof ERROR_STATUS;

/** The one error type of the app: a code, a message for operators and an optional message safe to show users. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly userMessage: string | undefined;

  constructor(code: ErrorCode, opts: { message: string; userMessage?: string; cause?: unknown }) {
    super(opts.message, { cause: opts.cause });
    this.name = 'AppError';
    this.code = code;
    this.userMessage = opts.userMessage;
  }

  /** HTTP status for this error's code. */
  get status(): number {
    return ERROR_STATUS[this.code];
  }
}
