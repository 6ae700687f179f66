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
    expect(loadConfig({ NODE_ENV: 'production', APP_SECRET: secret, DATA_DIR: dataDir() }).simulatorEnabled).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', APP_SECRET: secret, SIMULATOR_ENABLED: 'true', DATA_DIR: dataDir() }).simulatorEnabled).toBe(true);
  });

  it('does not seed demo data on PostgreSQL unless asked for', () => {
    const c = loadConfig({ DATABASE_URL: 'postgresql://x@localhost/db', APP_SECRET: 'b'.repeat(40), DATA_DIR: dataDir() });
    expect(c.seedDemo).toBe(false);
  });
});
