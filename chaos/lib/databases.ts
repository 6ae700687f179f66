// The databases a scenario runs on, and the runner's own connection to them for ground truth (rows, not counters).
// PostgreSQL: a fresh schema in the shared `test` database (as the test suite does), or for the restart scenario a
// database of its own, so terminating "every backend of the app's database" touches no other client of the server.
// Embedded: a DATA_DIR on disk; the runner opens it only while no server process has it open (PGlite is one process).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/store/database.js';
import { applyMigrations } from '../../src/store/migrator.js';

/** The PostgreSQL server (trust auth): CHAOS_DATABASE_URL, else DATABASE_URL, else the CI default. */
export const PG_BASE = process.env.CHAOS_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';

/** A database a server process is started on: its settings, and how the runner reads it. */
export interface ChaosDatabase {
  kind: 'postgres' | 'embedded';
  /** Settings for the server process (DATABASE_URL or DATA_DIR). */
  env: Record<string, string>;
  /** The runner's connection (PostgreSQL: always; embedded: call while no server runs, close before one starts). */
  open(): Promise<Database>;
  drop(): Promise<void>;
}

/** A fresh, migrated schema in the shared database. */
export async function freshSchema(): Promise<ChaosDatabase> {
  const schema = `chaos_${randomBytes(5).toString('hex')}`;
  const u = new URL(PG_BASE);
  u.searchParams.set('schema', schema);
  const url = u.toString();
  const db = await openDatabase({ kind: 'postgres', url, poolMax: 4 });
  await applyMigrations(db);
  return {
    kind: 'postgres',
    env: { DATABASE_URL: url },
    open: async () => db,
    async drop() {
      await db.close();
      await adminQuery(PG_BASE, `DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    },
  };
}

/** A database of its own on the PostgreSQL server (for the restart scenario), migrated. */
export async function ownDatabase(): Promise<ChaosDatabase & { name: string; adminUrl: string }> {
  const name = `chaos_${Date.now()}_${randomBytes(3).toString('hex')}`;
  await adminQuery(PG_BASE, `CREATE DATABASE "${name}"`);
  const u = new URL(PG_BASE);
  u.pathname = `/${name}`;
  u.search = '';
  const url = u.toString();
  const db = await openDatabase({ kind: 'postgres', url, poolMax: 4 });
  await applyMigrations(db);
  return {
    kind: 'postgres',
    name,
    adminUrl: PG_BASE,
    env: { DATABASE_URL: url },
    open: async () => db,
    async drop() {
      await db.close().catch(() => {});
      await adminQuery(PG_BASE, `ALTER DATABASE "${name}" WITH ALLOW_CONNECTIONS true`).catch(() => {});
      await adminQuery(PG_BASE, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  };
}

/** An embedded database in a fresh DATA_DIR; the first server boot creates and migrates it. */
export function embeddedDir(): ChaosDatabase {
  const dir = mkdtempSync(path.join(tmpdir(), 'chaos-embedded-'));
  return {
    kind: 'embedded',
    env: { DATA_DIR: dir },
    open: () => openDatabase({ kind: 'embedded', dir: path.join(dir, 'pglite') }),
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** One statement on a connection of its own (outside any app database), e.g. CREATE DATABASE or pg_terminate_backend. */
export async function adminQuery<T = Record<string, unknown>>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const u = new URL(url);
  u.searchParams.delete('schema');
  const client = new pg.Client({ connectionString: u.toString(), application_name: 'chaos-runner' });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}
