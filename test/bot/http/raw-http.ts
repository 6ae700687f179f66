import { Agent, request } from 'node:http';

/** A request exactly as written: raw path (bad escapes included), any headers, raw body bytes. */
export interface RawRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer | null;
}

/** What came back, or why nothing did. */
export type RawResponse =
  | { ok: true; status: number; headers: Record<string, string | string[] | undefined>; body: string }
  | { ok: false; error: string };

/**
 * Sends one request with node:http (fetch would normalise the path and refuse some headers). `deadlineMs` bounds a
 * server that never answers; it is a deadline, not a wait.
 */
export function sendRaw(base: string, r: RawRequest, opts: { agent?: Agent; deadlineMs?: number } = {}): Promise<RawResponse> {
  const url = new URL(base);
  return new Promise((resolve) => {
    let req: ReturnType<typeof request>;
    try {
      req = request({
        host: url.hostname,
        port: url.port,
        method: r.method,
        path: r.path,
        headers: { ...r.headers, ...(r.body ? { 'content-length': String(r.body.length) } : {}) },
        ...(opts.agent ? { agent: opts.agent } : {}),
      });
    } catch (err) {
      return resolve({ ok: false, error: `client refused to send: ${(err as Error).message}` });
    }
    req.setTimeout(opts.deadlineMs ?? 30_000, () => req.destroy(new Error('no answer before the deadline')));
    req.on('error', (err) => resolve({ ok: false, error: err.message }));
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', (err) => resolve({ ok: false, error: err.message }));
      res.on('end', () => resolve({ ok: true, status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.end(r.body ?? undefined);
  });
}
