import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { AppError } from '../src/errors.js';

const dataDir = () => mkdtempSync(path.join(tmpdir(), 'cfg-'));

describe('configuration', () => {
  it('defaults to the embedded database in ./data, port 3000, demo data and the simulator', () => {
    const dir = dataDir();
    const c = loadConfig({ DATA_DIR: dir });
    expect(c.port).toBe(3000);
    expect(c.database).toEqual({ kind: 'embedded', dir: path.join(dir, 'pglite') });
    expect([c.seedDemo, c.simulatorEnabled, c.appSecretSource]).toEqual([true, true, 'generated-file']);
  });

  it('keeps the generated demo secret across restarts', () => {
    const dir = dataDir();
    const first = loadConfig({ DATA_DIR: dir }).appSecret;
    expect(loadConfig({ DATA_DIR: dir }).appSecret).toBe(first);
    expect(readFileSync(path.join(dir, 'app-secret.key'), 'utf8').trim()).toBe(first);
  });

  it('stops boot naming APP_SECRET when PostgreSQL is used without it', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgresql://x@localhost/db', DATA_DIR: dataDir() })).toThrow(/APP_SECRET/);
  });

  it('stops boot naming APP_SECRET in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', DATA_DIR: dataDir() })).toThrow(/Missing required secret APP_SECRET/);
  });

  it('names every invalid variable at once', () => {
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', DATA_DIR: dataDir() });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(AppError);
      expect((err as Error).message).toMatch(/PORT/);
      expect((err as Error).message).toMatch(/DATABASE_URL: must be a postgresql:\/\/ URL/);
    }
  });

  it('turns the simulator off in production unless asked for', () => {
    const secret = 'a'.repeat(40);
    const tipKeys = { TIP_ENCRYPTION_KEY: '1'.repeat(64), TIP_HANDLE_KEY: '2'.repeat(64), METRICS_TOKEN: 'm'.repeat(32) };
    expect(loadConfig({ NODE_ENV: 'production', APP_SECRET: secret, ...tipKeys, DATA_DIR: dataDir() }).simulatorEnabled).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', APP_SECRET: secret, ...tipKeys, SIMULATOR_ENABLED: 'true', DATA_DIR: dataDir() }).simulatorEnabled).toBe(true);
  });

  it('does not seed demo data on PostgreSQL unless asked for', () => {
    const c = loadConfig({ DATABASE_URL: 'postgresql://x@localhost/db', APP_SECRET: 'b'.repeat(40), TIP_ENCRYPTION_KEY: '1'.repeat(64), TIP_HANDLE_KEY: '2'.repeat(64), DATA_DIR: dataDir() });
    expect(c.seedDemo).toBe(false);
  });
});

describe('channel settings', () => {
  const base = () => ({ DATA_DIR: dataDir(), APP_SECRET: 'c'.repeat(40) });

  it('turns a channel off when none of its settings are set', () => {
    expect(loadConfig(base()).channels).toEqual({ messenger: null, zalo: null });
  });

  it('stops boot naming what is missing when Messenger is partly configured', () => {
    expect(() => loadConfig({ ...base(), MESSENGER_APP_SECRET: 's', MESSENGER_PAGE_ID: '123' })).toThrow(
      /Messenger is partly configured: set MESSENGER_VERIFY_TOKEN, MESSENGER_PAGE_ACCESS_TOKEN/,
    );
  });

  it('stops boot naming the missing webhook secret when Zalo is partly configured', () => {
    const zalo = { ZALO_APP_ID: '1', ZALO_APP_SECRET: 's', ZALO_OA_ID: '2', ZALO_ACCESS_TOKEN: 'a', ZALO_REFRESH_TOKEN: 'r' };
    expect(() => loadConfig({ ...base(), ...zalo })).toThrow(/Zalo is partly configured: set ZALO_OA_SECRET_KEY/);
  });

  it('enables a fully configured channel with the documented defaults', () => {
    const c = loadConfig({ ...base(), MESSENGER_APP_SECRET: 's', MESSENGER_VERIFY_TOKEN: 'v', MESSENGER_PAGE_ID: '123', MESSENGER_PAGE_ACCESS_TOKEN: 't' });
    expect(c.channels.messenger).toMatchObject({ graphVersion: 'v25.0', graphBaseUrl: 'https://graph.facebook.com', ratePerSecond: 40 });
  });

  it('sends enough at once to fill the fastest channel’s rate limit while each send waits on the platform, unless DISPATCH_CONCURRENCY says', () => {
    const messenger = { MESSENGER_APP_SECRET: 's', MESSENGER_VERIFY_TOKEN: 'v', MESSENGER_PAGE_ID: '123', MESSENGER_PAGE_ACCESS_TOKEN: 't' };
    const zalo = { ZALO_APP_ID: '1', ZALO_APP_SECRET: 'app', ZALO_OA_ID: '2', ZALO_OA_SECRET_KEY: 'oa', ZALO_ACCESS_TOKEN: 'a', ZALO_REFRESH_TOKEN: 'r' };
    expect(loadConfig(base()).dispatcher.concurrency).toBe(8);
    expect(loadConfig({ ...base(), ...messenger }).dispatcher.concurrency).toBe(12); // 40/s × 0.3 s
    expect(loadConfig({ ...base(), ...messenger, MESSENGER_RATE_PER_SECOND: '250' }).dispatcher.concurrency).toBe(75);
    expect(loadConfig({ ...base(), ...zalo }).dispatcher.concurrency).toBe(20); // 4 000/min = 66/s
    expect(loadConfig({ ...base(), ...messenger, MESSENGER_RATE_PER_SECOND: '250', DISPATCH_CONCURRENCY: '5' }).dispatcher.concurrency).toBe(5);
  });

  it('signs Zalo webhooks with the OA secret key unless told to use the app secret', () => {
    const zalo = { ZALO_APP_ID: '1', ZALO_APP_SECRET: 'app', ZALO_OA_ID: '2', ZALO_OA_SECRET_KEY: 'oa', ZALO_ACCESS_TOKEN: 'a', ZALO_REFRESH_TOKEN: 'r' };
    expect(loadConfig({ ...base(), ...zalo }).channels.zalo).toMatchObject({ webhookSecret: 'oa', ratePerMinute: 4000, quietHours: { start: 22, end: 6 } });
    expect(loadConfig({ ...base(), ...zalo, ZALO_WEBHOOK_SIGNING_KEY: 'app_secret' }).channels.zalo?.webhookSecret).toBe('app');
  });
});

describe('HTTP limits and /metrics access', () => {
  const production = () => ({ NODE_ENV: 'production', APP_SECRET: 'd'.repeat(40), TIP_ENCRYPTION_KEY: '1'.repeat(64), TIP_HANDLE_KEY: '2'.repeat(64), DATA_DIR: dataDir() });

  it('limits slow and idle clients by default: request 30 s, headers 10 s, keep-alive 5 s, 1 000 connections', () => {
    expect(loadConfig({ DATA_DIR: dataDir() }).http).toEqual({ requestTimeoutMs: 30_000, headersTimeoutMs: 10_000, keepAliveTimeoutMs: 5_000, maxConnections: 1_000 });
  });

  it('groups webhook inserts by default: up to 256 events per flush, no waiting beyond the flush that runs', () => {
    expect(loadConfig({ DATA_DIR: dataDir() }).ingest).toEqual({ batchMax: 256, batchWaitMs: 0 });
    expect(loadConfig({ DATA_DIR: dataDir(), INGEST_BATCH_MAX: '64', INGEST_BATCH_WAIT_MS: '3' }).ingest).toEqual({ batchMax: 64, batchWaitMs: 3 });
    expect(() => loadConfig({ DATA_DIR: dataDir(), INGEST_BATCH_MAX: '0' })).toThrow(/INGEST_BATCH_MAX/);
  });

  it('takes the limits from the environment', () => {
    const c = loadConfig({ DATA_DIR: dataDir(), HTTP_REQUEST_TIMEOUT_MS: '2000', HTTP_HEADERS_TIMEOUT_MS: '1000', HTTP_KEEP_ALIVE_TIMEOUT_MS: '700', HTTP_MAX_CONNECTIONS: '50' });
    expect(c.http).toEqual({ requestTimeoutMs: 2000, headersTimeoutMs: 1000, keepAliveTimeoutMs: 700, maxConnections: 50 });
  });

  it('refuses a headers timeout longer than the request timeout, and a limit of zero', () => {
    expect(() => loadConfig({ DATA_DIR: dataDir(), HTTP_REQUEST_TIMEOUT_MS: '5000', HTTP_HEADERS_TIMEOUT_MS: '6000' })).toThrow(/HTTP_HEADERS_TIMEOUT_MS must not be larger than HTTP_REQUEST_TIMEOUT_MS/);
    expect(() => loadConfig({ DATA_DIR: dataDir(), HTTP_MAX_CONNECTIONS: '0' })).toThrow(/HTTP_MAX_CONNECTIONS/);
    expect(() => loadConfig({ DATA_DIR: dataDir(), HTTP_REQUEST_TIMEOUT_MS: '0' })).toThrow(/HTTP_REQUEST_TIMEOUT_MS/);
  });

  it('stops boot in production without METRICS_TOKEN, naming it and the way out', () => {
    expect(() => loadConfig(production())).toThrow(/Missing METRICS_TOKEN.*METRICS_PUBLIC=true/s);
  });

  it('boots in production with a metrics token, or with /metrics declared public', () => {
    expect(loadConfig({ ...production(), METRICS_TOKEN: 't'.repeat(32) }).metrics).toEqual({ token: 't'.repeat(32) });
    expect(loadConfig({ ...production(), METRICS_PUBLIC: 'true' }).metrics).toEqual({ token: null });
    expect(() => loadConfig({ ...production(), METRICS_PUBLIC: 'false' })).toThrow(/METRICS_TOKEN/);
  });

  it('leaves /metrics open outside production unless a token is set, and refuses a short token', () => {
    expect(loadConfig({ DATA_DIR: dataDir() }).metrics).toEqual({ token: null });
    expect(() => loadConfig({ DATA_DIR: dataDir(), METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN: must be at least 16 characters/);
  });
});

describe('database pool', () => {
  const pgEnv = { DATABASE_URL: 'postgresql://x@localhost/db', APP_SECRET: 'b'.repeat(40), TIP_ENCRYPTION_KEY: '1'.repeat(64), TIP_HANDLE_KEY: '2'.repeat(64) };

  it('sizes the PostgreSQL pool from DATABASE_POOL_MAX, 20 by default', () => {
    expect(loadConfig({ ...pgEnv, DATA_DIR: dataDir() }).database).toMatchObject({ kind: 'postgres', poolMax: 20 });
    expect(loadConfig({ ...pgEnv, DATA_DIR: dataDir(), DATABASE_POOL_MAX: '40' }).database).toMatchObject({ kind: 'postgres', poolMax: 40 });
  });

  it('refuses a pool of fewer than two connections, naming the key', () => {
    expect(() => loadConfig({ ...pgEnv, DATA_DIR: dataDir(), DATABASE_POOL_MAX: '1' })).toThrow(/DATABASE_POOL_MAX/);
  });
});

describe('empty variables', () => {
  it('treats an empty variable as unset', () => {
    expect(loadConfig({ DATA_DIR: dataDir(), DATABASE_URL: '', PORT: ' ' }).database.kind).toBe('embedded');
  });
});
