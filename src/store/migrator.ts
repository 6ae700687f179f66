import { readdir, readFile, mkdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import type { MigrationList, SchemaEngine } from '@prisma/schema-engine-wasm';
import { openDatabase, type Database } from './database.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Folder of migrations in `prisma migrate` format. */
export const MIGRATIONS_DIR = path.join(ROOT, 'prisma', 'migrations');
/** The one Prisma schema. */
export const SCHEMA_FILE = path.join(ROOT, 'prisma', 'schema.prisma');
const NO_FILTER = { externalTables: [], externalEnums: [] };

type EngineModule = typeof import('@prisma/schema-engine-wasm/schema_engine_bg');
let engineModule: Promise<EngineModule> | undefined;

// The package is a bundler build: its wasm has to be instantiated by hand (see shared/PLATFORMS.md, Tooling facts).
async function loadEngineModule(): Promise<EngineModule> {
  engineModule ??= (async () => {
    const bg = await import('@prisma/schema-engine-wasm/schema_engine_bg');
    const require = createRequire(import.meta.url);
    const wasmPath = path.join(path.dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg')), 'schema_engine_bg.wasm');
    const { instance } = await WebAssembly.instantiate(await readFile(wasmPath), { './schema_engine_bg.js': bg });
    bg.__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start?: () => void }).__wbindgen_start?.();
    return bg;
  })();
  return engineModule;
}

/** Runs `fn` with a schema engine on a connection of its own, closed afterwards (which frees the engine's lock). */
async function withEngine<T>(db: Database, schema: string, fn: (engine: SchemaEngine) => Promise<T>): Promise<T> {
  const bg = await loadEngineModule();
  const adapter = await db.openMigrationAdapter();
  try {
    const factory = bindMigrationAwareSqlAdapterFactory(adapter.factory);
    // The engine logs JSON lines through this callback; they are only useful when debugging the engine itself.
    const engine = await bg.SchemaEngine.new({ datamodels: [['schema.prisma', schema]] }, () => {}, factory);
    return await fn(engine);
  } finally {
    await adapter.close();
  }
}

/** Reads prisma/migrations into the engine's input shape. */
export async function readMigrations(dir = MIGRATIONS_DIR): Promise<MigrationList> {
  const entries = existsSync(dir) ? await readdir(dir, { withFileTypes: true }) : [];
  const folders = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  const migrationDirectories = await Promise.all(
    folders.map(async (folder) => ({
      path: folder,
      migrationFile: {
        path: 'migration.sql',
        content: { tag: 'ok' as const, value: await readFile(path.join(dir, folder, 'migration.sql'), 'utf8') },
      },
    })),
  );
  const lockPath = path.join(dir, 'migration_lock.toml');
  return {
    baseDir: dir,
    lockfile: { path: 'migration_lock.toml', content: existsSync(lockPath) ? await readFile(lockPath, 'utf8') : null },
    shadowDbInitScript: '',
    migrationDirectories,
  };
}

/**
 * Applies every pending migration. On PostgreSQL the engine holds Prisma's advisory lock while it works,
 * so replicas booting together apply each migration once.
 */
export async function applyMigrations(db: Database, dir = MIGRATIONS_DIR): Promise<string[]> {
  const list = await readMigrations(dir);
  return withEngine(db, await readFile(SCHEMA_FILE, 'utf8'), async (engine) => {
    const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList: list, filters: NO_FILTER });
    return appliedMigrationNames;
  });
}

/** Names of migrations in the folder that the database has not finished applying (empty when ready). */
export async function pendingMigrations(db: Database, dir = MIGRATIONS_DIR): Promise<string[]> {
  const list = await readMigrations(dir);
  let applied: Set<string>;
  try {
    const rows = await db.prisma.$queryRawUnsafe<{ migration_name: string }[]>(
      'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
    );
    applied = new Set(rows.map((r) => r.migration_name));
  } catch {
    applied = new Set();
  }
  return list.migrationDirectories.map((d) => d.path).filter((name) => !applied.has(name));
}

/**
 * Writes a new migration from the difference between the existing migrations and the schema.
 * Works offline: the existing migrations are replayed into an in-memory PGlite, then diffed against the schema.
 */
export async function createMigration(
  name: string,
  opts: { dir?: string; schemaFile?: string; now?: Date } = {},
): Promise<{ folder: string; sql: string } | null> {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error('Migration name: lowercase letters, digits and underscores only');
  const dir = opts.dir ?? MIGRATIONS_DIR;
  const schema = await readFile(opts.schemaFile ?? SCHEMA_FILE, 'utf8');
  const scratch = await openDatabase({ kind: 'embedded', dir: 'memory' });
  try {
    const files = [{ path: 'schema.prisma', content: schema }];
    const migrations = await readMigrations(dir);
    const result = await withEngine(scratch, schema, async (engine) => {
      await engine.applyMigrations({ migrationsList: migrations, filters: NO_FILTER });
      return engine.diff({
        from: { tag: 'schemaDatasource', files, configDir: ROOT },
        to: { tag: 'schemaDatamodel', files },
        script: true,
        exitCode: null,
        filters: NO_FILTER,
      });
    });
    const sql = result.stdout ?? '';
    if (!sql.trim() || /^-- This is an empty migration/.test(sql.trim())) return null;
    const stamp = (opts.now ?? new Date()).toISOString().replace(/[-:T]/g, '').slice(0, 14);
    const folder = `${stamp}_${name}`;
    await mkdir(path.join(dir, folder), { recursive: true });
    await writeFile(path.join(dir, folder, 'migration.sql'), sql);
    const lock = path.join(dir, 'migration_lock.toml');
    if (!existsSync(lock)) {
      await writeFile(lock, '# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "postgresql"\n');
    }
    return { folder, sql };
  } finally {
    await scratch.close();
  }
}
