import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel, SendOutcome } from '../../../src/bot/channels/channel.js';
import { bulkSlots, Dispatcher } from '../../../src/bot/dispatcher.js';
import { createContactKeyer } from '../../../src/bot/log-keys.js';
import { Signals } from '../../../src/bot/signals.js';
import type { NewDelivery } from '../../../src/store/outbox.repo.js';
import { createRepos, type Repos } from '../../../src/store/repos.js';
import { eventually } from '../../helpers/channels.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.js';

const log = pino({ level: 'silent' });
let db: TestDatabase;
let repos: Repos;
beforeAll(async () => {
  db = await createTestDatabase();
  repos = createRepos(db.prisma);
});
afterAll(async () => {
  await db?.drop();
});

const row = (lane: string, text: string, extra: Partial<NewDelivery> = {}): NewDelivery => ({
  contactId: null,
  channel: 'simulator',
  accountId: 'acc',
  recipient: lane,
  laneKey: `simulator:${lane}`,
  message: { type: 'text', text },
  ...extra,
});

describe('slots kept for replies', () => {
  it('leaves at least one slot of a channel to replies', () => {
    expect(bulkSlots(1)).toBe(1);
    expect(bulkSlots(4)).toBe(3);
    expect(bulkSlots(8)).toBe(7);
    expect(bulkSlots(75)).toBe(71);
  });

  it('sends a new reply at once while campaign sends that do not answer hold every slot they may take', async () => {
    const slots = 4;
    const open: (() => void)[] = [];
    const sent: string[] = [];
    // Campaign sends hang until the test lets them go (a slow platform); replies answer at once.
    const channel: Channel = {
      id: 'simulator',
      policy: () => ({ kind: 'send' }),
      send: (d) => {
        const text = d.message.type === 'text' ? d.message.text : '?';
        const done = (): SendOutcome => {
          sent.push(text);
          return { ok: true, outcome: 'sent' };
        };
        return d.kind === 'bulk' ? new Promise((resolve) => open.push(() => resolve(done()))) : Promise.resolve(done());
      },
    };
    await repos.outbox.enqueue(Array.from({ length: 50 }, (_, i) => row(`bulk-${i}`, `campaign ${i}`, { kind: 'bulk', idempotencyKey: `c:${i}` })));
    const signals = new Signals();
    const dispatcher = new Dispatcher(
      { outbox: repos.outbox, channels: new Map([['simulator', channel]]), signals, log, contactKey: createContactKeyer('test') },
      // An hour's poll: only the signal can wake the dispatcher for the reply.
      { owner: 'test', concurrency: slots, leaseSeconds: 60, pollIntervalMs: 3_600_000 },
    );
    dispatcher.start();
    try {
      await eventually(() => open.length === bulkSlots(slots), 'campaign sends to fill their slots');
      await repos.outbox.enqueue([row('parent', 'reply')]);
      signals.emit('outbox');
      await eventually(() => sent.includes('reply'), 'the reply to be sent');
      // Not one campaign send had finished: the reply did not wait for a slot to free up.
      expect(sent).toEqual(['reply']);
      expect(open.length).toBe(bulkSlots(slots));
    } finally {
      for (const release of open.splice(0)) release();
      const stopping = dispatcher.stop();
      // Campaign sends claimed after the first ones were let go: release them too so stop can finish.
      const releaseLate = setInterval(() => open.splice(0).forEach((release) => release()), 20);
      await stopping;
      clearInterval(releaseLate);
    }
  });
});
