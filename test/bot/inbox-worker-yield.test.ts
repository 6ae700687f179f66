import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { InboxWorker } from '../../src/bot/inbox-worker.js';
import { Signals } from '../../src/bot/signals.js';
import type { TurnProcessor } from '../../src/bot/turn-processor.js';
import type { ClaimedEvent, InboxRepo } from '../../src/store/inbox.repo.js';
import { eventually } from '../helpers/channels.js';

const log = pino({ level: 'silent' });
const CONCURRENCY = 16;

/** An inbox of `n` events and a processor whose turns stay open until the test ends them. */
function world(n: number) {
  const waiting: ClaimedEvent[] = Array.from({ length: n }, (_, i) => ({ id: BigInt(i + 1), channel: 'simulator', accountId: 'a', laneKey: `lane-${i}`, payload: {}, attempts: 1 }));
  const open: (() => void)[] = [];
  let running = 0;
  const inbox = {
    claim: async (_owner: string, limit: number) => waiting.splice(0, limit),
    fail: async () => true,
    releaseLeases: async () => 0,
  } as unknown as InboxRepo;
  const processor = {
    process: () =>
      new Promise((resolve) => {
        running++;
        open.push(() => {
          running--;
          resolve({ ok: true, replies: 0, sensitive: false });
        });
      }),
  } as unknown as TurnProcessor;
  return { inbox, processor, open, running: () => running, left: () => waiting.length };
}

let worker: InboxWorker | undefined;
let current: ReturnType<typeof world> | undefined;
afterEach(async () => {
  // Ends the turns still open, so stopping (which waits for them) returns.
  const stopping = worker?.stop();
  while (current && current.open.length > 0) current.open.shift()!();
  await stopping;
  worker = undefined;
});

describe('the inbox worker under a webhook burst', () => {
  it('runs one turn at a time while webhooks wait for their insert, and all its slots once the burst is over', async () => {
    const w = (current = world(100));
    let busy = true;
    const signals = new Signals();
    worker = new InboxWorker(
      { inbox: w.inbox, processor: w.processor, signals, log, contactKey: () => 'k', ingestBusy: () => busy },
      { owner: 'test', concurrency: CONCURRENCY, leaseSeconds: 30, pollIntervalMs: 3_600_000 },
    );
    worker.start();
    await eventually(() => w.running() === 1 && w.left() === 99, 'one turn running, one event claimed');
    // As a turn ends the worker runs the next event, never more than one at once.
    for (let round = 1; round <= 3; round++) {
      while (w.open.length > 0) w.open.shift()!();
      await eventually(() => w.running() === 1 && w.left() === 99 - round, `round ${round}: the next turn running`);
    }
    expect(w.running()).toBe(1);
    busy = false;
    signals.emit('inbox');
    await eventually(() => w.running() === CONCURRENCY, 'every slot busy after the burst');
  });
});
