// Plumbing shared by the platform test doubles: a loopback server, body parsing, request recording,
// and the two failure tools every double offers (a FIFO of programmed failures and a sliding-window rate limit).
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';

/** One request as the double received it. `body` is parsed JSON, a form object, or the raw text when neither parses. */
export interface RecordedRequest {
  method: string;
  /** Path without the query string, e.g. `/v3.0/oa/message/cs`. */
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: unknown;
  /** `Date.now()` when the request arrived. */
  at: number;
}

/** What a route handler gets: the recorded request plus the raw response. */
export interface Exchange {
  req: RecordedRequest;
  res: ServerResponse;
}

export type Handler = (exchange: Exchange) => Promise<void> | void;

export interface LoopbackServer {
  url: string;
  close(): Promise<void>;
}

/** Starts `handler` on 127.0.0.1 with a random port; every request is recorded into `log` before it is handled. */
export async function startLoopback(log: RecordedRequest[], handler: Handler): Promise<LoopbackServer> {
  const server = createServer((req, res) => {
    void record(req)
      .then((recorded) => {
        log.push(recorded);
        return handler({ req: recorded, res });
      })
      .catch((err: unknown) => {
        if (!res.headersSent) sendJson(res, 500, { double_error: String(err) });
        else res.end();
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

async function record(req: IncomingMessage): Promise<RecordedRequest> {
  const url = new URL(req.url ?? '/', 'http://double.invalid');
  const raw = await readText(req);
  return {
    method: req.method ?? 'GET',
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers: req.headers,
    body: parseBody(raw, req.headers['content-type']),
    at: Date.now(),
  };
}

async function readText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseBody(raw: string, contentType: string | undefined): unknown {
  if (raw === '') return undefined;
  if (contentType?.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(raw));
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

/** A bare HTTP status with a plain-text body, as a proxy or overloaded gateway would answer. */
export function sendRawStatus(res: ServerResponse, status: number): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(`double: programmed HTTP ${status}`);
}

/** Header lookup that tolerates repeated headers. */
export function header(req: RecordedRequest, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

export const isObject = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Random opaque id (hex), for message ids and tokens. */
export function randomId(bytes = 16): string {
  return randomBytes(bytes).toString('hex');
}

/** Programmed failures, consumed first-in first-out: `push(x, 3)` makes the next three `take()` calls return `x`. */
export class FailureQueue<T> {
  private readonly queue: Array<{ value: T; remaining: number }> = [];

  push(value: T, times = 1): void {
    if (times > 0) this.queue.push({ value, remaining: times });
  }

  take(): T | undefined {
    const head = this.queue[0];
    if (!head) return undefined;
    head.remaining -= 1;
    if (head.remaining === 0) this.queue.shift();
    return head.value;
  }

  clear(): void {
    this.queue.length = 0;
  }
}

export interface RateLimitOptions {
  limit: number;
  windowMs: number;
}

/** Sliding-window limiter: at most `limit` accepted calls in any `windowMs`. Rejected calls do not use up the window. */
export class RateWindow {
  private hits: number[] = [];
  constructor(readonly opts: RateLimitOptions) {}

  /** Records a call and reports whether it is within the limit. */
  tryHit(now = Date.now()): boolean {
    this.hits = this.hits.filter((t) => now - t < this.opts.windowMs);
    if (this.hits.length >= this.opts.limit) return false;
    this.hits.push(now);
    return true;
  }

  remaining(now = Date.now()): number {
    return Math.max(0, this.opts.limit - this.hits.filter((t) => now - t < this.opts.windowMs).length);
  }
}

/**
 * A misbehaving platform, as the chaos run (`npm run chaos`) programs it: `hang` never answers (the client's own
 * timeout must fire), `status` answers a bare HTTP status (429 with or without `Retry-After`, 5xx), `garbage` answers
 * a body that is not JSON with the given status (default 200), `close` drops the connection without an answer.
 */
export type Fault =
  | { kind: 'hang' }
  | { kind: 'status'; status: number; retryAfter?: string }
  | { kind: 'garbage'; status?: number }
  | { kind: 'close' };

/**
 * Faults of a double's send route: for every call (`all`), the next calls (`next`, first-in first-out) or the calls to
 * one recipient (`forRecipient`, e.g. only one person's sends time out). Checked in that order of precedence:
 * recipient, then next, then all. Empty by default, so a double without faults behaves as before.
 */
export class FaultPlan {
  private readonly nextCalls = new FailureQueue<Fault>();
  private readonly recipients = new Map<string, FailureQueue<Fault>>();
  private always: Fault | undefined;

  /** Every call answers with `fault` until `all(null)`. */
  all(fault: Fault | null): void {
    this.always = fault ?? undefined;
  }

  /** The next `times` calls (whoever they are for) answer with `fault`. */
  next(fault: Fault, times = 1): void {
    this.nextCalls.push(fault, times);
  }

  /** The next `times` calls for `recipient` answer with `fault` (Infinity: every one). */
  forRecipient(recipient: string, fault: Fault, times = Infinity): void {
    let queue = this.recipients.get(recipient);
    if (!queue) this.recipients.set(recipient, (queue = new FailureQueue<Fault>()));
    queue.push(fault, times);
  }

  /** The fault this call answers with, if any (consumes one of a counted fault). */
  take(recipient: string | undefined): Fault | undefined {
    const own = recipient === undefined ? undefined : this.recipients.get(recipient)?.take();
    return own ?? this.nextCalls.take() ?? this.always;
  }

  clear(): void {
    this.nextCalls.clear();
    this.recipients.clear();
    this.always = undefined;
  }
}

/** Answers (or, for `hang` and `close`, does not answer) a call the way `fault` says. */
export function answerFault(res: ServerResponse, fault: Fault): void {
  switch (fault.kind) {
    case 'hang':
      // Held open until the client gives up or the double closes (close() drops every connection).
      return;
    case 'close':
      res.socket?.destroy();
      return;
    case 'status':
      res.writeHead(fault.status, { 'content-type': 'text/plain; charset=utf-8', ...(fault.retryAfter !== undefined ? { 'retry-after': fault.retryAfter } : {}) });
      res.end(`double: programmed HTTP ${fault.status}`);
      return;
    case 'garbage':
      res.writeHead(fault.status ?? 200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<html><body>upstream \u0000 said <b>nothing useful</b>');
      return;
  }
}
