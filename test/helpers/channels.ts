import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { MessengerDouble } from '../doubles/messenger-double.js';
import type { ZaloDouble } from '../doubles/zalo-double.js';

export const MESSENGER_APP_SECRET = 'messenger-app-secret-for-tests';
export const MESSENGER_VERIFY_TOKEN = 'verify-token-for-tests';
export const ZALO_OA_ID = '579745863508352884';
export const ZALO_OA_SECRET_KEY = 'zalo-oa-secret-key-for-tests';

/** Settings that point the production Messenger client at a double. */
export function messengerEnv(double: MessengerDouble): Record<string, string> {
  return {
    MESSENGER_APP_SECRET,
    MESSENGER_VERIFY_TOKEN,
    MESSENGER_PAGE_ID: double.pageId,
    MESSENGER_PAGE_ACCESS_TOKEN: double.accessToken,
    MESSENGER_GRAPH_BASE_URL: double.url,
  };
}

/** Settings that point the production Zalo client at a double; quiet hours off so tests do not depend on the clock. */
export function zaloEnv(double: ZaloDouble): Record<string, string> {
  return {
    ZALO_APP_ID: double.appId,
    ZALO_APP_SECRET: double.secretKey,
    ZALO_OA_ID,
    ZALO_OA_SECRET_KEY,
    ZALO_ACCESS_TOKEN: double.accessToken,
    ZALO_REFRESH_TOKEN: double.refreshToken,
    ZALO_OPENAPI_BASE_URL: double.url,
    ZALO_OAUTH_BASE_URL: double.url,
    ZALO_QUIET_HOURS: '0-0',
  };
}

/** The moment the fixtures' timestamps were written around (2026-11-22); `fixture` moves them to the present. */
export const FIXTURE_EPOCH_MS = 1_795_350_000_000;
const TIME_FIELDS = new Set(['time', 'timestamp', 'watermark']);

/**
 * A webhook fixture's text (shaped like the platform's documented sample), its `time`, `timestamp` and `watermark`
 * fields moved so that the fixture's epoch is `now` (gaps between them kept, string or number kept). The platforms'
 * reply windows are counted from these times, so a fixed date would close them as the calendar moves on.
 */
export function fixture(name: string, now = Date.now()): string {
  const text = readFileSync(path.join(import.meta.dirname, '..', 'fixtures', name), 'utf8');
  const shift = now - FIXTURE_EPOCH_MS;
  return JSON.stringify(
    JSON.parse(text, (key, value: unknown) => {
      if (!TIME_FIELDS.has(key)) return value;
      if (typeof value === 'number') return value + shift;
      if (typeof value === 'string' && /^\d{13}$/.test(value)) return String(Number(value) + shift);
      return value;
    }),
    null,
    2,
  );
}

/** `X-Hub-Signature-256` as Meta computes it: HMAC-SHA256 of the raw body with the app secret. */
export function signMessenger(body: string | Buffer, secret = MESSENGER_APP_SECRET): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** `X-ZEvent-Signature` as Zalo computes it: `mac=` + SHA-256 of app id + body + timestamp + OA secret key. */
export function signZalo(appId: string, body: string, timestamp: string, secret = ZALO_OA_SECRET_KEY): string {
  return `mac=${createHash('sha256').update(appId + body + timestamp + secret).digest('hex')}`;
}

/** Posts a body to a webhook with the given headers. */
export async function postWebhook(url: string, body: string, headers: Record<string, string>): Promise<{ status: number; text: string }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: res.status, text: await res.text() };
}

/** Polls until `check` holds (bounded), for work the pipeline does asynchronously. */
export async function eventually<T>(check: () => Promise<T | undefined | false> | T | undefined | false, what: string, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 30));
  }
}
