import { expect } from 'vitest';
import { button, textOf, type TestApp } from '../../helpers/app.js';

/** Onboards a contact quickly with a class code (so the menu, not onboarding, is their default). */
export async function onboard(app: TestApp, user: string, channel: 'zalo' | 'messenger' = 'zalo'): Promise<void> {
  await app.say(user, { text: 'xin chào' }, channel);
  await app.say(user, { payload: 'ROLE:parent' }, channel);
  await app.say(user, { text: 'NTT-6A1' }, channel);
}

/** Submits a tip through the chat flow and returns its code, PIN and every reply seen on the way. */
export async function submitTipInChat(
  app: TestApp,
  user: string,
  opts: { parts: string[]; place?: string; urgent?: boolean; consent?: boolean; channel?: 'zalo' | 'messenger' },
): Promise<{ code: string; pin: string; seen: string }> {
  const ch = opts.channel ?? 'zalo';
  const seen: string[] = [];
  const say = async (body: { text?: string; payload?: string }) => {
    const r = await app.say(user, body, ch);
    expect(r.status).toBe(200);
    seen.push(textOf(r.replies));
    return r.replies;
  };
  await say({ payload: 'FLOW:tip' });
  await say({ payload: 'CAT:drugs' });
  for (const p of opts.parts) await say({ text: p });
  await say({ payload: 'DONE' });
  await say(opts.place ? { text: opts.place } : { payload: 'SKIP' });
  await say({ payload: 'SKIP' });
  await say({ payload: opts.urgent ? 'YES' : 'NO' });
  const summary = await say({ payload: opts.consent ? 'YES' : 'NO' });
  const sent = await say({ payload: button(summary, 'Gửi tin báo') });
  const m = /Mã tin báo: (TB-[A-Z0-9]{4}-[A-Z0-9]{4})\nMã PIN: (\d{4} \d{3} \d{3})/.exec(textOf(sent));
  if (!m) throw new Error(`no code in: ${textOf(sent)}`);
  return { code: m[1]!, pin: m[2]!, seen: seen.join('\n') };
}

/** An HTTP request over loopback from a chosen local address (127.0.0.x), to stand for another client address. */
export async function requestFrom(
  url: string,
  opts: { localAddress: string; method?: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
  const { request } = await import('node:http');
  const body = opts.body ?? '';
  return new Promise((resolve, reject) => {
    const headers = { ...opts.headers, ...(opts.body !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}) };
    const req = request(url, { method: opts.method ?? 'GET', localAddress: opts.localAddress, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** A form POST from a chosen local address. */
export function postFrom(url: string, localAddress: string, body: string, headers: Record<string, string>) {
  return requestFrom(url, { localAddress, method: 'POST', headers, body });
}

/**
 * Waits, if needed, until at least `marginMs` are left in the current fixed window of `windowMs` (the attempt limits
 * count in aligned windows): a test that counts attempts must not see its window end half-way.
 */
export async function awayFromWindowEdge(windowMs: number, marginMs: number): Promise<void> {
  const { eventually } = await import('../../helpers/channels.js');
  const left = () => windowMs - (Date.now() % windowMs);
  if (left() >= marginMs) return;
  await eventually(() => left() >= marginMs, 'the start of the next limit window', marginMs + 5_000);
}
