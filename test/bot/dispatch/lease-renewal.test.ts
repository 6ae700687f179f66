import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel, SendOutcome } from '../../../src/bot/channels/channel.js';
import { Dispatcher } from '../../../src/bot/dispatcher.js';
import { createContactKeyer } from '../../../src/bot/log-keys.js';
import { Signals } from '../../../src/bot/signals.js';
import { createRepos, type Repos } from '../../../src/store/repos.js';
import { eventually } from '../../helpers/channels.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.js';

// A send may be several platform calls (an image after `typing_on`, parts, a token refresh and the call again), each
// allowed SEND_TIMEOUT_MS: together they can outlast a lease. Found in review: another claim then took the row and
// sent it a second time. The dispatcher now extends the leases of the sends it is running.
const log = pino({ level: 'silent' });
const LEASE_SECONDS = 1;
let db: TestDatabase;
let repos: Repos;
beforeAll(async () => {
  db = await createTestDatabase();
  repos = createRepos(db.prisma);
});
afterAll(async () => {
  await db?.drop();
});

const leaseOf = async (id: bigint) => (await db.prisma.delivery.findUniqueOrThrow({ where: { id }, select: { leaseUntil: true, leaseOwner: true, status: true } }));

describe('a send that outlasts its lease', () => {
  it('keeps its row: the lease is extended while it runs, no other dispatcher takes it, and it is recorded once', async () => {
    let release: (() => void) | undefined;
    let calls = 0;
    // The platform answers only when the test lets it.
    const channel: Channel = {
      id: 'simulator',
      policy: () => ({ kind: 'send' }),
      send: () =>
        new Promise<SendOutcome>((resolve) => {
          calls++;
          release = () => resolve({ ok: true, outcome: 'sent' });
        }),
    };
    await repos.outbox.enqueue([{ contactId: null, channel: 'simulator', accountId: 'acc', recipient: 'slow', laneKey: 'simulator:slow', message: { type: 'text', text: 'ảnh chứng nhận' } }]);
    const { id } = await db.prisma.delivery.findFirstOrThrow({ where: { laneKey: 'simulator:slow' }, select: { id: true } });
    const signals = new Signals();
    const dispatcher = new Dispatcher(
      { outbox: repos.outbox, channels: new Map([['simulator', channel]]), signals, log, contactKey: createContactKeyer('test') },
      { owner: 'first', concurrency: 2, leaseSeconds: LEASE_SECONDS, pollIntervalMs: 3_600_000 },
    );
    dispatcher.start();
    try {
      await eventually(() => release !== undefined, 'the send to start');
      const first = (await leaseOf(id)).leaseUntil!;
      // Well past the lease the row was claimed with, the send still running: the lease has moved on with it.
      const renewed = await eventually(async () => {
        const l = await leaseOf(id);
        return Date.now() > first.getTime() + 1000 && l.leaseUntil!.getTime() > first.getTime() + 1000 && l;
      }, 'the lease to be extended past its first end');
      expect([renewed.status, renewed.leaseOwner]).toEqual(['sending', 'first']);
      // A second dispatcher recovering expired leases and claiming finds nothing to take.
      expect(await repos.outbox.claim('second', 10, LEASE_SECONDS, 'simulator', { recover: true })).toEqual([]);

      release!();
      await eventually(async () => (await leaseOf(id)).status === 'sent', 'the send to be recorded');
      expect(calls).toBe(1);
    } finally {
      release?.();
      await dispatcher.stop();
    }
  });
});
