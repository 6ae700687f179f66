import { Writable } from 'node:stream';
import { pino } from 'pino';
import { loadConfig } from '../../src/config.js';
import { startApp, type RunningApp, type StartOptions } from '../../src/main.js';
import type { OutMessage } from '../../src/content/messages.schema.js';
import { createTestDatabase, type TestDatabase } from './db.js';

/** Log lines a test can inspect. */
export class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    cb();
  }
}

/** A running app on a fresh database, on a random port, with captured logs. */
export interface TestApp extends RunningApp {
  testDb: TestDatabase;
  logs: LogCapture;
  /** Sends one simulator message and returns the HTTP status and JSON body. */
  say(user: string, body: { text?: string; payload?: string; ref?: string; messageId?: string }, channel?: 'zalo' | 'messenger'): Promise<{ status: number; replies: OutMessage[]; body: any }>;
  close(): Promise<void>;
}

/** Starts the real app (migrations, demo seed, worker, dispatcher, HTTP) for a test file. */
export async function startTestApp(env: Record<string, string> = {}, opts: { logLevel?: string } & Pick<StartOptions, 'fetchImage'> = {}): Promise<TestApp> {
  const testDb = await createTestDatabase();
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: `/tmp/ssb-test-${process.pid}`,
    APP_SECRET: 'test-secret-test-secret-test-secret-0123',
    SEED_DEMO: 'true',
    POLL_INTERVAL_MS: '50',
    ...env,
  });
  const logs = new LogCapture();
  const log = pino({ level: opts.logLevel ?? 'info', base: undefined }, logs);
  const app = await startApp(config, { db: testDb, log, ...(opts.fetchImage ? { fetchImage: opts.fetchImage } : {}) });
  const say: TestApp['say'] = async (user, body, channel = 'zalo') => {
    const res = await fetch(`${app.url}/api/simulator/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user, channel, ...body }),
    });
    const json = (await res.json()) as any;
    return { status: res.status, replies: json.replies ?? [], body: json };
  };
  return {
    ...app,
    testDb,
    logs,
    say,
    async close() {
      await app.stop();
      await testDb.drop();
    },
  };
}

/** All the text a list of replies shows (texts and button captions). */
export function textOf(replies: OutMessage[]): string {
  return replies.map((r) => (r.type === 'text' || r.type === 'buttons' ? r.text : r.type === 'link' ? r.title : r.caption ?? '')).join('\n');
}

/** The payload of the button with this title, failing loudly when there is none. */
export function button(replies: OutMessage[], title: string): string {
  for (const r of replies) {
    if (r.type === 'buttons') {
      const b = r.buttons.find((x) => x.title === title);
      if (b) return b.payload;
    }
  }
  throw new Error(`No button "${title}" in: ${JSON.stringify(replies)}`);
}
