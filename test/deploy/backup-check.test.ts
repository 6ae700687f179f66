// npm run backup:check on PostgreSQL: a demo district with one web tip is dumped, restored into a scratch database and
// booted; the script passes with the right keys, fails naming TIP_ENCRYPTION_KEY with another one, and leaves no
// scratch database behind. PostgreSQL only (the script needs pg_dump and DATABASE_URL).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { startApp, type RunningApp } from '../../src/main.js';
import { createTestDatabase, PG_URL, type TestDatabase } from '../helpers/db.js';
import { productionSecrets, query } from './helpers/server-process.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
let db: TestDatabase | undefined;
let app: RunningApp | undefined;
let dir: string | undefined;

afterAll(async () => {
  await app?.stop();
  await db?.drop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Runs the script as an operator would (`npm run backup:check -- …`); resolves with its exit code and output. */
function backupCheck(env: Record<string, string>, argv: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/backup-check.ts', ...argv], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', LOG_PRETTY: 'false', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.once('exit', (code) => resolve({ code, output }));
  });
}

describe.skipIf(!PG_URL)('npm run backup:check', () => {
  it('dumps, restores into a scratch database, boots on it and finds every row; another tip key fails it', { timeout: 300_000 }, async () => {
    db = await createTestDatabase();
    dir = mkdtempSync(path.join(tmpdir(), 'ssb-backup-'));
    const secrets = productionSecrets();
    const env = { NODE_ENV: 'production', DATABASE_URL: db.url!, DATA_DIR: path.join(dir, 'data'), ...secrets };
    app = await startApp(loadConfig({ ...env, PORT: '0', HOST: '127.0.0.1', SEED_DEMO: 'true' }), {
      db,
      log: pino({ level: 'silent' }, new Writable({ write: (_c, _e, cb) => cb() })),
      background: false,
    });
    const tip = await fetch(`http://127.0.0.1:${app.port}/tip`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ category: 'drugs', description: 'Có người lạ mời học sinh dùng thuốc lá điện tử ở cổng sau.', place: 'cổng sau', urgent: 'no' }),
    });
    expect(tip.status).toBe(200);
    const [{ n: tips }] = await query<{ n: string }>(db.url!, `SELECT count(*) AS n FROM "${db.schema}"."Tip"`) as [{ n: string }];
    expect(Number(tips)).toBe(1);

    const out = path.join(dir, 'backup.dump');
    const good = await backupCheck(env, ['--out', out]);
    expect({ code: good.code, passed: good.output.includes('Restore check passed') }, good.output).toEqual({ code: 0, passed: true });
    expect(existsSync(out)).toBe(true);
    expect(good.output).toMatch(/\/readyz 200/);
    expect(good.output).toMatch(/^Tip\s+1\s+1$/m);
    expect(good.output).toMatch(/^School\s+(\d+)\s+\1$/m);
    expect(good.output).toMatch(/Tips opened with TIP_ENCRYPTION_KEY: 1 of the newest 1\./);

    const wrongKey = await backupCheck({ ...env, TIP_ENCRYPTION_KEY: productionSecrets().TIP_ENCRYPTION_KEY! }, ['--out', path.join(dir, 'second.dump')]);
    expect(wrongKey.code, wrongKey.output).toBe(1);
    expect(wrongKey.output).toMatch(/1 of the newest 1 tips do not open with this TIP_ENCRYPTION_KEY/);

    const scratch = [...(good.output + wrongKey.output).matchAll(/scratch database (\S+)\./gi)].map((m) => m[1]!);
    expect(scratch.length).toBeGreaterThanOrEqual(2);
    const left = await query<{ datname: string }>(PG_URL!, 'SELECT datname FROM pg_database WHERE datname = ANY($1)', [scratch]);
    expect(left).toEqual([]);
  });
});
