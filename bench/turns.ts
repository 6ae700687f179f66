// Turn latency: simulated contacts each hold a short conversation, waiting for the bot's reply to reach the outbox
// before answering. Latency per event is measured afterwards, in the database: InboundEvent.receivedAt → createdAt of
// the first Delivery row with that inboundEventId.
import { performance } from 'node:perf_hooks';
import type { BenchApp } from './bench-app.js';
import { messengerBody, signature, type BenchInput } from './messenger-body.js';
import { percentile } from './stats.js';

/** The demo conversation: greet, pick "parent", type the demo class code. */
export const CONVERSATION: BenchInput[] = [{ text: 'xin chào' }, { payload: 'ROLE:parent', title: 'Phụ huynh' }, { text: 'NTT-6A1' }];

export interface TurnOptions {
  contacts: number;
  /** Each contact starts at a random moment within this window. */
  rampMs: number;
  /** Pause between seeing the reply in the outbox and sending the next message: uniform in [min, max]. */
  thinkMs: [number, number];
  /** Distinguishes this run's senders from other runs'. */
  tag: string;
  /** Gives up waiting for one reply, or for one webhook answer, after this long (counted, never hangs). */
  replyTimeoutMs: number;
  /** No contact sends anything after this long; the run's events are measured as they are. */
  deadlineMs: number;
}

export interface TurnResult {
  events: number;
  withReply: number;
  webhookNon2xx: number;
  replyTimeouts: number;
  /** Messages not sent because the run's deadline had passed. */
  notSent: number;
  /** How long the webhook took to answer (the ack), as the contacts saw it. */
  ackMs: { p50: number; p99: number; max: number };
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  /** The same latency by step of the conversation (0: the first message, which creates the contact). */
  byStep: { step: number; events: number; p50: number; p99: number }[];
  /** Events per second from the first receivedAt to the last first-reply createdAt. */
  eventsPerSecond: number;
  /** The span events/s is counted over: first receivedAt → last first-reply createdAt (epoch ms). */
  span: { from: number; to: number };
  wallSeconds: number;
}

function ackStats(acks: number[]): TurnResult['ackMs'] {
  const sorted = acks.sort((a, b) => a - b);
  const round = (x: number) => Math.round(x * 10) / 10;
  return { p50: round(percentile(sorted, 0.5)), p99: round(percentile(sorted, 0.99)), max: round(sorted.at(-1) ?? 0) };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Watches the outbox for the contacts that are waiting (one query at a time, woken by the worker's signal) and wakes
 * them when their reply is there. It asks about the waiting recipients rather than reading rows past the last id seen:
 * ids are taken at insert but rows appear at commit, so a younger row can be seen before an older one.
 */
class OutboxWatcher {
  private running = true;
  private loop: Promise<void> | undefined;
  private readonly waiters = new Map<string, { need: number; resolve: (ok: boolean) => void }>();

  constructor(private readonly bench: BenchApp) {}

  start(): void {
    this.loop = (async () => {
      while (this.running) {
        await this.bench.app.signals.wait('processed', 25);
        if (this.waiters.size > 0) await this.poll();
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    for (const w of this.waiters.values()) w.resolve(false);
    this.waiters.clear();
  }

  /** Resolves true once `recipient` has replies to `need` distinct events, false after `timeoutMs`. */
  waitFor(recipient: string, need: number, timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters.delete(recipient);
        resolve(false);
      }, timeoutMs);
      this.waiters.set(recipient, {
        need,
        resolve: (ok) => {
          clearTimeout(timer);
          resolve(ok);
        },
      });
    });
  }

  private async poll(): Promise<void> {
    const recipients = [...this.waiters.keys()];
    const rows = await this.bench.db.prisma.$queryRaw<{ recipient: string; n: number }[]>`
      SELECT "recipient", COUNT(DISTINCT "inboundEventId")::int AS "n" FROM "Delivery"
      WHERE "recipient" = ANY(${recipients}::text[]) AND "inboundEventId" IS NOT NULL
      GROUP BY "recipient"`;
    for (const r of rows) {
      const w = this.waiters.get(r.recipient);
      if (w && r.n >= w.need) {
        this.waiters.delete(r.recipient);
        w.resolve(true);
      }
    }
  }
}

/** Runs the conversations and measures them from the database. */
export async function runTurns(bench: BenchApp, opts: TurnOptions): Promise<TurnResult> {
  const url = `http://127.0.0.1:${bench.app.port}/webhooks/messenger`;
  const before = await bench.db.prisma.$queryRaw<{ maxId: bigint }[]>`SELECT COALESCE(MAX("id"), 0)::bigint AS "maxId" FROM "InboundEvent"`;
  const maxId = before[0]?.maxId ?? 0n;
  const watcher = new OutboxWatcher(bench);
  watcher.start();
  let webhookNon2xx = 0;
  let replyTimeouts = 0;
  let notSent = 0;
  const acks: number[] = [];
  const started = Date.now();
  const deadline = started + opts.deadlineMs;

  const contact = async (i: number) => {
    const psid = `8${opts.tag}${String(i).padStart(8, '0')}`;
    await sleep(Math.random() * opts.rampMs);
    for (const [k, input] of CONVERSATION.entries()) {
      if (k > 0) await sleep(opts.thinkMs[0] + Math.random() * (opts.thinkMs[1] - opts.thinkMs[0]));
      if (Date.now() >= deadline) {
        notSent += CONVERSATION.length - k;
        return;
      }
      const body = messengerBody(bench.pageId, psid, `m_turn_${opts.tag}_${i}_${k}`, input);
      const sentAt = performance.now();
      const status = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature(body, bench.app.config.channels.messenger!.appSecret) },
        body,
        signal: AbortSignal.timeout(opts.replyTimeoutMs),
      }).then(
        async (res) => {
          await res.arrayBuffer();
          return res.status;
        },
        () => 0,
      );
      acks.push(performance.now() - sentAt);
      if (status < 200 || status >= 300) {
        webhookNon2xx++;
        continue;
      }
      if (!(await watcher.waitFor(psid, k + 1, opts.replyTimeoutMs))) replyTimeouts++;
    }
  };
  await Promise.all(Array.from({ length: opts.contacts }, (_, i) => contact(i)));
  const wallSeconds = (Date.now() - started) / 1000;
  await watcher.stop();

  const rows = await bench.db.prisma.$queryRaw<{ receivedAt: Date; firstReply: Date | null; dedupeKey: string }[]>`
    SELECT e."receivedAt", e."dedupeKey", MIN(d."createdAt") AS "firstReply"
    FROM "InboundEvent" e LEFT JOIN "Delivery" d ON d."inboundEventId" = e."id"
    WHERE e."id" > ${maxId} AND e."laneKey" LIKE ${`%:8${opts.tag}%`}
    GROUP BY e."id", e."receivedAt", e."dedupeKey"`;
  const answered = rows.filter((r): r is { receivedAt: Date; firstReply: Date; dedupeKey: string } => r.firstReply !== null);
  const latencyOf = (r: { receivedAt: Date; firstReply: Date }) => r.firstReply.getTime() - r.receivedAt.getTime();
  const lat = answered.map(latencyOf).sort((a, b) => a - b);
  // The message id (m_turn_<tag>_<contact>_<step>) ends the dedupe key.
  const byStep = CONVERSATION.map((_, step) => {
    const l = answered.filter((r) => r.dedupeKey.endsWith(`_${step}`)).map(latencyOf).sort((a, b) => a - b);
    return { step, events: l.length, p50: percentile(l, 0.5), p99: percentile(l, 0.99) };
  });
  const first = Math.min(...rows.map((r) => r.receivedAt.getTime()));
  const last = Math.max(...answered.map((r) => r.firstReply.getTime()));
  return {
    events: rows.length,
    withReply: answered.length,
    webhookNon2xx,
    replyTimeouts,
    notSent,
    ackMs: ackStats(acks),
    latencyMs: { p50: percentile(lat, 0.5), p90: percentile(lat, 0.9), p99: percentile(lat, 0.99), max: lat.at(-1) ?? 0 },
    byStep,
    eventsPerSecond: answered.length > 0 && last > first ? Math.round((answered.length * 1000) / (last - first)) : 0,
    span: { from: first, to: last },
    wallSeconds,
  };
}
