import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations, createMigration, MIGRATIONS_DIR, pendingMigrations, SCHEMA_FILE } from '../../src/store/migrator.js';
import { openDatabase } from '../../src/store/database.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

describe('migrations', () => {
  it('records every migration in _prisma_migrations with the checksum prisma migrate deploy expects', async () => {
    const rows = await db.prisma.$queryRawUnsafe<{ migration_name: string; checksum: string; finished_at: Date | null }[]>(
      'SELECT migration_name, checksum, finished_at FROM _prisma_migrations ORDER BY migration_name',
    );
    const folders = readdirSync(MIGRATIONS_DIR, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
    expect(rows.map((r) => r.migration_name)).toEqual(folders);
    for (const r of rows) {
      const sql = readFileSync(path.join(MIGRATIONS_DIR, r.migration_name, 'migration.sql'));
      expect(r.checksum).toBe(createHash('sha256').update(sql).digest('hex'));
      expect(r.finished_at).not.toBeNull();
    }
  });

  it('applies nothing the second time and reports no pending migration', async () => {
    expect(await applyMigrations(db)).toEqual([]);
    expect(await pendingMigrations(db)).toEqual([]);
  });

  it('reports a migration folder the database has not applied as pending', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mig-'));
    cpSync(MIGRATIONS_DIR, dir, { recursive: true });
    cpSync(path.join(dir, readdirSync(MIGRATIONS_DIR).find((n) => /^\d/.test(n))!), path.join(dir, '29990101000000_later'), { recursive: true });
    expect(await pendingMigrations(db, dir)).toEqual(['29990101000000_later']);
  });

  it('writes no migration when the schema matches the migrations', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mig-'));
    cpSync(MIGRATIONS_DIR, dir, { recursive: true });
    expect(await createMigration('nothing', { dir })).toBeNull();
  });

  it('writes a new migration folder from a schema change, offline, that then applies', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mig-'));
    cpSync(MIGRATIONS_DIR, dir, { recursive: true });
    const schemaFile = path.join(dir, 'schema.prisma');
    writeFileSync(schemaFile, readFileSync(SCHEMA_FILE, 'utf8') + '\nmodel Probe {\n  id   Int    @id\n  note String\n}\n');
    const created = await createMigration('add_probe', { dir, schemaFile, now: new Date('2099-01-02T03:04:05Z') });
    expect(created?.folder).toBe('20990102030405_add_probe');
    expect(created?.sql).toContain('CREATE TABLE "Probe"');
    expect(readFileSync(path.join(dir, '20990102030405_add_probe', 'migration.sql'), 'utf8')).toBe(created?.sql);
    const scratch = await openDatabase({ kind: 'embedded', dir: 'memory' });
    try {
      const applied = await applyMigrations(scratch, dir);
      expect(applied.at(-1)).toBe('20990102030405_add_probe');
      await scratch.prisma.$executeRawUnsafe(`INSERT INTO "Probe" ("id", "note") VALUES (1, 'ok')`);
    } finally {
      await scratch.close();
    }
  });
});
