// `npm run soak -- --minutes N`: the server as a child process on a fresh database (embedded in a temporary
// DATA_DIR, or a fresh PostgreSQL schema when DATABASE_URL is set), Messenger and Zalo pointed at the platform
// doubles running here, paced chat traffic through signed webhooks, and one broadcast started by a teacher in chat
// at minute 1. Each minute: the server's RSS (/proc), CPU, event-loop lag and queue depths (/metrics), and reply
// latency. At the end: the memory slope after warm-up, latency per minute and its trend, the verdicts, and
// bench/results/soak-<timestamp>.json. Exits 1 when memory or latency fails its check.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startMessengerDouble } from '../test/doubles/messenger-double.js';
import { startZaloDouble } from '../test/doubles/zalo-double.js';
import { messengerEnv, zaloEnv, ZALO_OA_ID } from '../test/helpers/channels.js';
import { scrape, type ServerMetrics } from './metrics.js';
import { prepareDatabase, procCpuSeconds, procStatus, runSecrets, startServer, dirSizeMb, type SeedRecipient } from './server.js';
import { LATENCY_GROWTH_LIMIT, MEMORY_SLOPE_LIMIT_MB_PER_MIN, percentile, round, slope, slopeWithError, thirds, WARMUP_MINUTES } from './stats.js';
import { sendBroadcast, verifyTeacher } from './teacher.js';
import { Traffic, type MinuteTraffic } from './traffic.js';

const { values: args } = parseArgs({
  options: {
    minutes: { type: 'string', default: '3' },
    rate: { type: 'string', default: '20' },
    contacts: { type: 'string', default: '200' },
    recipients: { type: 'string', default: '3000' },
    'broadcast-at': { type: 'string', default: '1' },
  },
});
const MINUTES = Number(args.minutes);
const RATE = Number(args.rate);
const CONTACTS = Number(args.contacts);
const RECIPIENTS = Number(args.recipients);
const BROADCAST_AT_MIN = Number(args['broadcast-at']);
for (const [name, v] of Object.entries({ minutes: MINUTES, rate: RATE, contacts: CONTACTS, recipients: RECIPIENTS })) {
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} must be a positive number`);
}
const RSS_EVERY_MS = 5_000;
const TEACHER = 'soak-gv-6a1';

interface MinuteRow {
  minute: number;
  sent: number;
  replies: number;
  timeouts: number;
  webhookErrors: number;
  offScript: number;
  noIdleContact: number;
  latencyMs: { p50: number | null; p99: number | null; max: number | null };
  rssMb: { mean: number | null; min: number | null; end: number | null; samples: number };
  hwmMb: number | null;
  /** The embedded database's files on disk at the minute's end (null on PostgreSQL). */
  dbMb: number | null;
  cpuPercent: number | null;
  heapUsedMb: number | null;
  lagMs: ServerMetrics['lagMs'];
  queues: Record<string, number>;
  oldestAgeSeconds: Record<string, number>;
  broadcastCalls: number;
  otherCalls: number;
  scrapeError?: string;
}

/** Prints a line (the lint keeps console.* to scripts, tests and bench). */
const out = (line = '') => process.stdout.write(`${line}\n`);
const load = () => readFileSync('/proc/loadavg', 'utf8').trim().split(' ').slice(0, 3).join(' ');
const sleepUntil = (at: number) => new Promise<void>((r) => setTimeout(r, Math.max(0, at - Date.now())));
const fmt = (x: number | null, d = 0) => (x === null || !Number.isFinite(x) ? '–' : x.toFixed(d));

function pad(cells: (string | number)[], widths: number[]): string {
  return cells.map((c, i) => String(c).padStart(widths[i] ?? 6)).join(' ');
}

const HEAD = ['min', 'sent', 'replies', 'p50ms', 'p99ms', 'maxms', 't/o', 'rssMB', 'heapMB', 'dbMB', 'cpu%', 'lag50', 'lag99', 'lagMax', 'inboxQ', 'outboxQ', 'bcast'];
const WIDTHS = [4, 6, 7, 6, 6, 6, 4, 7, 7, 6, 5, 6, 6, 7, 7, 8, 6];

function printRow(r: MinuteRow): void {
  out(
    pad(
      [
        r.minute,
        r.sent,
        r.replies,
        fmt(r.latencyMs.p50),
        fmt(r.latencyMs.p99),
        fmt(r.latencyMs.max),
        r.timeouts,
        fmt(r.rssMb.mean, 1),
        fmt(r.heapUsedMb, 1),
        fmt(r.dbMb, 0),
        fmt(r.cpuPercent),
        fmt(r.lagMs.p50, 1),
        fmt(r.lagMs.p99, 1),
        fmt(r.lagMs.max, 0),
        r.queues.inbox ?? '–',
        outboxBacklog(r.queues) ?? '–',
        r.broadcastCalls,
      ],
      WIDTHS,
    ) + (r.scrapeError ? `  (metrics: ${r.scrapeError})` : ''),
  );
}

/** The outbox backlog: one figure from the status counts, or replies and campaign messages added up (bot_queue_depth). */
function outboxBacklog(queues: Record<string, number>): number | undefined {
  if (queues.outbox !== undefined) return queues.outbox;
  const parts = Object.entries(queues).filter(([q]) => q.startsWith('outbox_'));
  return parts.length > 0 ? parts.reduce((sum, [, n]) => sum + n, 0) : undefined;
}

function latencyOf(ms: number[]): MinuteRow['latencyMs'] {
  const s = [...ms].sort((a, b) => a - b);
  return s.length ? { p50: percentile(s, 0.5), p99: percentile(s, 0.99), max: s.at(-1)! } : { p50: null, p99: null, max: null };
}

async function main(): Promise<number> {
  const startedIso = new Date().toISOString();
  const loadAtStart = load();
  // Platform ids are digits only (the webhooks drop anything else).
  const tag = String(Date.now()).slice(-5);
  const messenger = await startMessengerDouble();
  const zalo = await startZaloDouble();
  // The broadcast's audience: parents of NTT-6A1, half on Messenger, half on Zalo, who wrote recently (window open).
  const recipients: SeedRecipient[] = Array.from({ length: RECIPIENTS }, (_, i) =>
    i % 2 === 0 ? { channel: 'messenger', accountId: messenger.pageId, userId: `92${String(i).padStart(10, '0')}` } : { channel: 'zalo', accountId: ZALO_OA_ID, userId: `93${String(i).padStart(16, '0')}` },
  );
  const secrets = runSecrets();
  const baseEnv: Record<string, string> = {
    ...secrets,
    NODE_ENV: 'development',
    SEED_DEMO: 'true',
    SIMULATOR_ENABLED: 'true',
    LOG_LEVEL: 'warn',
    ...messengerEnv(messenger),
    ...zaloEnv(zalo),
  };
  out(`soak: ${MINUTES} min, ${RATE} msg/s over ${CONTACTS} contacts (Messenger students and Zalo parents), a broadcast to ${RECIPIENTS} at minute ${BROADCAST_AT_MIN}`);
  out(`machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GB, node ${process.version}, load at start ${loadAtStart}`);
  const prepStarted = Date.now();
  const db = await prepareDatabase(baseEnv, recipients);
  out(`database: ${db.describe} (prepared in ${((Date.now() - prepStarted) / 1000).toFixed(1)} s)`);
  const server = await startServer({ ...baseEnv, ...db.env }, path.join(os.tmpdir(), `soak-server-${startedIso.replace(/[:.]/g, '-')}.log`));
  out(`server: pid ${server.pid} at ${server.url} (stderr and stdout in ${server.logFile})`);
  let exitCode: number;
  try {
    await verifyTeacher(server.url, TEACHER, db.teacherCode);
    const traffic = new Traffic({
      serverUrl: server.url,
      messenger,
      zalo,
      contacts: CONTACTS,
      ratePerSecond: RATE,
      minThinkMs: 1_500,
      replyTimeoutMs: 30_000,
      broadcastRecipients: new Set(recipients.map((r) => r.userId)),
      tag,
    });
    const rss: { at: number; mb: number; hwm: number }[] = [];
    const sampleRss = () => {
      const s = procStatus(server.pid);
      if (s) rss.push({ at: Date.now(), mb: s.rssMb, hwm: s.hwmMb });
    };
    // A first scrape resets the event-loop histogram: minute 0's lag covers minute 0 only.
    await scrape(server.url, secrets.METRICS_TOKEN!);
    const t0 = Date.now();
    sampleRss();
    let cpuBefore = procCpuSeconds(server.pid);
    const rssTimer = setInterval(sampleRss, RSS_EVERY_MS);
    traffic.start(t0);
    const broadcast: { code?: string; forecast?: string; startedAt?: number; acceptedAt?: number; error?: string } = {};
    const broadcastDone = (BROADCAST_AT_MIN >= MINUTES ? Promise.resolve() : sleepUntil(t0 + BROADCAST_AT_MIN * 60_000)).then(async () => {
      if (BROADCAST_AT_MIN >= MINUTES) return;
      broadcast.startedAt = Date.now();
      try {
        Object.assign(broadcast, await sendBroadcast(server.url, TEACHER));
        broadcast.acceptedAt = Date.now();
        out(`  broadcast ${broadcast.code} accepted ${((broadcast.acceptedAt - t0) / 1000).toFixed(0)} s into the run; ${broadcast.forecast}`);
      } catch (err) {
        broadcast.error = err instanceof Error ? err.message : String(err);
        out(`  broadcast FAILED to start: ${broadcast.error}`);
      }
    });
    out();
    out(pad(HEAD, WIDTHS));
    const rows: MinuteRow[] = [];
    for (let k = 0; k < MINUTES; k++) {
      const end = t0 + (k + 1) * 60_000;
      await sleepUntil(end);
      if (k === MINUTES - 1) await traffic.stop(30_000);
      const m = await scrape(server.url, secrets.METRICS_TOKEN!);
      const cpu = procCpuSeconds(server.pid);
      const inMinute = rss.filter((s) => s.at >= t0 + k * 60_000 && s.at < end + 1_000);
      const t: MinuteTraffic = traffic.bucket(k);
      const row: MinuteRow = {
        minute: k + 1,
        sent: t.sent,
        replies: t.latencies.length,
        timeouts: t.timeouts,
        webhookErrors: t.webhookErrors,
        offScript: t.offScript,
        noIdleContact: t.noIdleContact,
        latencyMs: latencyOf(t.latencies),
        rssMb: { mean: inMinute.length ? inMinute.reduce((s, x) => s + x.mb, 0) / inMinute.length : null, min: inMinute.length ? Math.min(...inMinute.map((x) => x.mb)) : null, end: inMinute.at(-1)?.mb ?? null, samples: inMinute.length },
        hwmMb: inMinute.at(-1)?.hwm ?? null,
        dbMb: db.kind === 'embedded' ? dirSizeMb(path.join(db.dataDir, 'pglite')) : null,
        cpuPercent: cpu !== null && cpuBefore !== null ? ((cpu - cpuBefore) / ((Date.now() - (end - 60_000)) / 1000)) * 100 : null,
        heapUsedMb: m.heapUsedMb,
        lagMs: m.lagMs,
        queues: m.queues,
        oldestAgeSeconds: m.oldestAgeSeconds,
        broadcastCalls: t.broadcastCalls,
        otherCalls: t.otherCalls,
        ...(m.error ? { scrapeError: m.error } : {}),
      };
      cpuBefore = cpu;
      rows.push(row);
      printRow(row);
    }
    clearInterval(rssTimer);
    await broadcastDone;
    // Late minutes' replies that arrived after the last row was printed (the final drain) are in the buckets too.
    for (const r of rows) {
      const t = traffic.bucket(r.minute - 1);
      r.replies = t.latencies.length;
      r.timeouts = t.timeouts;
      r.latencyMs = latencyOf(t.latencies);
    }
    const finalMetrics = await scrape(server.url, secrets.METRICS_TOKEN!);
    const serverExit = await server.stop();
    const loadAtEnd = load();

    // ---- Figures -------------------------------------------------------------------------------------------------
    const afterWarmup = rows.filter((r) => r.minute > WARMUP_MINUTES && r.rssMb.mean !== null);
    const memSlope = slope(afterWarmup.map((r) => ({ x: r.minute, y: r.rssMb.mean! })));
    // Diagnostics beside the verdict: the slope's standard error (the main thread's heap swings by ~200 MB between
    // major collections, so per-minute RSS is noisy), and the slope of each minute's lowest RSS (the troughs after a
    // collection, where retained memory shows).
    const memFit = slopeWithError(afterWarmup.map((r) => ({ x: r.minute, y: r.rssMb.mean! })));
    const troughSlope = slopeWithError(afterWarmup.filter((r) => r.rssMb.min !== null).map((r) => ({ x: r.minute, y: r.rssMb.min! })));
    const heapSlope = slope(afterWarmup.filter((r) => r.heapUsedMb !== null).map((r) => ({ x: r.minute, y: r.heapUsedMb! })));
    const p50Trend = slope(afterWarmup.filter((r) => r.latencyMs.p50 !== null).map((r) => ({ x: r.minute, y: r.latencyMs.p50! })));
    const p99Trend = slope(afterWarmup.filter((r) => r.latencyMs.p99 !== null).map((r) => ({ x: r.minute, y: r.latencyMs.p99! })));
    const { first, last } = thirds(rows.length);
    const pooled = (idx: number[]) => latencyOf(idx.flatMap((i) => traffic.bucket(i).latencies));
    const firstThird = pooled(first);
    const lastThird = pooled(last);
    const all = latencyOf(rows.flatMap((_, i) => traffic.bucket(i).latencies));
    const memOk = memSlope === null ? null : memSlope < MEMORY_SLOPE_LIMIT_MB_PER_MIN;
    const latOk = firstThird.p99 === null || lastThird.p99 === null ? null : lastThird.p99 <= LATENCY_GROWTH_LIMIT * firstThird.p99;
    const served = traffic.broadcast.perRecipient.size;
    const calls = [...traffic.broadcast.perRecipient.values()];
    const totals = rows.reduce(
      (s, r) => ({ sent: s.sent + r.sent, replies: s.replies + r.replies, timeouts: s.timeouts + r.timeouts, webhookErrors: s.webhookErrors + r.webhookErrors, offScript: s.offScript + r.offScript, noIdleContact: s.noIdleContact + r.noIdleContact }),
      { sent: 0, replies: 0, timeouts: 0, webhookErrors: 0, offScript: 0, noIdleContact: 0 },
    );
    const serverLog = readFileSync(server.logFile, 'utf8').split('\n').filter(Boolean);
    const levels = serverLog.map((l) => { try { return (JSON.parse(l) as { level?: number }).level ?? 0; } catch { return 0; } });
    const logCounts = { warn: levels.filter((l) => l === 40).length, error: levels.filter((l) => l >= 50).length, other: levels.filter((l) => l === 0).length };
    // The server's warnings and errors by message, most frequent first (what an operator would see in the journal).
    const byMessage = new Map<string, number>();
    for (const line of serverLog) {
      let msg = line.slice(0, 160);
      try {
        const j = JSON.parse(line) as { level?: number; msg?: string; err?: { message?: string } };
        if ((j.level ?? 0) < 40) continue;
        msg = `${j.level! >= 50 ? 'error' : 'warn'}: ${j.msg ?? ''}${j.err?.message ? ` (${j.err.message.slice(0, 120)})` : ''}`;
      } catch {
        // not JSON: kept as it is
      }
      byMessage.set(msg, (byMessage.get(msg) ?? 0) + 1);
    }
    const topMessages = [...byMessage.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([message, count]) => ({ message, count }));

    out();
    out('per minute, final (replies that arrived after a row was printed are counted in the minute their message was sent):');
    out(pad(HEAD, WIDTHS));
    for (const r of rows) printRow(r);
    out('(rssMB: mean of the server process\'s VmRSS over the minute, every 5 s; heapMB: V8 heap used by its main thread; dbMB: the embedded database files on disk; lag: event-loop delay of the main thread over the minute, ms; inboxQ/outboxQ: backlog at the minute\'s end; bcast: broadcast Send API calls that minute)');
    out();
    out(`traffic: ${totals.sent} messages sent, ${totals.replies} replies seen, ${totals.timeouts} without a reply in 30 s, ${totals.webhookErrors} webhook errors, ${totals.offScript} off script, ${totals.noIdleContact} ticks with every contact waiting`);
    const byGoal: Record<string, number> = {};
    for (const t of traffic.minutes) for (const [g, n] of Object.entries(t.byGoal)) byGoal[g] = (byGoal[g] ?? 0) + n;
    const progress = traffic.progress();
    out(`walks: messages by goal ${JSON.stringify(byGoal)}; ${progress.onboarded} of ${CONTACTS} contacts onboarded, ${progress.pledged} signed a pledge`);
    out(`latency (message sent → first reply at the double): p50 ${fmt(all.p50)} ms, p99 ${fmt(all.p99)} ms, max ${fmt(all.max)} ms`);
    out(`broadcast ${broadcast.code ?? '(none)'}: ${served} of ${RECIPIENTS} recipients received it (${calls.reduce((s, x) => s + x, 0)} Send API calls, ${calls.length ? Math.min(...calls) : 0}–${calls.length ? Math.max(...calls) : 0} per recipient)${traffic.broadcast.firstAt && broadcast.acceptedAt ? `, first ${((traffic.broadcast.firstAt - broadcast.acceptedAt) / 1000).toFixed(1)} s after "Gửi ngay", last ${((traffic.broadcast.lastAt - broadcast.acceptedAt) / 1000).toFixed(1)} s after` : ''}`);
    out(`queues at the end (${finalMetrics.queueSource}): ${JSON.stringify(finalMetrics.queues)}; outbox by status ${JSON.stringify(finalMetrics.outbox)}`);
    out(`server: exit code ${serverExit} after SIGTERM; log lines: ${logCounts.warn} warn, ${logCounts.error} error${logCounts.other ? `, ${logCounts.other} not JSON` : ''}`);
    for (const m of topMessages) out(`  ${m.count}× ${m.message}`);
    out(`memory: RSS slope after the first ${WARMUP_MINUTES} minutes ${fmt(memSlope, 2)} MB/min (limit < ${MEMORY_SLOPE_LIMIT_MB_PER_MIN}), heap slope ${fmt(heapSlope, 2)} MB/min; RSS minute 1 ${fmt(rows[0]?.rssMb.mean ?? null, 1)} MB, last ${fmt(rows.at(-1)?.rssMb.mean ?? null, 1)} MB, peak ${fmt(Math.max(...rss.map((s) => s.hwm)), 1)} MB → ${memOk === null ? `n/a (needs at least ${WARMUP_MINUTES + 2} minutes)` : memOk ? 'PASS' : 'FAIL'}`);
    if (memFit) out(`  diagnostics: RSS slope ${fmt(memFit.slope, 2)} ± ${fmt(memFit.se, 2)} MB/min (standard error); slope of each minute's lowest RSS ${troughSlope ? `${fmt(troughSlope.slope, 2)} ± ${fmt(troughSlope.se, 2)}` : '–'} MB/min`);
    out(`latency trend after warm-up: p50 ${fmt(p50Trend, 2)} ms/min, p99 ${fmt(p99Trend, 2)} ms/min`);
    out(`latency steady: p99 first third (minutes ${first[0]! + 1}–${first.at(-1)! + 1}) ${fmt(firstThird.p99)} ms, last third (minutes ${last[0]! + 1}–${last.at(-1)! + 1}) ${fmt(lastThird.p99)} ms (limit ${LATENCY_GROWTH_LIMIT}×) → ${latOk === null ? 'n/a' : latOk ? 'PASS' : 'FAIL'}`);
    out(`load average at start ${loadAtStart}, at end ${loadAtEnd}`);

    const result = {
      kind: 'soak',
      startedAt: startedIso,
      options: { minutes: MINUTES, ratePerSecond: RATE, contacts: CONTACTS, broadcastRecipients: RECIPIENTS, broadcastAtMinute: BROADCAST_AT_MIN, warmupMinutes: WARMUP_MINUTES },
      machine: { cores: os.cpus().length, cpu: os.cpus()[0]?.model ?? null, totalMemGb: round(os.totalmem() / 2 ** 30), node: process.version, loadAtStart, loadAtEnd, uptime: execFileSync('uptime').toString().trim() },
      database: db.describe,
      minutes: rows.map((r) => ({ ...r, latencyMs: { p50: round(r.latencyMs.p50, 0), p99: round(r.latencyMs.p99, 0), max: round(r.latencyMs.max, 0) }, rssMb: { ...r.rssMb, mean: round(r.rssMb.mean), min: round(r.rssMb.min), end: round(r.rssMb.end) }, hwmMb: round(r.hwmMb), dbMb: round(r.dbMb), cpuPercent: round(r.cpuPercent, 0), heapUsedMb: round(r.heapUsedMb), lagMs: { p50: round(r.lagMs.p50, 2), p99: round(r.lagMs.p99, 2), max: round(r.lagMs.max, 1) } })),
      rssSamples: rss.map((s) => ({ t: round((s.at - t0) / 1000, 0), mb: round(s.mb) })),
      totals: { ...totals, byGoal, ...progress },
      latencyMs: { all, firstThird: { minutes: first.map((i) => i + 1), ...firstThird }, lastThird: { minutes: last.map((i) => i + 1), ...lastThird }, trendMsPerMin: { p50: round(p50Trend, 2), p99: round(p99Trend, 2) } },
      memory: { slopeMbPerMin: round(memSlope, 3), slopeStandardError: round(memFit?.se ?? null, 3), troughSlopeMbPerMin: round(troughSlope?.slope ?? null, 3), troughSlopeStandardError: round(troughSlope?.se ?? null, 3), heapSlopeMbPerMin: round(heapSlope, 3), limitMbPerMin: MEMORY_SLOPE_LIMIT_MB_PER_MIN, peakMb: round(Math.max(...rss.map((s) => s.hwm))) },
      broadcast: { ...broadcast, recipientsServed: served, calls: calls.reduce((s, x) => s + x, 0), callsPerRecipient: calls.length ? { min: Math.min(...calls), max: Math.max(...calls) } : null, firstAt: traffic.broadcast.firstAt || null, lastAt: traffic.broadcast.lastAt || null },
      finalMetrics,
      server: { exitCode: serverExit, log: logCounts, topMessages, lastLogLines: serverLog.slice(-5) },
      verdict: { memory: memOk === null ? 'n/a' : memOk ? 'PASS' : 'FAIL', latency: latOk === null ? 'n/a' : latOk ? 'PASS' : 'FAIL' },
    };
    const dir = path.join(import.meta.dirname, '..', 'bench', 'results');
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `soak-${startedIso.replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
    out(`written: ${path.relative(process.cwd(), file)}`);
    exitCode = memOk === false || latOk === false ? 1 : 0;
  } finally {
    await server.stop(5_000);
    await messenger.close();
    await zalo.close();
    await db.cleanup();
  }
  return exitCode;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(2);
  },
);
