import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, splitSchema, type Database } from '../../src/store/database.js';
import { applyMigrations } from '../../src/store/migrator.js';

/** The PostgreSQL server the `test:pg` suite runs against, or undefined for the embedded database. */
export const PG_URL = process.env.DATABASE_URL;

/** A migrated database for one test file: a fresh schema on PostgreSQL, or an in-memory PGlite. */
export interface TestDatabase extends Database {
  /** The URL of the fresh schema (PostgreSQL only), for a second client or a child process. */
  url: string | undefined;
  /** Opens another client on the same database (PostgreSQL only: PGlite is single-connection). */
  openAnother(): Promise<Database>;
  drop(): Promise<void>;
}

/** Creates and migrates a fresh database. */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (!PG_URL) {
    const db = await openDatabase({ kind: 'embedded', dir: 'memory' });
    await applyMigrations(db);
    return { ...db, url: undefined, openAnother: async () => { throw new Error('PGlite has a single connection'); }, drop: () => db.close() };
  }
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const u = new URL(PG_URL);
  u.searchParams.set('schema', schema);
  const url = u.toString();
  const db = await openDatabase({ kind: 'postgres', url });
  await applyMigrations(db);
  const others: Database[] = [];
  return {
    ...db,
    url,
    async openAnother() {
      const other = await openDatabase({ kind: 'postgres', url });
      others.push(other);
      return other;
    },
    async drop() {
      await Promise.all(others.map((o) => o.close()));
      await db.close();
      const client = new pg.Client({ connectionString: splitSchema(PG_URL).url });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    },
  };
}
