import { mkdirSync } from 'node:fs';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import pg from 'pg';
import { PGliteThread } from './embedded/pglite-proxy.js';
import { PrismaClient } from './generated/client.js';
import { directParams } from './sql-text.js';

export type { PrismaClient };
/** A Prisma client or the client of an open interactive transaction. */
export type Db = Omit<PrismaClient, '$connect' | '$disconnect' | '$on' | '$transaction' | '$extends'>;

/** Where the data lives: embedded PGlite in a folder (or memory), or a PostgreSQL URL. */
export type DatabaseTarget = { kind: 'embedded'; dir: string | 'memory' } | { kind: 'postgres'; url: string; poolMax?: number };

/**
 * One autocommit statement outside Prisma, for the hottest write (the webhook insert): `$1…` parameters, rows as
 * objects; a database error carries its SQLSTATE in `code`. On the embedded database it runs as soon as the current
 * transaction ends, ahead of every queued one, so a webhook never waits behind the turns and dispatches.
 */
export type IngestQuery = <T>(sql: string, params: unknown[]) => Promise<T[]>;

/**
 * One autocommit statement outside Prisma's query pipeline, for the turn's hot path (`TurnRepo.read`/`finish`): one
 * Prisma `$queryRaw` costs about ten times the CPU of the same statement on the driver. `$1…` parameters (dates
 * are sent as ISO strings and bigints as text, so the SQL casts them); rows come back as Prisma returns them:
 * `timestamp` as a UTC Date, int8 as bigint, json as values. Never inside a transaction: it has its own connection.
 */
export type DirectQuery = <T>(sql: string, params: unknown[]) => Promise<T[]>;

/** Connections of one pool right now (for /metrics). */
export interface PoolStats {
  pool: string;
  inUse: number;
  idle: number;
  /** Requests waiting for a connection (embedded: statements queued behind the one running). */
  waiting: number;
}

/** An open database: the Prisma client, the adapter factory (for the migrator) and how to close both. */
export interface Database {
  kind: DatabaseTarget['kind'];
  prisma: PrismaClient;
  adapterFactory: SqlMigrationAwareDriverAdapterFactory;
  /** The PostgreSQL schema in use (from `?schema=` of the URL), or undefined for the default. */
  schema: string | undefined;
  ingestQuery: IngestQuery;
  direct: DirectQuery;
  /**
   * An adapter for the schema engine on a connection of its own. The wasm engine takes Prisma's advisory lock and
   * never releases it; closing this connection does, so other replicas can migrate and boot.
   */
  openMigrationAdapter(): Promise<{ factory: SqlMigrationAwareDriverAdapterFactory; close(): Promise<void> }>;
  /** Use of each connection pool (PostgreSQL: Prisma's, the ingest and the direct pool; embedded: its one connection). */
  poolStats(): PoolStats[];
  close(): Promise<void>;
}

// Interactive transactions wait for PGlite's single connection; give them room under load.
const TX_OPTIONS = { maxWait: 20_000, timeout: 30_000 };

/** Opens the database named by the target. PostgreSQL URLs may carry `?schema=name` (created if missing). */
export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  if (target.kind === 'embedded') {
    if (target.dir !== 'memory') mkdirSync(target.dir, { recursive: true });
    // PGlite runs in a thread of its own: its WebAssembly work would otherwise stall every request of this process.
    const adapterFactory = await PGliteThread.open(target.dir);
    const prisma = new PrismaClient({ adapter: adapterFactory, transactionOptions: TX_OPTIONS });
    return {
      kind: 'embedded',
      prisma,
      adapterFactory,
      schema: undefined,
      ingestQuery: (sql, params) => adapterFactory.ingestQuery(sql, params),
      direct: (sql, params) => adapterFactory.directQuery(sql, directParams(params)),
      // PGlite is one connection in this process: nothing to lock against, nothing to release.
      openMigrationAdapter: async () => ({ factory: adapterFactory, close: async () => {} }),
      // Statements sent to the database thread and not answered yet: one runs, the others wait for the connection.
      poolStats: () => {
        const n = adapterFactory.inFlight();
        return [{ pool: 'embedded', inUse: Math.min(1, n), idle: n > 0 ? 0 : 1, waiting: Math.max(0, n - 1) }];
      },
      async close() {
        await prisma.$disconnect();
        await adapterFactory.close();
      },
    };
  }

  const { url, schema } = splitSchema(target.url);
  if (schema) await ensureSchema(url, schema);
  const poolConfig: pg.PoolConfig = {
    connectionString: url,
    max: target.poolMax ?? 20,
    ...(schema ? { options: `-c search_path="${schema}"` } : {}),
  };
  // Prisma's pool is made here (not by the adapter) so /metrics can see its use; it is ended in `close`.
  const prismaPool = new pg.Pool(poolConfig);
  prismaPool.on('error', () => {
    // The adapter logs idle-client errors while connected; a broken idle connection is dropped and replaced.
  });
  const adapterFactory = new PrismaPg(prismaPool, schema ? { schema } : undefined);
  // The webhook insert has connections of its own: it never queues for one behind turns and dispatches (which hold
  // theirs for a transaction), and it skips Prisma's query pipeline, which costs more than the insert itself.
  // One flush runs at a time (ingest-batcher.ts), so one connection is enough.
  const ingestPool = new pg.Pool({ ...poolConfig, max: 1 });
  ingestPool.on('error', () => {
    // An idle connection that broke (a restarted server) is dropped by the pool; the next insert opens another.
  });
  // The turn's statements outside Prisma: a pool of their own (each is one autocommit statement), typed as Prisma types.
  const directPool = new pg.Pool({ ...poolConfig, max: Math.max(2, Math.ceil((target.poolMax ?? 20) / 2)), types: { getTypeParser: directTypeParser } });
  directPool.on('error', () => {
    // As for the ingest pool: a broken idle connection is dropped and replaced on the next statement.
  });
  const prisma = new PrismaClient({ adapter: adapterFactory, transactionOptions: TX_OPTIONS });
  return {
    kind: 'postgres',
    prisma,
    adapterFactory,
    schema,
    ingestQuery: async <T>(sql: string, params: unknown[]) => (await ingestPool.query(statementOf(sql, params))).rows as T[],
    direct: async <T>(sql: string, params: unknown[]) => (await directPool.query(statementOf(sql, directParams(params)))).rows as T[],
    async openMigrationAdapter() {
      const pool = new pg.Pool({ ...poolConfig, max: 1 });
      return { factory: new PrismaPg(pool, schema ? { schema } : undefined), close: () => pool.end() };
    },
    poolStats: () => [poolStatsOf('prisma', prismaPool), poolStatsOf('ingest', ingestPool), poolStatsOf('direct', directPool)],
    async close() {
      await prisma.$disconnect();
      await prismaPool.end();
      await ingestPool.end();
      await directPool.end();
    },
  };
}

function poolStatsOf(pool: string, p: pg.Pool): PoolStats {
  return { pool, inUse: p.totalCount - p.idleCount, idle: p.idleCount, waiting: p.waitingCount };
}

// The hot statements (ingest, claims, a turn's read and finish) are a few texts run thousands of times: named, each
// connection parses and plans them once instead of on every call (the turn's finish is a long CTE). Texts beyond the
// first MAX_NAMED (e.g. multi-row inserts of many sizes) run unnamed, so the server's per-connection cache stays small.
const MAX_NAMED = 200;
const statementNames = new Map<string, string>();

function statementOf(text: string, values: unknown[]): { text: string; values: unknown[]; name?: string } {
  let name = statementNames.get(text);
  if (name === undefined && statementNames.size < MAX_NAMED) statementNames.set(text, (name = `ssb_${statementNames.size}`));
  return name === undefined ? { text, values } : { name, text, values };
}

const TIMESTAMP_OID = 1114;
const INT8_OID = 20;

// Columns are `timestamp(3)` holding UTC (Prisma's convention); node-postgres would read them in local time.
function directTypeParser(oid: number, format?: string): (value: string) => unknown {
  if (oid === TIMESTAMP_OID) return (value) => new Date(`${value.replace(' ', 'T')}Z`);
  if (oid === INT8_OID) return (value) => BigInt(value);
  return pg.types.getTypeParser(oid, (format ?? 'text') as 'text');
}

/** Removes Prisma's `schema` parameter from a URL (node-postgres does not know it) and returns it separately. */
export function splitSchema(raw: string): { url: string; schema: string | undefined } {
  const u = new URL(raw);
  const schema = u.searchParams.get('schema') ?? undefined;
  u.searchParams.delete('schema');
  if (schema !== undefined && !/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) {
    throw new Error(`Invalid schema name in DATABASE_URL: ${schema}`);
  }
  return { url: u.toString(), schema };
}

async function ensureSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  } catch (err) {
    // Replicas booting together on a new schema: IF NOT EXISTS does not stop two creations racing, the loser fails
    // on pg_namespace's unique index (23505) or as a duplicate (42P06), and the schema is there either way.
    const code = (err as { code?: string }).code;
    if (code !== '23505' && code !== '42P06') throw err;
  } finally {
    await client.end();
  }
}
