import { Router } from 'express';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpApp } from '../../../src/bot/http/app.js';
import { AppError } from '../../../src/errors.js';
import { LogCapture } from '../../helpers/app.js';
import { serveOnLoopback } from '../../helpers/loopback.js';

// The HTTP layer as main.ts builds it, with routes that fail on purpose: real faults cannot be provoked from outside.
const logs = new LogCapture();
let served: Awaited<ReturnType<typeof serveOnLoopback>>;
let url: string;
beforeAll(async () => {
  const router = Router();
  const fail = (path: string, err: () => unknown) => router.get(path, () => { throw err(); });
  fail('/bug', () => new TypeError("Cannot read properties of undefined (reading 'x')"));
  fail('/tip/bug', () => new TypeError('bug on a page'));
  // What http-errors builds (body-parser, the router): a 4xx status marked safe to expose.
  fail('/conflict', () => Object.assign(new Error('conflict on id 42'), { status: 409, expose: true }));
  // What an API client throws when *our* call upstream is refused: its status is not this request's.
  fail('/upstream', () => Object.assign(new Error('401 Incorrect API key provided: sk-...'), { status: 401 }));
  fail('/decode', () => decodeURIComponent('%E0%A4%A'));
  fail('/limited', () => new AppError('rate_limited', { message: 'rate for key k', userMessage: 'Too many tips today.' }));
  fail('/unavailable', () => new AppError('unavailable', { message: 'database pool exhausted' }));
  router.get('/half', (_req, res, next) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.write('partial');
    next(new Error('failed after the headers'));
  });
  served = await serveOnLoopback(createHttpApp(pino({ level: 'debug', base: undefined }, logs), [router]));
  url = served.url;
});
afterAll(async () => {
  await served?.close();
});

const get = async (path: string, headers: Record<string, string> = {}) => {
  const res = await fetch(`${url}${path}`, { headers });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
};
const errorLogs = (from: number) => logs.lines.slice(from).map((l) => JSON.parse(l)).filter((l) => l.level >= 50);

describe('error mapping', () => {
  it('answers a real fault with 500 and the generic body, and logs it with its stack', async () => {
    const from = logs.lines.length;
    const res = await get('/bug');
    expect([res.status, JSON.parse(res.text)]).toEqual([500, { error: { code: 'internal', message: 'Something went wrong. Please try again.' } }]);
    const [logged] = errorLogs(from);
    expect(logged.err.stack).toContain('TypeError');
  });

  it('answers a fault on a page with a 500 page in both languages that shows no stack', async () => {
    const res = await get('/tip/bug');
    expect([res.status, res.type]).toEqual([500, 'text/html; charset=utf-8']);
    expect(res.text).toMatch(/Hệ thống đang gặp sự cố[\s\S]*Something went wrong on our side/);
    expect(res.text).not.toMatch(/TypeError|bug on a page|\s+at /);
  });

  it.each([
    ['/conflict', 409, 'bad_request', 'The request was not accepted.'],
    ['/decode', 400, 'bad_request', 'The address contains an invalid percent-encoding (%).'],
    ['/limited', 429, 'rate_limited', 'Too many tips today.'],
  ])('answers %s with its own status %i, without echoing the internal message or logging a stack', async (path, status, code, message) => {
    const from = logs.lines.length;
    const res = await get(path);
    expect([res.status, JSON.parse(res.text)]).toEqual([status, { error: { code, message } }]);
    expect(errorLogs(from)).toEqual([]);
  });

  it('treats a status an API client attached to its own error as a fault, not as the answer', async () => {
    const from = logs.lines.length;
    const res = await get('/upstream');
    expect(res.status).toBe(500);
    expect(res.text).not.toContain('sk-');
    expect(errorLogs(from)).toHaveLength(1);
  });

  it('answers an AppError of a 5xx code with its status and logs it', async () => {
    const from = logs.lines.length;
    const res = await get('/unavailable');
    expect([res.status, JSON.parse(res.text).error.code]).toEqual([503, 'unavailable']);
    expect(JSON.parse(res.text).error.message).not.toContain('pool');
    expect(errorLogs(from)).toHaveLength(1);
  });

  it('cuts the connection when a route fails after sending headers, and keeps serving', async () => {
    await expect(fetch(`${url}/half`).then((r) => r.text())).rejects.toThrow();
    expect((await get('/limited')).status).toBe(429);
  });
});
