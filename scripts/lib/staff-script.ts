// What the staff scripts (admin:create, staff:link) share: their options, read strictly with the usage shown on a
// mistake, and the configured database, opened only when every migration is applied and always closed again.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { loadConfig, type Config } from '../../src/config.js';
import { openDatabase, type Database } from '../../src/store/database.js';
import { pendingMigrations } from '../../src/store/migrator.js';

/** A script's options, as `parseArgs` takes them. */
export type ScriptOptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** The values of a script's options as `parseArgs` reads them (strict, no positionals). */
export type ScriptValues<O extends ScriptOptionsConfig> = ReturnType<typeof parseArgs<{ options: O; strict: true }>>['values'];

/**
 * Reads the script's options from the command line. An unknown option or a missing value (`--help` too) prints the
 * error and `usage` on stderr; a `required` option left out prints `usage`; both exit with code 2.
 */
export function scriptOptions<const O extends ScriptOptionsConfig, R extends keyof ScriptValues<O>>(
  usage: string,
  options: O,
  required: readonly R[],
): ScriptValues<O> & Record<R, string> {
  let values: ScriptValues<O>;
  try {
    values = parseArgs({ options, strict: true }).values;
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n${usage}`);
    process.exit(2);
  }
  if (required.some((name) => !values[name])) {
    process.stderr.write(usage);
    process.exit(2);
  }
  return values as ScriptValues<O> & Record<R, string>;
}

/**
 * Opens the configured database (DATABASE_URL, or the embedded one in DATA_DIR), runs `work` on it when every
 * migration is applied, and closes it. With migrations pending it says so on stderr and the exit code is 1.
 */
export async function withMigratedDatabase(work: (db: Database, config: Config) => Promise<void>): Promise<void> {
  const config = loadConfig();
  const db = await openDatabase(config.database);
  try {
    const pending = await pendingMigrations(db);
    if (pending.length) {
      refuse(`Cơ sở dữ liệu chưa được cập nhật: chạy “npm run db:migrate” trước. / The database has pending migrations (${pending.join(', ')}): run npm run db:migrate first.`);
      return;
    }
    await work(db, config);
  } finally {
    await db.close();
  }
}

/** A refusal: its reason (Vietnamese / English) on stderr, and exit code 1. */
export function refuse(reason: string): void {
  process.stderr.write(`${reason}\n`);
  process.exitCode = 1;
}
