import { setImmediate as nextTurn } from 'node:timers/promises';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { LeaseLoop } from '../../src/bot/lease-loop.js';
import { Signals } from '../../src/bot/signals.js';
import { eventually } from '../helpers/channels.js';

const log = pino({ level: 'silent' });
// Long enough that a test passing proves a wake-up other than the poll interval.
const AN_HOUR = 3_600_000;

/** A queue of numbered items whose handlers stay open until the test finishes them. */
function fakeQueue(opts: { slots: number; batch: number; items: number[] }) {
  const waiting = [...opts.items];
  const open = new Map<number, () => void>();
  const handled: number[] = [];
  const claims: { free: number; inFlight: number }[] = [];
  let running = 0;
  let mostAtOnce = 0;
  return {
    waiting,
    open,
    handled,
    claims,
    mostAtOnce: () => mostAtOnce,
    finish(item: number) {
      const done = open.get(item);
      if (!done) throw new Error(`item ${item} is not being handled`);
      open.delete(item);
      done();
    },
    queue: {
      name: 'fake',
      slots: opts.slots,
      batch: opts.batch,
      claim: async (free: number) => {
        claims.push({ free, inFlight: running });
        return waiting.splice(0, free);
      },
      handle: (item: number) => {
        running++;
        mostAtOnce = Math.max(mostAtOnce, running);
        return new Promise<void>((resolve) =>
          open.set(item, () => {
            running--;
            handled.push(item);
            resolve();
          }),
        );
      },
    },
  };
}

let loop: LeaseLoop<number> | undefined;
afterEach(async () => {
  await loop?.stop();
  loop = undefined;
});

function start(queue: ReturnType<typeof fakeQueue>['queue'], signals: Signals, released?: () => void): LeaseLoop<number> {
  loop = new LeaseLoop({
    queues: [queue],
    latch: () => signals.latch('inbox'),
    pollIntervalMs: AN_HOUR,
    releaseLeases: async () => released?.(),
    log,
  });
  loop.start();
  return loop;
}

describe('LeaseLoop', () => {
  it('never runs more handlers than its slots, and takes the rest as slots free up', async () => {
    const fake = fakeQueue({ slots: 3, batch: 1, items: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] });
    start(fake.queue, new Signals());
    for (let next = 1; next <= 10; next++) {
      await eventually(() => fake.open.has(next), `item ${next} to be handled`);
      expect(fake.open.size).toBeLessThanOrEqual(3);
      fake.finish(next);
    }
    await eventually(() => fake.handled.length === 10, 'every item to be handled');
    expect(fake.mostAtOnce()).toBeLessThanOrEqual(3);
    expect(fake.claims.every((c) => c.free + c.inFlight <= 3)).toBe(true);
  });

  it('with items in flight, claims only once a whole batch of slots is free', async () => {
    const fake = fakeQueue({ slots: 4, batch: 2, items: [1, 2, 3, 4, 5, 6, 7, 8] });
    start(fake.queue, new Signals());
    await eventually(() => fake.open.size === 4, 'four items in flight');
    fake.finish(1);
    fake.finish(2);
    await eventually(() => fake.open.has(5) && fake.open.has(6), 'items 5 and 6 to be handled');
    for (const item of [3, 4, 5, 6]) fake.finish(item);
    await eventually(() => fake.open.has(7) && fake.open.has(8), 'items 7 and 8 to be handled');
    fake.finish(7);
    fake.finish(8);
    const busyClaims = fake.claims.filter((c) => c.inFlight > 0);
    expect(busyClaims.length).toBeGreaterThan(0);
    expect(busyClaims.every((c) => c.free >= 2)).toBe(true);
  });

  it('wakes on a signal instead of sleeping until the poll interval', async () => {
    const fake = fakeQueue({ slots: 2, batch: 1, items: [] });
    const signals = new Signals();
    start(fake.queue, signals);
    await eventually(() => fake.claims.length > 0, 'the first claim');
    fake.waiting.push(1);
    signals.emit('inbox');
    await eventually(() => fake.open.has(1), 'the signalled item to be handled', 10_000);
    fake.finish(1);
  });

  it('after a signal, claims into fewer free slots than a batch (a new reply must not wait for a batch to free up)', async () => {
    const fake = fakeQueue({ slots: 4, batch: 4, items: [1, 2, 3, 4] });
    const signals = new Signals();
    start(fake.queue, signals);
    await eventually(() => fake.open.size === 4, 'four items in flight');
    fake.finish(1);
    await eventually(() => fake.handled.length === 1 && fake.claims.length === 1, 'item 1 done, no claim for one free slot');
    fake.waiting.push(5);
    signals.emit('inbox');
    await eventually(() => fake.open.has(5), 'the signalled item to be handled in the one free slot', 10_000);
    expect(fake.claims.at(-1)).toEqual({ free: 1, inFlight: 3 });
    for (const item of [2, 3, 4, 5]) fake.finish(item);
  });

  it('claims again when a handler finishes, without any signal (the next event of that lane is due)', async () => {
    const fake = fakeQueue({ slots: 1, batch: 1, items: [1, 2] });
    start(fake.queue, new Signals());
    await eventually(() => fake.open.has(1), 'item 1 to be handled');
    fake.finish(1);
    await eventually(() => fake.open.has(2), 'item 2 to be handled', 10_000);
    fake.finish(2);
  });

  it('on stop, claims nothing more, waits for the handlers in flight, then returns its leases', async () => {
    const fake = fakeQueue({ slots: 2, batch: 1, items: [1, 2, 3, 4, 5] });
    let released = false;
    const l = start(fake.queue, new Signals(), () => (released = true));
    await eventually(() => fake.open.size === 2, 'two items in flight');
    let stopped = false;
    const stopping = l.stop().then(() => (stopped = true));
    await nextTurn();
    await nextTurn();
    expect({ stopped, released, inFlight: l.inFlight() }).toEqual({ stopped: false, released: false, inFlight: 2 });
    fake.finish(1);
    fake.finish(2);
    await stopping;
    expect({ stopped, released, inFlight: l.inFlight(), waiting: fake.waiting }).toEqual({ stopped: true, released: true, inFlight: 0, waiting: [3, 4, 5] });
    loop = undefined;
  });

  it('while claims fail (the database is gone) logs once per streak, and says so when they work again', async () => {
    const lines: { level: number; msg: string }[] = [];
    const capture = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as { level: number; msg: string }) });
    let failing = true;
    let claims = 0;
    loop = new LeaseLoop<number>({
      queues: [{ name: 'down', slots: 1, batch: 1, claim: async () => { claims++; if (failing) throw new Error('connection refused'); return []; }, handle: async () => {} }],
      latch: () => new Signals().latch('inbox'),
      pollIntervalMs: 1,
      releaseLeases: async () => {},
      log: capture,
    });
    loop.start();
    await eventually(() => claims >= 6, 'six failed claims');
    expect(lines.filter((l) => l.msg.startsWith('claim failed'))).toHaveLength(1);
    failing = false;
    await eventually(() => lines.some((l) => l.msg === 'claims work again'), 'the recovery line');
    expect(lines.filter((l) => l.msg.startsWith('claim failed'))).toHaveLength(1);
  });
});
