import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, PG_URL, type TestDatabase } from '../helpers/db.js';

// A real server process, killed with SIGKILL while messages are arriving, then restarted on the same data.
const ROOT = path.resolve(import.meta.dirname, '../..');
const children: ChildProcess[] = [];
let testDb: TestDatabase | undefined;

afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await testDb?.drop();
});

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function boot(env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', LOG_PRETTY: 'false', LOG_LEVEL: 'warn', POLL_INTERVAL_MS: '50', LEASE_SECONDS: '5', SEND_TIMEOUT_MS: '2000' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(child);
  const url = `http://127.0.0.1:${port}`;
  for (const until = Date.now() + 180_000; Date.now() < until; ) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    const ok = await fetch(`${url}/readyz`).then((r) => r.ok, () => false);
    if (ok) return { child, url };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server did not become ready');
}

async function backlog(url: string): Promise<{ inbox: number; outbox: number; done: number; failed: number }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const n = (metric: string, status: string) => Number(new RegExp(`^${metric}\\{status="${status}"\\} (\\d+)`, 'm').exec(text)?.[1] ?? NaN);
  return {
    inbox: n('bot_inbox_events', 'pending') + n('bot_inbox_events', 'processing'),
    outbox: n('bot_outbox_deliveries', 'pending') + n('bot_outbox_deliveries', 'sending'),
    done: n('bot_inbox_events', 'done'),
    failed: n('bot_inbox_events', 'failed') + n('bot_outbox_deliveries', 'failed'),
  };
}

function post(url: string, user: string, text: string, messageId: string): Promise<Response> {
  return fetch(`${url}/api/simulator/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user, channel: 'zalo', text, messageId }),
  });
}

describe('kill -9 and restart', () => {
  it('processes every acknowledged event (by its exact dedupe key) and leaves no delivery stuck', async () => {
    const env: Record<string, string> = { SEED_DEMO: 'true', APP_SECRET: 'crash-test-secret-crash-test-secret-0000' };
    if (PG_URL) {
      testDb = await createTestDatabase();
      env.DATABASE_URL = testDb.url!;
      Object.assign(env, { TIP_ENCRYPTION_KEY: '1'.repeat(64), TIP_HANDLE_KEY: '2'.repeat(64) });
    } else {
      env.DATA_DIR = mkdtempSync(path.join(tmpdir(), 'crash-'));
    }
    const first = await boot(env);
    const users = Array.from({ length: 20 }, (_, i) => `crash-user-${i}`);
    const acked = new Set<string>();
    // The kill comes once a third of the messages are acknowledged: while the rest are in flight, whatever the speed.
    let killNow!: () => void;
    const enoughAcked = new Promise<void>((r) => (killNow = r));
    const traffic = users.map(async (user) => {
      for (const text of ['xin chào', '1', 'NTT-6A1']) {
        const key = `${user}:${text}`;
        const res = await post(first.url, user, text, key).catch(() => null);
        if (!res) return;
        if (res.status === 200 || res.status === 202) acked.add(key);
        if (acked.size >= 20) killNow();
      }
    });
    await enoughAcked;
    const exited = new Promise((r) => first.child.once('exit', r));
    first.child.kill('SIGKILL');
    await Promise.all([...traffic, exited]);
    const ackedBeforeKill = [...acked];
    expect(ackedBeforeKill.length).toBeGreaterThanOrEqual(20);

    const second = await boot(env);
    // Polled until the backlog is empty, with a generous deadline: two boots and the turns on a busy machine.
    let state = await backlog(second.url);
    for (const until = Date.now() + 240_000; Date.now() < until && (state.inbox > 0 || state.outbox > 0); ) {
      await new Promise((r) => setTimeout(r, 250));
      state = await backlog(second.url);
    }
    expect(state).toMatchObject({ inbox: 0, outbox: 0, failed: 0 });
    expect(state.done).toBeGreaterThanOrEqual(ackedBeforeKill.length);
    // Every acknowledged message, by its exact dedupe key: replaying it is recognised as a duplicate (it was stored
    // once) and answered as complete (its turn ran and its replies went out).
    for (const key of ackedBeforeKill) {
      const [user, text] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
      const res = await post(second.url, user, text, key);
      const body = (await res.json()) as { duplicate: boolean; pending?: boolean };
      expect({ key, status: res.status, duplicate: body.duplicate }).toEqual({ key, status: 200, duplicate: true });
    }
    const stopped = new Promise((r) => second.child.once('exit', (code) => r(code)));
    second.child.kill('SIGTERM');
    expect(await stopped).toBe(0);
  }, 420_000);
});
