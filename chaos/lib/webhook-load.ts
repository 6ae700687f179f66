// Signed Messenger webhook traffic that remembers exactly which messages were acknowledged: every request is a new
// message (its own sender and mid, bodies from bench/messenger-body.ts), and a mid counts as acknowledged only when
// its request got a 2xx. `targets` may name several servers (replicas): requests go round-robin.
import { Agent, request } from 'node:http';
import { messengerBody, signature } from '../../bench/messenger-body.js';
import { pause } from './wait.js';

export interface LoadOptions {
  pageId: string;
  secret: string;
  /** Distinguishes this run's senders and mids from any other's (digits). */
  tag: string;
  connections: number;
  /** Open loop at this many requests per second in total; unset: closed loop (each connection as fast as answered). */
  ratePerSecond?: number;
  /** What each message says (default "xin chào"). */
  text?: string;
}

/** One answer (or failure) as the load saw it. */
export interface LoadSample {
  at: number;
  status: number | 'error';
}

export class WebhookLoad {
  /** Acknowledged mids (2xx) and their sender. */
  readonly acked = new Map<string, string>();
  readonly statuses: Record<string, number> = {};
  readonly samples: LoadSample[] = [];
  sent = 0;
  private stopped = false;
  private paused = false;
  private n = 0;
  private readonly loops: Promise<void>[] = [];
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 256 });
  private readonly startedAt = Date.now();

  constructor(
    private readonly targets: () => string[],
    private readonly opts: LoadOptions,
  ) {}

  start(): this {
    for (let i = 0; i < this.opts.connections; i++) this.loops.push(this.loop(i));
    return this;
  }

  /** Holds new requests (those in flight finish) until `resume()`. */
  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
  }

  /** Stops sending; resolves once every request in flight has its answer (or failure). */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.loops);
    this.agent.destroy();
  }

  /** Answers per status since `from` (ms epoch). */
  statusesSince(from: number, to = Date.now()): Record<string, number> {
    const out: Record<string, number> = {};
    for (const s of this.samples) if (s.at >= from && s.at <= to) out[String(s.status)] = (out[String(s.status)] ?? 0) + 1;
    return out;
  }

  private async loop(index: number): Promise<void> {
    const rate = this.opts.ratePerSecond;
    while (!this.stopped) {
      if (this.paused) {
        await pause(20);
        continue;
      }
      const n = this.n++;
      if (rate) {
        const due = this.startedAt + (n * 1000) / rate;
        const wait = due - Date.now();
        if (wait > 0) await pause(wait);
        if (this.stopped) break;
      }
      const seq = String(n).padStart(7, '0');
      const psid = `9${this.opts.tag}${seq}`;
      const mid = `m_chaos_${this.opts.tag}_${seq}`;
      const targets = this.targets();
      const target = targets[(n + index) % targets.length]!;
      const status = await this.post(target, messengerBody(this.opts.pageId, psid, mid, { text: this.opts.text ?? 'xin chào' }));
      this.sent++;
      this.samples.push({ at: Date.now(), status });
      this.statuses[String(status)] = (this.statuses[String(status)] ?? 0) + 1;
      if (typeof status === 'number' && status >= 200 && status < 300) this.acked.set(mid, psid);
      // A refused connection (a dead server) answers at once: do not turn that into a busy loop.
      else await pause(status === 'error' ? 50 : 5);
    }
  }

  private post(base: string, body: string): Promise<number | 'error'> {
    return new Promise((resolve) => {
      const u = new URL('/webhooks/messenger', base);
      const req = request(
        { host: u.hostname, port: u.port, path: u.pathname, method: 'POST', agent: this.agent, timeout: 20_000, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-hub-signature-256': signature(body, this.opts.secret) } },
        (res) => {
          // The status line is written only after the server committed the event: a 2xx counts as soon as it arrives.
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', () => resolve('error'));
      req.end(body);
    });
  }
}
