// Reads the server's /metrics (Prometheus text) and picks what the soak samples: event-loop lag (prom-client's
// default metrics, a histogram reset at every scrape, so each minute's figures cover that minute only), heap, and
// queue depths. Queue depths come from `bot_queue_depth` / `bot_queue_oldest_age_seconds` when the server has them,
// else from the inbox and outbox counts by status (`bot_inbox_events`, `bot_outbox_deliveries`).

/** One sample line: name, labels, value. */
export interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses Prometheus text format (comments skipped; label values unescaped). */
export function parseProm(text: string): PromSample[] {
  const out: PromSample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[3] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    out.push({ name: m[1]!, labels, value: Number(m[4]) });
  }
  return out;
}

export interface ServerMetrics {
  /** Event-loop delay over the scrape interval (ms); null when the server does not report it. */
  lagMs: { p50: number | null; p99: number | null; max: number | null };
  heapUsedMb: number | null;
  /** Backlog per queue: items due or being worked (inbox: pending + processing; outbox: pending + sending). */
  queues: Record<string, number>;
  /** Age of the oldest due item per queue (s), when the server reports it. */
  oldestAgeSeconds: Record<string, number>;
  /** Outbox rows by status (cumulative counts in the database). */
  outbox: Record<string, number>;
  inbox: Record<string, number>;
  /** Where the queue figures came from. */
  queueSource: 'bot_queue_depth' | 'status counts' | 'none';
  /** Present when the scrape failed. */
  error?: string;
}

const one = (samples: PromSample[], name: string): number | null => {
  const s = samples.find((x) => x.name === name);
  return s && Number.isFinite(s.value) ? s.value : null;
};

const byLabel = (samples: PromSample[], name: string, label: string): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const s of samples) if (s.name === name && s.labels[label] !== undefined) out[s.labels[label]] = (out[s.labels[label]] ?? 0) + s.value;
  return out;
};

/** What the soak keeps from one scrape. */
export function pickMetrics(samples: PromSample[]): ServerMetrics {
  const ms = (v: number | null) => (v === null ? null : v * 1000);
  const inbox = byLabel(samples, 'bot_inbox_events', 'status');
  const outbox = byLabel(samples, 'bot_outbox_deliveries', 'status');
  const depth = samples.filter((s) => s.name === 'bot_queue_depth');
  let queues: Record<string, number> = {};
  let queueSource: ServerMetrics['queueSource'] = 'none';
  if (depth.length > 0) {
    queueSource = 'bot_queue_depth';
    for (const s of depth) {
      const q = s.labels.queue ?? '?';
      // Deferred items wait on purpose (a later time): the backlog is what is due or in flight.
      if (s.labels.state !== 'deferred') queues[q] = (queues[q] ?? 0) + s.value;
    }
  } else if (Object.keys(inbox).length > 0 || Object.keys(outbox).length > 0) {
    queueSource = 'status counts';
    queues = { inbox: (inbox.pending ?? 0) + (inbox.processing ?? 0), outbox: (outbox.pending ?? 0) + (outbox.sending ?? 0) };
  }
  const heap = one(samples, 'nodejs_heap_size_used_bytes');
  return {
    lagMs: { p50: ms(one(samples, 'nodejs_eventloop_lag_p50_seconds')), p99: ms(one(samples, 'nodejs_eventloop_lag_p99_seconds')), max: ms(one(samples, 'nodejs_eventloop_lag_max_seconds')) },
    heapUsedMb: heap === null ? null : heap / 1048576,
    queues,
    oldestAgeSeconds: byLabel(samples, 'bot_queue_oldest_age_seconds', 'queue'),
    outbox,
    inbox,
    queueSource,
  };
}

/** Scrapes `${url}/metrics` with the bearer token; a failure is reported in `error`, never thrown. */
export async function scrape(url: string, token: string): Promise<ServerMetrics> {
  try {
    const res = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(20_000) });
    const text = await res.text();
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    return pickMetrics(parseProm(text));
  } catch (err) {
    return { lagMs: { p50: null, p99: null, max: null }, heapUsedMb: null, queues: {}, oldestAgeSeconds: {}, outbox: {}, inbox: {}, queueSource: 'none', error: err instanceof Error ? err.message : String(err) };
  }
}
