// The parent's side of the load generator: runs bench/load-client.ts in a child process (its own event loop, so
// the server under test does not share one with the client) and returns what it measured.
import { fork } from 'node:child_process';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

/** What to send: `connections` keep-alive connections to 127.0.0.1:`port`, closed loop, for warm-up + duration. */
export interface LoadSpec {
  port: number;
  connections: number;
  warmupMs: number;
  durationMs: number;
  /** Signs every body (Messenger app secret). */
  secret: string;
  pageId: string;
  /** Digits that make this run's sender ids and message ids distinct from every other run's. */
  runTag: string;
  /** A request without an answer after this long is counted as a timeout and its connection dropped. */
  timeoutMs: number;
  /**
   * Open loop instead of closed: requests start at this steady rate, spread over the connections, and each latency is
   * counted from its scheduled start (so a slow answer is not hidden by the next request starting late).
   */
  ratePerSecond?: number;
}

/** Counts and latencies. `total` covers warm-up and measurement (what the database must hold); the rest only the measured window. */
export interface LoadResult {
  total: { sent: number; ok: number; non2xx: number; errors: number; timeouts: number };
  measured: { requests: number; ok: number; non2xx: number; statuses: Record<string, number>; seconds: number };
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  /** Measured 2xx answers per second. */
  rps: number;
  /** RSS of the load generator process (MB). */
  clientRssMb: number;
  /** CPU time of the load generator over its run (warm-up included), in seconds. */
  clientCpuSeconds: number;
}

/** Where the machine's CPU went during a load run, in cores (busy seconds per wall second). */
export interface CpuSplit {
  /** This process: the server under test (and, on the embedded database, the database itself). */
  server: number;
  /** The load generator child. */
  client: number;
  /** Everything else: PostgreSQL backends when DATABASE_URL is set, the OS, other processes. */
  other: number;
  /** Cores in the machine. */
  cores: number;
}

/** A load result and the CPU split over the same interval. */
export interface LoadRun extends LoadResult {
  cpu: CpuSplit;
}

interface CpuSnapshot {
  wallMs: number;
  processUs: number;
  machineBusyMs: number;
}

function snapshot(): CpuSnapshot {
  const usage = process.cpuUsage();
  const machineBusyMs = os.cpus().reduce((sum, c) => sum + c.times.user + c.times.nice + c.times.sys + c.times.irq, 0);
  return { wallMs: performance.now(), processUs: usage.user + usage.system, machineBusyMs };
}

function split(from: CpuSnapshot, to: CpuSnapshot, clientCpuSeconds: number): CpuSplit {
  const wall = (to.wallMs - from.wallMs) / 1000;
  const server = (to.processUs - from.processUs) / 1e6 / wall;
  const machine = (to.machineBusyMs - from.machineBusyMs) / 1000 / wall;
  const client = clientCpuSeconds / wall;
  const round = (x: number) => Math.round(x * 100) / 100;
  return { server: round(server), client: round(client), other: round(Math.max(0, machine - server - client)), cores: os.cpus().length };
}

/** A load test under way: `stop()` ends it early (requests in flight are still answered), `result` when it is done. */
export interface LoadHandle {
  stop(): void;
  result: Promise<LoadRun>;
}

/** Runs one load test in a child process; bounded by the spec's duration plus a grace period. */
export function runLoad(spec: LoadSpec): Promise<LoadRun> {
  return startLoad(spec).result;
}

/** Starts one load test in a child process and returns at once. */
export function startLoad(spec: LoadSpec): LoadHandle {
  const file = fileURLToPath(new URL('./load-client.ts', import.meta.url));
  const child = fork(file, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const limit = spec.warmupMs + spec.durationMs + spec.timeoutMs + 30_000;
  let started: CpuSnapshot | undefined;
  const result = new Promise<LoadRun>((resolve, reject) => {
    let settled = false;
    const finish = (err: Error | undefined, result?: LoadRun) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (child.exitCode === null && child.signalCode === null) child.kill();
      if (err) reject(err);
      else resolve(result!);
    };
    const timer = setTimeout(() => finish(new Error('load generator did not finish in time')), limit);
    // The child says when its connections start, then sends its result: the CPU split covers exactly that span.
    child.on('message', (msg: { type: 'start' } | { type: 'result'; result: LoadResult }) => {
      if (msg.type === 'start') started = snapshot();
      else finish(undefined, { ...msg.result, cpu: split(started ?? snapshot(), snapshot(), msg.result.clientCpuSeconds) });
    });
    child.on('error', (err) => finish(err));
    child.on('exit', (code) => finish(new Error(`load generator exited with ${code} before reporting`)));
    child.send(spec);
  });
  const stop = () => {
    if (child.connected) child.send({ type: 'stop' });
  };
  return { stop, result };
}
