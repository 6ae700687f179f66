// Expansion: one broadcast to `recipients` contacts of one class written into the outbox by expandDueBroadcasts, in
// the chunks the app uses for this database, timed; meanwhile (optionally) an open-loop stream of webhooks from
// other senders measures the acks Meta would see while the expansion holds the database.
import { expansionChunkSize } from '../src/bot/broadcast-expander.js';
import { createBroadcast } from '../src/services/broadcasts/create-broadcast.js';
import { expandDueBroadcasts } from '../src/services/broadcasts/expand-broadcast.js';
import { createRepos, inTransaction } from '../src/store/repos.js';
import type { BenchApp } from './bench-app.js';
import { startLoad, type LoadRun, type LoadSpec } from './load.js';
import { sleep, spread, type Spread } from './outbox-fill.js';

const FILL_CHUNK = 5_000;

export interface ExpansionResult {
  recipients: number;
  rows: number;
  chunkSize: number;
  chunks: number;
  fillSeconds: number;
  /** From the first lease to the broadcast marked expanded. */
  seconds: number;
  rowsPerSecond: number;
  /** Each chunk's transaction, as the expansion loop saw it (from the previous chunk's end). */
  chunkMs: Spread;
  /** Outbox rows of the broadcast counted afterwards (must equal `recipients`). */
  stored: number;
  /** The webhook stream during the expansion, if one ran. */
  acks?: LoadRun;
}

/**
 * Adds `recipients` parents of class NTT-6A1 (Messenger, window open), creates one broadcast to the class, then
 * expands it as the app's expander would (same chunk size) and times it; `stream` (when given) runs beside it.
 */
export async function runExpansion(bench: BenchApp, opts: { recipients: number; stream?: LoadSpec }): Promise<ExpansionResult> {
  const prisma = bench.db.prisma;
  const cls = await prisma.class.findUniqueOrThrow({ where: { code: 'NTT-6A1' } });
  const fillStarted = Date.now();
  const lastInteractionAt = new Date();
  for (let from = 0; from < opts.recipients; from += FILL_CHUNK) {
    const data = Array.from({ length: Math.min(FILL_CHUNK, opts.recipients - from) }, (_, k) => ({
      channel: 'messenger',
      accountId: bench.pageId,
      userId: `9${String(from + k).padStart(9, '0')}`,
      role: 'parent',
      schoolId: cls.schoolId,
      classId: cls.id,
      lastInteractionAt,
    }));
    await prisma.contact.createMany({ data });
  }
  await prisma.$executeRawUnsafe('ANALYZE "Contact"');
  const fillSeconds = (Date.now() - fillStarted) / 1000;

  const now = new Date();
  const out = await createBroadcast(
    createRepos(prisma),
    {
      audience: { schoolIds: [], classIds: [cls.id], roles: ['parent'], onlyUnpledged: false, includeGroups: true },
      messages: [{ type: 'text', text: 'Kính gửi phụ huynh: nhắc ký cam kết an toàn giao thông trước thứ Sáu.' }],
      sendAt: now,
      author: { kind: 'staff', staffId: 'bench' },
    },
    now,
  );
  if (!out.ok) throw new Error(`broadcast not created: ${out.reason}`);

  const chunkSize = expansionChunkSize(bench.db.kind);
  const stream = opts.stream ? startLoad(opts.stream) : undefined;
  // A moment of acks before the expansion starts, so the stream is running at its rate when it does.
  if (stream) await sleep(1_000);
  const chunkMs: number[] = [];
  let last = performance.now();
  const started = performance.now();
  let r: { broadcasts: number; rows: number };
  try {
    r = await expandDueBroadcasts((fn) => inTransaction(prisma, fn), {
      owner: 'bench',
      now: new Date(),
      chunkSize,
      onChunk: () => {
        const t = performance.now();
        chunkMs.push(t - last);
        last = t;
      },
    });
  } finally {
    stream?.stop();
  }
  const seconds = (performance.now() - started) / 1000;
  const acks = stream ? await stream.result : undefined;
  const stored = await prisma.delivery.count({ where: { broadcastId: out.broadcast.id } });
  return {
    recipients: opts.recipients,
    rows: r.rows,
    chunkSize,
    chunks: chunkMs.length,
    fillSeconds,
    seconds,
    rowsPerSecond: Math.round(r.rows / seconds),
    chunkMs: spread(chunkMs),
    stored,
    ...(acks ? { acks } : {}),
  };
}
