// npm run backup:check -- [--out <file>] [--keep-scratch]
// Backs up DATABASE_URL's database (its ?schema=, or public) with pg_dump, restores the dump into a scratch database,
// boots the app on the restored copy and checks /readyz, that every table has the rows it had at the moment of the
// dump, and that the configured TIP_ENCRYPTION_KEY opens the restored tips. The dump file is kept (it is the backup);
// the scratch database is dropped. Key files and secrets are not in the dump: back them up separately.
// Needs pg_dump and pg_restore of the server's major version or newer, and CREATEDB for the scratch database.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { AppError } from '../src/errors.js';
import { createLogger } from '../src/logger.js';
import { startApp } from '../src/main.js';
import { splitSchema } from '../src/store/database.js';
import { TipCipher } from '../src/store/tip-crypto.js';

const { values: args } = parseArgs({ options: { out: { type: 'string' }, 'keep-scratch': { type: 'boolean', default: false } } });
const say = (line: string) => process.stdout.write(`${line}\n`);

/** libpq connection settings for the pg tools: the password in the environment, not on the command line. */
function toolTarget(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  const password = decodeURIComponent(u.password);
  u.password = '';
  return { dbname: u.toString(), env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) } };
}

function run(command: string, argv: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, { env, stdio: ['ignore', 'inherit', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('error', (err) => reject(new Error(`${command}: ${err.message} (is the PostgreSQL client installed?)`)));
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} exited with ${code}: ${stderr.trim()}`))));
  });
}

async function tableCounts(client: pg.Client, schema: string): Promise<Map<string, number>> {
  const tables = await client.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE' ORDER BY table_name`,
    [schema],
  );
  const counts = new Map<string, number>();
  for (const { table_name } of tables.rows) {
    const r = await client.query<{ n: string }>(`SELECT count(*) AS n FROM "${schema}"."${table_name.replaceAll('"', '""')}"`);
    counts.set(table_name, Number(r.rows[0]!.n));
  }
  return counts;
}

async function main(): Promise<number> {
  const env = { ...process.env };
  const config = loadConfig(env);
  if (config.database.kind !== 'postgres') {
    say('backup:check needs DATABASE_URL (PostgreSQL). The embedded database is the folder DATA_DIR/pglite: back it up with the server stopped.');
    return 2;
  }
  const { url: baseUrl, schema: urlSchema } = splitSchema(config.database.url);
  const schema = urlSchema ?? 'public';
  const source = new URL(baseUrl);
  const dbName = decodeURIComponent(source.pathname.slice(1));
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
  const out = path.resolve(args.out ?? path.join('backups', `${dbName}-${schema}-${stamp}.dump`));
  mkdirSync(path.dirname(out), { recursive: true });

  // The counts and the dump see the same moment: pg_dump runs in a snapshot exported by this transaction, so a live
  // server writing meanwhile does not make them differ.
  const holder = new pg.Client({ connectionString: baseUrl });
  await holder.connect();
  let expected: Map<string, number>;
  try {
    await holder.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const snapshot = (await holder.query<{ id: string }>('SELECT pg_export_snapshot() AS id')).rows[0]!.id;
    expected = await tableCounts(holder, schema);
    if (!expected.has('_prisma_migrations')) {
      say(`No _prisma_migrations table in schema "${schema}" of ${dbName}: is DATABASE_URL the bot's database?`);
      return 2;
    }
    const target = toolTarget(baseUrl);
    await run('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', `--schema=${schema}`, `--snapshot=${snapshot}`, `--file=${out}`, `--dbname=${target.dbname}`], target.env);
    await holder.query('COMMIT');
  } finally {
    await holder.end();
  }
  say(`Backup: ${out} (${(statSync(out).size / 1024).toFixed(0)} KB, schema "${schema}" of ${dbName}).`);

  const scratchName = `${dbName}_restore_check_${randomBytes(4).toString('hex')}`.slice(-63);
  const scratch = new URL(baseUrl);
  scratch.pathname = `/${encodeURIComponent(scratchName)}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${scratchName}"`);
  let failures: string[];
  try {
    const target = toolTarget(scratch.toString());
    // The scratch database already has a public schema: restoring one is the one error that means nothing.
    await run('pg_restore', ['--no-owner', '--no-privileges', '--exit-on-error', `--dbname=${target.dbname}`, out], target.env).catch((err: Error) => {
      if (!(schema === 'public' && /schema "public" already exists/.test(err.message))) throw err;
    });
    say(`Restored into scratch database ${scratchName}.`);
    failures = await checkRestored(env, scratch.toString(), schema, expected);
  } finally {
    await admin.query(args['keep-scratch'] ? 'SELECT 1' : `DROP DATABASE IF EXISTS "${scratchName}" WITH (FORCE)`);
    await admin.end();
    say(args['keep-scratch'] ? `Scratch database ${scratchName} kept (--keep-scratch).` : `Scratch database ${scratchName} dropped.`);
  }
  if (failures.length) {
    say(`RESTORE CHECK FAILED:\n  ${failures.join('\n  ')}`);
    return 1;
  }
  say('Restore check passed. Back up DATA_DIR and the secrets (APP_SECRET, TIP_ENCRYPTION_KEY, TIP_HANDLE_KEY) separately: the dump has neither.');
  return 0;
}

/** Boots the app on the restored copy and compares it with the counts taken at the dump. */
async function checkRestored(env: NodeJS.ProcessEnv, scratchUrl: string, schema: string, expected: Map<string, number>): Promise<string[]> {
  const failures: string[] = [];
  const u = new URL(scratchUrl);
  if (schema !== 'public') u.searchParams.set('schema', schema);
  // The copy must never talk to the platforms: no channel (a Zalo refresh would spend production's single-use
  // refresh token), no model, no background loops, no demo seed; loopback on a port of its own.
  const copyEnv = Object.fromEntries(Object.entries(env).filter(([k]) => !/^(MESSENGER|ZALO|OPENAI)_/.test(k)));
  const config = loadConfig({ ...copyEnv, DATABASE_URL: u.toString(), PORT: '0', HOST: '127.0.0.1', SEED_DEMO: 'false', LOG_LEVEL: env.LOG_LEVEL ?? 'warn' });
  const app = await startApp(config, { log: createLogger({ ...config.log, level: 'warn' }), background: false, scheduler: false });
  try {
    const ready = await fetch(`http://127.0.0.1:${app.port}/readyz`);
    const body = await ready.text();
    say(`App on the restored copy: /readyz ${ready.status} ${body}`);
    if (ready.status !== 200) failures.push(`/readyz answered ${ready.status}: ${body}`);

    const client = new pg.Client({ connectionString: scratchUrl });
    await client.connect();
    try {
      const restored = await tableCounts(client, schema);
      say(`${'table'.padEnd(28)} ${'at dump'.padStart(10)} ${'restored'.padStart(10)}`);
      for (const [table, n] of expected) {
        const got = restored.get(table);
        say(`${table.padEnd(28)} ${String(n).padStart(10)} ${String(got ?? 'missing').padStart(10)}${got === n ? '' : '  <- differs'}`);
        if (got !== n) failures.push(`table ${table}: ${n} rows at the dump, ${got ?? 'missing'} restored`);
      }
      // The key must be the one the tips were written with: a backup restored with another key is unreadable.
      const tips = await client.query<{ id: string; descriptionCipher: string }>(`SELECT id, "descriptionCipher" FROM "${schema}"."Tip" ORDER BY "createdAt" DESC LIMIT 20`);
      const cipher = new TipCipher(config.tips.encryptionKey);
      const unreadable = tips.rows.filter((t) => {
        try {
          cipher.open(t.descriptionCipher, `${t.id}:description`);
          return false;
        } catch {
          return true;
        }
      }).length;
      say(`Tips opened with TIP_ENCRYPTION_KEY: ${tips.rows.length - unreadable} of the newest ${tips.rows.length}.`);
      if (unreadable) failures.push(`${unreadable} of the newest ${tips.rows.length} tips do not open with this TIP_ENCRYPTION_KEY: restore the key they were written with`);
    } finally {
      await client.end();
    }
  } finally {
    await app.stop();
  }
  return failures;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`backup:check failed: ${err instanceof AppError || err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
