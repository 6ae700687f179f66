// Upgrades: three replicas start at once on an empty PostgreSQL schema. Each migrates at boot; they must all become
// ready with every migration applied exactly once. PostgreSQL only (the embedded database is one process's).
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/database.js';
import { readMigrations } from '../../src/store/migrator.js';
import { PG_URL } from '../helpers/db.js';
import { dropSchema, freshSchemaUrl, productionSecrets, query, startServerProcess, type ServerProcess } from './helpers/server-process.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const REPLICAS = 3;
const servers: ServerProcess[] = [];
let schema: string | undefined;
const schemas: string[] = [];

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  if (PG_URL) for (const name of [schema, ...schemas]) if (name) await dropSchema(PG_URL, name);
});

describe.skipIf(!PG_URL)('three replicas starting at once on an empty database', () => {
  it('all become ready, and each migration is applied once', { timeout: 300_000 }, async () => {
    const fresh = freshSchemaUrl(PG_URL!, 'mig');
    schema = fresh.schema;
    const env = { NODE_ENV: 'production', DATABASE_URL: fresh.url, ...productionSecrets(), LOG_LEVEL: 'info', DATA_DIR: `/tmp/ssb-mig-${process.pid}` };
    for (let i = 0; i < REPLICAS; i++) {
      servers.push(await startServerProcess({ cwd: ROOT, command: process.execPath, args: ['--import', 'tsx', 'src/main.ts'], env, deadlineMs: 240_000 }));
    }
    await Promise.all(servers.map((s) => s.listening));
    for (const s of servers) {
      const res = await fetch(`${s.url}/readyz`);
      expect({ status: res.status, body: await res.json() }).toEqual({ status: 200, body: { status: 'ready' } });
    }

    const expected = (await readMigrations()).migrationDirectories.map((d) => d.path);
    const rows = await query<{ migration_name: string; finished: boolean; rolled_back: boolean; applied_steps_count: number }>(
      PG_URL!,
      `SELECT migration_name, finished_at IS NOT NULL AS finished, rolled_back_at IS NOT NULL AS rolled_back, applied_steps_count FROM "${schema}"._prisma_migrations ORDER BY migration_name`,
    );
    expect(rows.map((r) => r.migration_name)).toEqual(expected);
    expect(rows.every((r) => r.finished && !r.rolled_back && r.applied_steps_count === 1)).toBe(true);
    // The log says who did the work: the migrations were applied by the replicas together exactly once.
    const applied = servers.flatMap((s) => s.lines.map((l) => JSON.parse(l) as { msg?: string; applied?: string[] }).filter((l) => l.msg === 'migrations applied').flatMap((l) => l.applied ?? []));
    expect(applied.sort()).toEqual(expected);

    const codes = await Promise.all(servers.map((s) => s.stop()));
    expect(codes).toEqual(Array(REPLICAS).fill(0));
  });

  // The processes above reach CREATE SCHEMA a few hundred ms apart; opened together in one process they collide
  // (CREATE SCHEMA IF NOT EXISTS races on pg_namespace's unique index), which boot must survive.
  it('opens a new schema from several clients at the same moment', async () => {
    for (let round = 0; round < 5; round++) {
      const fresh = freshSchemaUrl(PG_URL!, 'race');
      schemas.push(fresh.schema);
      const opened = await Promise.allSettled(Array.from({ length: 4 }, () => openDatabase({ kind: 'postgres', url: fresh.url })));
      await Promise.all(opened.map((o) => (o.status === 'fulfilled' ? o.value.close() : undefined)));
      expect(opened.map((o) => (o.status === 'fulfilled' ? 'opened' : String(o.reason)))).toEqual(Array(4).fill('opened'));
    }
  });
});
