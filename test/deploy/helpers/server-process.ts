import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import pg from 'pg';
import { splitSchema } from '../../../src/store/database.js';

/** A server process started by a deploy test, and what it printed. */
export interface ServerProcess {
  child: ChildProcess;
  url: string;
  /** stdout and stderr lines so far (JSON log lines in production). */
  lines: string[];
  /** Resolves once the process logs "server listening"; rejects if it exits first or the deadline passes. */
  listening: Promise<void>;
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/**
 * Spawns `command args` in `cwd` with exactly `env` (plus PATH and HOME), listening on 127.0.0.1 and a free port. Waits
 * for the "server listening" log line: an event, with a deadline only as a limit for a process that hangs.
 */
export async function startServerProcess(opts: { cwd: string; command: string; args: string[]; env: Record<string, string>; deadlineMs: number }): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(opts.command, opts.args, {
    cwd: opts.cwd,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...opts.env, PORT: String(port), HOST: '127.0.0.1', LOG_PRETTY: 'false' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const listening = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "server listening" within ${opts.deadlineMs} ms; output:\n${lines.slice(-30).join('\n')}`)), opts.deadlineMs);
    const onLine = (line: string) => {
      lines.push(line);
      if (line.includes('"msg":"server listening"')) {
        clearTimeout(timer);
        resolve();
      }
    };
    for (const stream of [child.stdout!, child.stderr!]) {
      let rest = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        const parts = (rest + chunk).split('\n');
        rest = parts.pop() ?? '';
        parts.forEach(onLine);
      });
    }
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening; output:\n${lines.slice(-30).join('\n')}`));
    });
  });
  listening.catch(() => {});
  return {
    child,
    url: `http://127.0.0.1:${port}`,
    lines,
    listening,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Secrets as an operator generates them (openssl rand -hex 32), fresh for each test. */
export function productionSecrets(): Record<string, string> {
  const hex = () => randomBytes(32).toString('hex');
  return { APP_SECRET: hex(), TIP_ENCRYPTION_KEY: hex(), TIP_HANDLE_KEY: hex(), METRICS_TOKEN: hex() };
}

/** A schema name nobody uses, and the URL that selects it (not created: the app creates it at boot). */
export function freshSchemaUrl(baseUrl: string, prefix = 't'): { schema: string; url: string } {
  const schema = `${prefix}_${randomBytes(6).toString('hex')}`;
  const u = new URL(baseUrl);
  u.searchParams.set('schema', schema);
  return { schema, url: u.toString() };
}

/** Runs one query on the server of `url` (without its schema parameter) and returns the rows. */
export async function query<T>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: splitSchema(url).url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/** Drops a schema made by a test. */
export async function dropSchema(url: string, schema: string): Promise<void> {
  await query(url, `DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
}
