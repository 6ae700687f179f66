// The load generator (a child process of bench/run.ts): keep-alive HTTP/1.1 connections on raw sockets, one request
// in flight per connection, every request a fresh Messenger message (distinct sender and mid) signed on the fly.
// Unlike tools that cut connections when the time is up, every request started is answered before it stops, so the
// number of 2xx answers can be compared exactly with the rows the server stored. With `ratePerSecond` the load is
// an open loop instead: requests start on a fixed schedule and each latency counts from its scheduled start. The
// parent may end a run early with a {type: 'stop'} message.
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import type { LoadResult, LoadSpec } from './load.js';
import { messengerBody, signature } from './messenger-body.js';
import { percentile } from './stats.js';

const HEADER_END = Buffer.from('\r\n\r\n');
const LAST_CHUNK = Buffer.from('\r\n0\r\n\r\n');
const MAX_ERRORS = 1000;

interface Parsed {
  status: number;
  end: number;
  close: boolean;
}

/** Finds one complete response at the start of `buf` (Content-Length or chunked), or null if more bytes are needed. */
function parseResponse(buf: Buffer): Parsed | null {
  const headerEnd = buf.indexOf(HEADER_END);
  if (headerEnd < 0) return null;
  const head = buf.toString('latin1', 0, headerEnd).toLowerCase();
  const status = Number(head.slice(9, 12));
  const close = /\r\nconnection:\s*close/.test(head);
  const length = /\r\ncontent-length:\s*(\d+)/.exec(head);
  if (length) {
    const end = headerEnd + 4 + Number(length[1]);
    return buf.length >= end ? { status, end, close } : null;
  }
  if (/\r\ntransfer-encoding:\s*chunked/.test(head)) {
    const last = buf.indexOf(LAST_CHUNK, headerEnd);
    return last < 0 ? null : { status, end: last + LAST_CHUNK.length, close };
  }
  // No length at all: only 1xx/204/304 may do that, and none is expected here.
  return { status, end: headerEnd + 4, close: true };
}

class Run {
  sent = 0;
  ok = 0;
  non2xx = 0;
  errors = 0;
  timeouts = 0;
  measuredRequests = 0;
  measuredOk = 0;
  measuredNon2xx = 0;
  readonly statuses: Record<string, number> = {};
  readonly latencies: number[] = [];
  readonly measureFrom: number;
  endAt: number;
  private n = 0;
  private slots = 0;
  private readonly startAt: number;
  private readonly host: string;

  constructor(readonly spec: LoadSpec) {
    const now = performance.now();
    this.measureFrom = now + spec.warmupMs;
    this.endAt = this.measureFrom + spec.durationMs;
    this.startAt = now;
    this.host = `127.0.0.1:${spec.port}`;
  }

  /** When the next request is due: now in a closed loop, the next slot of the schedule in an open one. */
  nextSlot(): number {
    const rate = this.spec.ratePerSecond;
    return rate ? this.startAt + (this.slots++ * 1000) / rate : performance.now();
  }

  /** Ends the run now: connections finish once their request in flight is answered. */
  stop(): void {
    this.endAt = Math.min(this.endAt, performance.now());
  }

  /** The next request's bytes: a new sender and a new mid every time. */
  nextRequest(): Buffer {
    const n = this.n++;
    const seq = String(n).padStart(9, '0');
    const body = messengerBody(this.spec.pageId, `7${this.spec.runTag}${seq}`, `m_bench_${this.spec.runTag}_${seq}`, { text: 'xin chào' });
    const bytes = Buffer.byteLength(body);
    const head =
      `POST /webhooks/messenger HTTP/1.1\r\nHost: ${this.host}\r\nContent-Type: application/json\r\n` +
      `X-Hub-Signature-256: ${signature(body, this.spec.secret)}\r\nContent-Length: ${bytes}\r\n\r\n`;
    return Buffer.from(head + body, 'utf8');
  }

  record(startedAt: number, status: number): void {
    const measured = startedAt >= this.measureFrom;
    const good = status >= 200 && status < 300;
    if (good) this.ok++;
    else this.non2xx++;
    if (!measured) return;
    this.measuredRequests++;
    if (good) this.measuredOk++;
    else this.measuredNon2xx++;
    this.statuses[status] = (this.statuses[status] ?? 0) + 1;
    this.latencies.push(performance.now() - startedAt);
  }
}

/** One connection: sends, waits for the answer, sends again, until the run's end; reconnects when the server closes. */
class Connection {
  private socket: net.Socket | undefined;
  private buf: Buffer | null = null;
  private startedAt = 0;
  private busy = false;
  private finished = false;
  private timer: NodeJS.Timeout | undefined;
  /** Open loop: the timer of the next scheduled request, which a reconnect must not duplicate. */
  private due: NodeJS.Timeout | undefined;
  private done: () => void = () => {};

  constructor(private readonly run: Run) {}

  start(): Promise<void> {
    return new Promise((resolve) => {
      this.done = resolve;
      this.connect();
    });
  }

  private connect(): void {
    const socket = net.connect({ host: '127.0.0.1', port: this.run.spec.port });
    this.socket = socket;
    this.buf = null;
    socket.setNoDelay(true);
    socket.on('connect', () => {
      if (!this.due) this.next();
    });
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => {}); // 'close' follows and does the accounting
    socket.on('close', () => this.onClose(socket));
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.socket?.destroy();
    this.done();
  }

  private next(): void {
    const slot = this.run.nextSlot();
    if (slot >= this.run.endAt) return this.finish();
    const wait = slot - performance.now();
    if (wait > 0) {
      this.due = setTimeout(() => {
        this.due = undefined;
        if (performance.now() >= this.run.endAt) this.finish();
        else this.send(slot);
      }, wait);
    } else {
      this.send(slot);
    }
  }

  private send(slot: number): void {
    const request = this.run.nextRequest();
    this.run.sent++;
    this.busy = true;
    this.startedAt = slot;
    this.timer = setTimeout(() => {
      this.run.timeouts++;
      this.busy = false;
      this.socket?.destroy();
    }, this.run.spec.timeoutMs);
    this.socket!.write(request);
  }

  private onData(chunk: Buffer): void {
    this.buf = this.buf ? Buffer.concat([this.buf, chunk]) : chunk;
    const parsed = parseResponse(this.buf);
    if (!parsed) return;
    clearTimeout(this.timer);
    this.busy = false;
    this.buf = null; // one request in flight: nothing can follow the answer
    this.run.record(this.startedAt, parsed.status);
    if (parsed.close) this.socket!.destroy();
    else this.next();
  }

  private onClose(socket: net.Socket): void {
    if (socket !== this.socket || this.finished) return;
    clearTimeout(this.timer);
    if (this.busy) {
      this.busy = false;
      this.run.errors++;
    }
    if (this.run.errors > MAX_ERRORS || performance.now() >= this.run.endAt) return this.finish();
    setTimeout(() => this.connect(), 5);
  }
}

async function main(spec: LoadSpec): Promise<LoadResult> {
  process.send!({ type: 'start' });
  const cpuBefore = process.cpuUsage();
  const run = new Run(spec);
  process.on('message', (msg: { type?: string }) => {
    if (msg.type === 'stop') run.stop();
  });
  await Promise.all(Array.from({ length: spec.connections }, () => new Connection(run).start()));
  const cpu = process.cpuUsage(cpuBefore);
  const lat = run.latencies.sort((a, b) => a - b);
  // A run stopped early was measured for as long as it ran.
  const seconds = Math.max(0.001, (Math.min(run.endAt, performance.now()) - run.measureFrom) / 1000);
  const round = (x: number) => Math.round(x * 100) / 100;
  return {
    total: { sent: run.sent, ok: run.ok, non2xx: run.non2xx, errors: run.errors, timeouts: run.timeouts },
    measured: { requests: run.measuredRequests, ok: run.measuredOk, non2xx: run.measuredNon2xx, statuses: run.statuses, seconds },
    latencyMs: {
      p50: round(percentile(lat, 0.5)),
      p90: round(percentile(lat, 0.9)),
      p99: round(percentile(lat, 0.99)),
      max: round(lat.at(-1) ?? 0),
      mean: round(lat.reduce((s, x) => s + x, 0) / Math.max(1, lat.length)),
    },
    rps: Math.round(run.measuredOk / seconds),
    clientRssMb: Math.round(process.memoryUsage().rss / 1048576),
    clientCpuSeconds: (cpu.user + cpu.system) / 1e6,
  };
}

process.once('message', (spec) => {
  main(spec as LoadSpec).then(
    (result) => process.send!({ type: 'result', result }, () => process.exit(0)),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
});
