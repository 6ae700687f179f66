// Helpers of the end-to-end tests: the real app with the Zalo and Messenger channels pointed at their doubles and the
// simulator on, a clock the test moves, and contacts that write to us through signed webhooks.
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { loadConfig } from '../../src/config.js';
import type { OutMessage } from '../../src/content/messages.schema.js';
import { startApp, type RunningApp } from '../../src/main.js';
import type { MessengerDouble } from '../doubles/messenger-double.js';
import type { ZaloDouble } from '../doubles/zalo-double.js';
import { messengerEnv, postWebhook, signMessenger, signZalo, ZALO_OA_ID, zaloEnv } from '../helpers/channels.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

const VN_OFFSET_MS = 7 * 3600_000;
const HOUR_MS = 3600_000;

/**
 * The next moment after `after` (ms) that is `hour:minute` in Asia/Ho_Chi_Minh (UTC+7 all year), `days` days later.
 * Never today's date written into a test: the moment is computed from the wall clock.
 */
export function nextVietnamTime(hour: number, minute: number, after: number, days = 0): Date {
  const local = new Date(after + VN_OFFSET_MS);
  let at = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate(), hour, minute) - VN_OFFSET_MS;
  if (at <= after) at += 24 * HOUR_MS;
  return new Date(at + days * 24 * HOUR_MS);
}

/** `hh:mm:ss dd/mm` in Vietnam, for failure messages. */
export function vietnamTime(d: Date): string {
  const l = new Date(d.getTime() + VN_OFFSET_MS);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(l.getUTCHours())}:${p(l.getUTCMinutes())}:${p(l.getUTCSeconds())} ${p(l.getUTCDate())}/${p(l.getUTCMonth() + 1)}`;
}

/**
 * The app's clock in a test: the wall clock plus an offset the test moves forward (never back, and never behind the
 * wall clock, since rows are queued at wall-clock times). `moveWhen` moves it the first time the app reads the clock
 * after a condition holds (e.g. "the fifth Zalo user got the broadcast"): with one dispatch slot per channel, the next
 * send's policy is decided after that, and so by the new time.
 */
export class TestClock {
  private offset = 0;
  private pending: { when: () => boolean; to: Date; then?: () => void } | undefined;

  /** The clock as handed to `startApp`. */
  readonly now = (): Date => {
    const p = this.pending;
    if (p && p.when()) {
      this.pending = undefined;
      this.set(p.to);
      p.then?.();
    }
    return new Date(Date.now() + this.offset);
  };

  /** Moves the clock to `at` (it then runs on with the wall clock). */
  set(at: Date): void {
    const offset = at.getTime() - Date.now();
    if (offset < this.offset) throw new Error(`the test clock only moves forward (to ${vietnamTime(at)})`);
    this.offset = offset;
  }

  /** Moves the clock to `to` at the first reading after `when()` holds; `then` runs right after. */
  moveWhen(when: () => boolean, to: Date, then?: () => void): void {
    this.pending = { when, to, ...(then ? { then } : {}) };
  }

  /** Whether a `moveWhen` is still waiting for its condition. */
  get waiting(): boolean {
    return this.pending !== undefined;
  }
}

/** Log lines kept in memory (the app logs JSON lines). */
class LogSink extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    cb();
  }
}

/** The running app of an end-to-end test. */
export interface E2eApp extends RunningApp {
  testDb: TestDatabase;
  logs: string[];
  /** One simulator message; returns the replies once the turn has gone through the pipeline. */
  say(user: string, body: { text?: string; payload?: string }, channel?: 'zalo' | 'messenger'): Promise<OutMessage[]>;
  close(): Promise<void>;
}

/**
 * Boots the real app on a fresh database with the simulator, Zalo (quiet hours 22–6, as in production) and Messenger
 * pointed at the doubles, one dispatch slot per channel (each channel sends one message after the other, so what
 * goes out before a clock change is exactly what was decided before it), and `clock` as the dispatcher's, the
 * expander's and the scheduler's time. The node-cron tick is off (tests call `app.scheduler.tick(now)`).
 */
export async function startE2eApp(doubles: { zalo: ZaloDouble; messenger: MessengerDouble }, clock: TestClock, env: Record<string, string> = {}): Promise<E2eApp> {
  const testDb = await createTestDatabase();
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: `/tmp/ssb-e2e-${process.pid}`,
    APP_SECRET: 'test-secret-test-secret-test-secret-0123',
    SEED_DEMO: 'true',
    POLL_INTERVAL_MS: '50',
    ...messengerEnv(doubles.messenger),
    ...zaloEnv(doubles.zalo),
    ZALO_QUIET_HOURS: '22-6',
    DISPATCH_CONCURRENCY: '1',
    // Far above what one slot sends a second: our own rate limit never defers a send here.
    ZALO_RATE_PER_MINUTE: '60000',
    MESSENGER_RATE_PER_SECOND: '300',
    ...env,
  });
  const sink = new LogSink();
  const app = await startApp(config, { db: testDb, log: pino({ level: 'info', base: undefined }, sink), clock: clock.now, scheduler: false });
  const say: E2eApp['say'] = async (user, body, channel = 'zalo') => {
    const res = await fetch(`${app.url}/api/simulator/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user, channel, ...body }) });
    const json = (await res.json()) as { replies?: OutMessage[] };
    if (res.status !== 200) throw new Error(`simulator answered ${res.status}: ${JSON.stringify(json)}`);
    return json.replies ?? [];
  };
  return {
    ...app,
    testDb,
    logs: sink.lines,
    say,
    async close() {
      await app.stop();
      await testDb.drop();
    },
  };
}

/**
 * The time a webhook of ours says the person wrote: the test clock's, so reply windows are counted on the app's
 * time. The app takes a platform time more than a day ahead of its wall clock for a bad one, so it is kept within
 * 23 hours ahead (on the rare runs where the test clock is further ahead, the person then wrote an hour or so "ago").
 */
export function platformNow(clock: TestClock): number {
  return Math.min(clock.now().getTime(), Date.now() + 23 * HOUR_MS);
}

/** A signed Zalo `user_send_text` event (a query-button tap is the text `#<payload>`); resolves once stored. */
export async function zaloWrites(app: RunningApp, zalo: ZaloDouble, userId: string, text: string, msgId: string, at: number): Promise<void> {
  const body = JSON.stringify({
    app_id: zalo.appId,
    user_id_by_app: `9${userId}`,
    event_name: 'user_send_text',
    timestamp: String(at),
    sender: { id: userId },
    recipient: { id: ZALO_OA_ID },
    message: { msg_id: msgId, text },
  });
  const res = await postWebhook(`${app.url}/webhooks/zalo`, body, { 'x-zevent-signature': signZalo(zalo.appId, body, String(at)) });
  if (res.status !== 200) throw new Error(`Zalo webhook answered ${res.status}`);
}

/** A signed Messenger message (with a quick reply's payload if given); resolves once stored. */
export async function messengerWrites(app: RunningApp, meta: MessengerDouble, psid: string, message: { text: string; quickReply?: string }, mid: string, at: number): Promise<void> {
  const body = JSON.stringify({
    object: 'page',
    entry: [
      {
        id: meta.pageId,
        time: at,
        messaging: [
          {
            sender: { id: psid },
            recipient: { id: meta.pageId },
            timestamp: at,
            message: { mid, text: message.text, ...(message.quickReply ? { quick_reply: { payload: message.quickReply } } : {}) },
          },
        ],
      },
    ],
  });
  const res = await postWebhook(`${app.url}/webhooks/messenger`, body, { 'x-hub-signature-256': signMessenger(body) });
  if (res.status !== 200) throw new Error(`Messenger webhook answered ${res.status}`);
}

/** Waits until the inbound events with these dedupe keys (platform message ids) have been through their turns. */
export async function turnsDone(app: RunningApp, keys: string[], what: string, ms = 90_000): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    const done = await app.db.prisma.inboundEvent.count({ where: { dedupeKey: { in: keys }, status: 'done' } });
    if (done === keys.length) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${done}/${keys.length} turns done`);
    await new Promise((r) => setTimeout(r, 30));
  }
}
