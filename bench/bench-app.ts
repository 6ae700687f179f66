// Boots the real app for the benchmark: a fresh migrated database (embedded, or a fresh PostgreSQL schema when
// DATABASE_URL is set), the demo data, Messenger pointed at the Send API double, worker and dispatcher running.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { startApp, type RunningApp } from '../src/main.js';
import { createTestDatabase, type TestDatabase } from '../test/helpers/db.js';
import { startMessengerDouble, type MessengerDouble } from '../test/doubles/messenger-double.js';
import { MESSENGER_APP_SECRET, messengerEnv } from '../test/helpers/channels.js';

export { MESSENGER_APP_SECRET };

/** The app under test and everything it was started with. */
export interface BenchApp {
  app: RunningApp;
  db: TestDatabase;
  double: MessengerDouble;
  pageId: string;
  /** Stops the app (worker and dispatcher finish what is in flight), the double, and drops the database. */
  close(): Promise<void>;
}

/**
 * Starts the app on a fresh database; `logLevel` 'warn' or 'silent', logs to stderr; worker and dispatcher on unless
 * `background` is false; `env` adds or overrides settings (e.g. MESSENGER_RATE_PER_SECOND).
 */
export async function startBenchApp(logLevel: string, background = true, env: Record<string, string> = {}): Promise<BenchApp> {
  const db = await createTestDatabase();
  const double = await startMessengerDouble();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'ssb-bench-'));
  try {
    const config = loadConfig({
      // 'test' rather than 'production': no secret beyond APP_SECRET is required, generated keys go to the temp DATA_DIR.
      NODE_ENV: 'test',
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      APP_SECRET: 'bench-secret-bench-secret-bench-secret-0123',
      // Set so the app does not warn about generating them (ignored by a config that does not know them).
      TIP_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      TIP_HANDLE_KEY: randomBytes(32).toString('hex'),
      SEED_DEMO: 'true',
      SIMULATOR_ENABLED: 'false',
      LOG_LEVEL: logLevel as 'warn',
      LOG_PRETTY: 'false',
      ...messengerEnv(double),
      // Experiments: BENCH_WORKER_CONCURRENCY / BENCH_DISPATCH_CONCURRENCY override the app's defaults.
      ...(process.env.BENCH_WORKER_CONCURRENCY ? { WORKER_CONCURRENCY: process.env.BENCH_WORKER_CONCURRENCY } : {}),
      ...(process.env.BENCH_DISPATCH_CONCURRENCY ? { DISPATCH_CONCURRENCY: process.env.BENCH_DISPATCH_CONCURRENCY } : {}),
      ...env,
    });
    const log = createLogger(config.log, process.stderr);
    const app = await startApp(config, { db, log, background });
    let closed: Promise<void> | undefined;
    return {
      app,
      db,
      double,
      pageId: double.pageId,
      close: () =>
        (closed ??= (async () => {
          await app.stop();
          await double.close();
          await db.drop();
          rmSync(dataDir, { recursive: true, force: true });
        })()),
    };
  } catch (err) {
    await double.close();
    await db.drop();
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
}

/** Where the app's data lives, for the report (no credentials). */
export function describeDatabase(db: TestDatabase): string {
  if (!db.url) return 'embedded PGlite (in-memory, in a worker thread of this process)';
  const u = new URL(db.url);
  return `PostgreSQL ${u.hostname}:${u.port || '5432'}${u.pathname} schema ${u.searchParams.get('schema') ?? 'public'}`;
}
