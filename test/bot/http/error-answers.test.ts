import { brotliCompressSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { sendRaw } from './raw-http.js';

let app: TestApp;
beforeAll(async () => {
  // Debug level: refused requests log at debug, and what they log must still carry nothing the client sent.
  app = await startTestApp({}, { logLevel: 'debug' });
});
afterAll(async () => {
  await app?.close();
});

const send = (method: string, path: string, headers: Record<string, string> = {}, body?: string | Buffer) =>
  sendRaw(app.url, { method, path, headers, body: body === undefined ? null : Buffer.from(body) }).then((r) => {
    if (!r.ok) throw new Error(r.error);
    return r;
  });
const faults = () => app.logs.lines.filter((l) => JSON.parse(l).level >= 50);
const storedEvents = () => app.db.prisma.inboundEvent.count();
const STACK = /\n\s+at .+:\d+:\d+|URIError|TypeError/;

describe('errors with a status of their own', () => {
  it('answers a bad % escape in a /verify address with a 400 page in Vietnamese, then English, and logs no stack', async () => {
    const before = faults().length;
    const res = await send('GET', '/verify/%ZZ<script>');
    expect([res.status, res.headers['content-type']]).toEqual([400, 'text/html; charset=utf-8']);
    expect(res.body).toMatch(/Yêu cầu không hợp lệ\.[\s\S]*The request is not valid\./);
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.body).not.toMatch(STACK);
    expect(res.body).not.toContain('<script>');
    expect(faults().length).toBe(before);
  });

  it('answers a bad % escape in a certificate address with the JSON error body', async () => {
    const res = await send('GET', '/pledges/%E0%A4%A.png');
    expect([res.status, JSON.parse(res.body)]).toEqual([400, { error: { code: 'bad_request', message: 'The address contains an invalid percent-encoding (%).' } }]);
  });

  it('answers HTML to a JSON route when the client asks for HTML (a browser)', async () => {
    const res = await send('GET', '/pledges/%ZZ.png', { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' });
    expect([res.status, res.headers['content-type']]).toEqual([400, 'text/html; charset=utf-8']);
    const missing = await send('GET', '/no-such-page', { accept: 'text/html' });
    expect([missing.status, missing.body.includes('Không tìm thấy trang này.')]).toEqual([404, true]);
  });

  it('answers a tip form with more than 20 fields with the form again (400), a Vietnamese message and the emergency numbers', async () => {
    const before = faults().length;
    const body = Array.from({ length: 21 }, (_, i) => `f${i}=x`).join('&');
    const res = await send('POST', '/tip', { 'content-type': 'application/x-www-form-urlencoded' }, body);
    expect([res.status, res.headers['content-type']]).toEqual([400, 'text/html; charset=utf-8']);
    expect(res.body).toContain('Biểu mẫu gửi lên không đọc được.');
    expect(res.body).toContain('113');
    expect(res.body).toContain('<form');
    expect(faults().length).toBe(before);
  });

  it.each([
    ['gzip', 400, 'bad_request'],
    ['br', 400, 'bad_request'],
    ['deflate', 400, 'bad_request'],
    ['x-unknown', 415, 'unsupported_media_type'],
  ])('answers a body whose Content-Encoding %s is a lie with %i and stores nothing', async (encoding, status, code) => {
    const [before, faultsBefore] = [await storedEvents(), faults().length];
    const res = await send('POST', '/api/simulator/messages', { 'content-type': 'application/json', 'content-encoding': encoding }, '{"user":"lie","channel":"zalo","text":"hi"}');
    expect([res.status, JSON.parse(res.body).error.code]).toEqual([status, code]);
    expect(await storedEvents()).toBe(before);
    expect(faults().length).toBe(faultsBefore);
  });

  it('accepts a body that really is compressed as its Content-Encoding says', async () => {
    const body = brotliCompressSync(Buffer.from(JSON.stringify({ user: 'br-user', channel: 'zalo', text: 'xin chào' })));
    const res = await send('POST', '/api/simulator/messages', { 'content-type': 'application/json', 'content-encoding': 'br' }, body);
    expect(res.status).toBe(200);
  });

  it('answers an unknown charset with 415', async () => {
    const res = await send('POST', '/api/simulator/messages', { 'content-type': 'application/json; charset=klingon' }, '{}');
    expect([res.status, JSON.parse(res.body).error.code]).toEqual([415, 'unsupported_media_type']);
  });

  it('refuses a NUL (%00) in the address with 400 before any route queries the database with it', async () => {
    const before = faults().length;
    const res = await send('GET', '/api/simulator/messages?user=a%00b&channel=zalo');
    expect([res.status, JSON.parse(res.body).error.code]).toEqual([400, 'bad_request']);
    expect(faults().length).toBe(before);
  });

  it('keeps what a refused request sent out of the logs', async () => {
    const marker = 'SECRET-TIP-TEXT-4711';
    await send('POST', `/api/simulator/messages?q=${marker}`, { 'content-type': 'application/json' }, `{"text":"${marker}",`);
    await send('POST', '/tip', { 'content-type': 'application/x-www-form-urlencoded' }, `${Array.from({ length: 30 }, () => `description=${marker}`).join('&')}`);
    await send('GET', `/verify/%ZZ?note=${marker}`);
    expect(app.logs.lines.filter((l) => l.includes(marker))).toEqual([]);
  });
});
