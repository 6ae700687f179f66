// A real server process (`node --import tsx src/main.ts`) on a free loopback port, as an operator runs it: killed with
// SIGKILL or stopped with SIGTERM, restarted on the same data. Its log lines are counted (not parsed for figures) and
// its CPU time is read from /proc, so a scenario can tell a spinning loop from a quiet one.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { until } from './wait.js';

export const ROOT = path.resolve(import.meta.dirname, '../..');
const CLOCK_TICKS = 100;

/** A running (or dead) server process. */
export interface AppProcess {
  name: string;
  child: ChildProcess;
  pid: number;
  port: number;
  url: string;
  /** Log lines written so far (stdout and stderr), with the time each arrived. */
  logTimes: number[];
  /** The last log lines, for a report when something fails. */
  tail: string[];
  /** How many log lines carried each message (pino's `msg`), e.g. how many leases were lost mid-send. */
  messages: Map<string, number>;
  /** CPU seconds (user + system) the process has used so far; NaN once it is gone. */
  cpuSeconds(): number;
  /** SIGKILL, resolved once the process is gone. */
  kill9(): Promise<void>;
  /** SIGTERM, resolved with the exit code once the process is gone. */
  stop(): Promise<number | null>;
  exited: Promise<number | null>;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of running) c.kill('SIGKILL');
});

/** A port nothing listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.once('error', reject);
  });
}

/**
 * Common settings of every chaos server: quiet logs, fast polls, short leases (so a crash is recovered quickly), and
 * sends abandoned well inside a lease (a running send's lease is renewed, but a stalled one should not hold it long).
 */
export const BASE_ENV: Record<string, string> = {
  NODE_ENV: 'test',
  HOST: '127.0.0.1',
  LOG_PRETTY: 'false',
  LOG_LEVEL: 'warn',
  POLL_INTERVAL_MS: '50',
  LEASE_SECONDS: '5',
  SEND_TIMEOUT_MS: '2000',
  SEED_DEMO: 'true',
  METRICS_PUBLIC: 'true',
  APP_SECRET: 'chaos-secret-chaos-secret-chaos-secret-01',
  TIP_ENCRYPTION_KEY: '1'.repeat(64),
  TIP_HANDLE_KEY: '2'.repeat(64),
};

/** Spawns the server with `env` on top of the base settings (and of this process's PATH), waits for `/readyz`. */
export async function startAppProcess(name: string, env: Record<string, string>, opts: { port?: number; readyMs?: number } = {}): Promise<AppProcess> {
  const port = opts.port ?? (await freePort());
  // Only what the server needs from this environment: a DATABASE_URL of the CI shell must not leak into an embedded run.
  const inherited = Object.fromEntries(['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ'].filter((k) => process.env[k] !== undefined).map((k) => [k, process.env[k]!]));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: { ...inherited, ...BASE_ENV, ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      running.delete(child);
      resolve(code);
    }),
  );
  const logTimes: number[] = [];
  const tail: string[] = [];
  const messages = new Map<string, number>();
  for (const stream of [child.stdout!, child.stderr!]) {
    let rest = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop() ?? '';
      const now = Date.now();
      for (const line of lines) {
        if (line.trim() === '') continue;
        logTimes.push(now);
        tail.push(line.slice(0, 400));
        if (tail.length > 30) tail.shift();
        const msg = messageOf(line);
        if (msg !== undefined) messages.set(msg, (messages.get(msg) ?? 0) + 1);
      }
    });
  }
  const pid = child.pid!;
  const url = `http://127.0.0.1:${port}`;
  let gone = false;
  void exited.then(() => (gone = true));
  const app: AppProcess = {
    name,
    child,
    pid,
    port,
    url,
    logTimes,
    tail,
    messages,
    cpuSeconds: () => (gone ? NaN : cpuOf(pid)),
    async kill9() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      child.kill('SIGTERM');
      return exited;
    },
    exited,
  };
  await until(
    async () => {
      if (gone) throw new Error(`${name} exited during boot:\n${tail.join('\n')}`);
      return fetch(`${url}/readyz`, { signal: AbortSignal.timeout(5_000) }).then((r) => r.ok, () => false);
    },
    `${name} ready`,
    opts.readyMs ?? 180_000,
    100,
  );
  return app;
}

/** The `msg` of a JSON log line, or undefined for any other line. */
function messageOf(line: string): string | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const msg = (JSON.parse(line) as { msg?: unknown }).msg;
    return typeof msg === 'string' ? msg : undefined;
  } catch {
    return undefined;
  }
}

/** CPU seconds of a process from /proc/<pid>/stat (utime + stime, fields 14 and 15). */
function cpuOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return NaN;
  }
}
