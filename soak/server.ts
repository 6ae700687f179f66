// The server under test: a real child process (`node --import tsx src/main.ts`) on a free port, with its own data
// directory, so the RSS and event-loop lag measured are its own. Before it boots, its database is prepared here
// (migrated, the demo seeded, a teacher invite for NTT-6A1 and the broadcast's recipients added), then closed.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config.js';
import { createTeacherInvite } from '../src/services/teachers/create-invite.js';
import { teacherInviteKey } from '../src/services/teachers/invite-keys.js';
import { openDatabase, type Database } from '../src/store/database.js';
import { seedDemoData } from '../src/store/demo-seed.repo.js';
import { applyMigrations } from '../src/store/migrator.js';
import { createRepos } from '../src/store/repos.js';
import { createTestDatabase, type TestDatabase } from '../test/helpers/db.js';

const ROOT = path.resolve(import.meta.dirname, '..');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/** One broadcast recipient to add before boot (a parent of class NTT-6A1 who wrote recently: window open). */
export interface SeedRecipient {
  channel: 'messenger' | 'zalo';
  accountId: string;
  userId: string;
}

export interface PreparedDatabase {
  /** Environment for the child: DATA_DIR, and DATABASE_URL on PostgreSQL. */
  env: Record<string, string>;
  /** The teacher code for class NTT-6A1 (what a teacher types in chat to be verified). */
  teacherCode: string;
  /** Where the data lives, for the report (no credentials). */
  describe: string;
  kind: 'embedded' | 'postgres';
  dataDir: string;
  /** Drops the PostgreSQL schema and removes the data directory. */
  cleanup(): Promise<void>;
}

/**
 * Migrates and seeds the database the child will use: the embedded one in a temporary DATA_DIR, or (DATABASE_URL
 * set) a fresh PostgreSQL schema. `baseEnv` must carry APP_SECRET: the invite code is derived from it.
 */
export async function prepareDatabase(baseEnv: Record<string, string>, recipients: SeedRecipient[]): Promise<PreparedDatabase> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'ssb-soak-'));
  let testDb: TestDatabase | undefined;
  let db: Database;
  const env: Record<string, string> = { DATA_DIR: dataDir };
  let describe: string;
  if (process.env.DATABASE_URL) {
    testDb = await createTestDatabase();
    db = testDb;
    env.DATABASE_URL = testDb.url!;
    const u = new URL(testDb.url!);
    describe = `PostgreSQL ${u.hostname}:${u.port || '5432'}${u.pathname} schema ${u.searchParams.get('schema')}`;
  } else {
    const config = loadConfig({ ...baseEnv, ...env });
    if (config.database.kind !== 'embedded') throw new Error('expected the embedded database');
    db = await openDatabase(config.database);
    await applyMigrations(db);
    describe = `embedded PGlite in ${config.database.dir} (a worker thread of the server process)`;
  }
  const config = loadConfig({ ...baseEnv, ...env });
  try {
    const code = await db.prisma.$transaction(async (tx) => {
      await seedDemoData(tx);
      const invite = await createTeacherInvite(createRepos(tx), teacherInviteKey(config.appSecret), { schoolCode: 'NTT', classCode: 'NTT-6A1', days: 30, now: new Date() });
      if (!invite.ok) throw new Error(`no teacher invite: ${invite.reason}`);
      return invite.code;
    });
    const cls = await db.prisma.class.findUniqueOrThrow({ where: { code: 'NTT-6A1' } });
    const lastInteractionAt = new Date();
    for (let from = 0; from < recipients.length; from += 2000) {
      await db.prisma.contact.createMany({
        data: recipients.slice(from, from + 2000).map((r) => ({ ...r, role: 'parent', schoolId: cls.schoolId, classId: cls.id, lastInteractionAt })),
      });
    }
    await db.prisma.$executeRawUnsafe('ANALYZE "Contact"');
    return {
      env,
      teacherCode: code,
      describe,
      kind: testDb ? 'postgres' : 'embedded',
      dataDir,
      async cleanup() {
        await testDb?.drop();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } finally {
    // The child opens the embedded database itself: it must be closed here first. PostgreSQL's schema is dropped at cleanup.
    if (!testDb) await db.close();
  }
}

export interface ServerProcess {
  child: ChildProcess;
  pid: number;
  url: string;
  /** The child's stderr (warn and error log lines), as a file. */
  logFile: string;
  /** SIGTERM, then the exit code (SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<number | null>;
}

/** Starts `node --import tsx src/main.ts` with `env` on a free port and waits for /readyz (up to `readyMs`). */
export async function startServer(env: Record<string, string>, logFile: string, readyMs = 120_000): Promise<ServerProcess> {
  const port = await freePort();
  const log = createWriteStream(logFile);
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', LOG_PRETTY: 'false' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.pipe(log, { end: false });
  child.stderr!.pipe(log, { end: false });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + readyMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode} before it was ready (see ${logFile})`);
    const ok = await fetch(`${url}/readyz`).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server not ready after ${readyMs / 1000} s (see ${logFile})`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    child,
    pid: child.pid!,
    url,
    logFile,
    async stop(graceMs = 30_000) {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      log.end();
      return code;
    },
  };
}

/** Fresh secrets for one run (the child gets them through its environment). */
export function runSecrets(): Record<string, string> {
  return {
    APP_SECRET: randomBytes(24).toString('hex'),
    TIP_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    TIP_HANDLE_KEY: randomBytes(32).toString('hex'),
    METRICS_TOKEN: randomBytes(16).toString('hex'),
  };
}

/** Resident and peak memory (MB) and threads of a process, from /proc/<pid>/status; null once it is gone. */
export function procStatus(pid: number): { rssMb: number; hwmMb: number; threads: number } | null {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN);
    return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024, threads: Number(/^Threads:\s+(\d+)/m.exec(text)?.[1] ?? NaN) };
  } catch {
    return null;
  }
}

const CLOCK_TICKS = 100; // USER_HZ on Linux

/** CPU seconds (user + system) a process has used, from /proc/<pid>/stat; null once it is gone. */
export function procCpuSeconds(pid: number): number | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which is in parentheses and may hold spaces): utime is the 14th, stime the 15th.
    const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return (Number(rest[11]) + Number(rest[12])) / CLOCK_TICKS;
  } catch {
    return null;
  }
}


/** Bytes on disk under `dir` (the embedded database's files), in MB; null when it cannot be read. */
export function dirSizeMb(dir: string): number | null {
  try {
    let bytes = 0;
    for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
      if (e.isFile()) bytes += statSync(path.join(e.parentPath, e.name)).size;
    }
    return bytes / 1048576;
  } catch {
    return null;
  }
}
