import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Channel, ChannelId, OutboundDelivery, PolicyDecision } from '../../src/bot/channels/channel.js';
import { Dispatcher } from '../../src/bot/dispatcher.js';
import { createContactKeyer } from '../../src/bot/log-keys.js';
import { RateLimiter } from '../../src/bot/rate-limiter.js';
import { Signals } from '../../src/bot/signals.js';
import type { NewDelivery } from '../../src/store/outbox.repo.js';
import { createRepos, type Repos } from '../../src/store/repos.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

const log = pino({ level: 'silent' });
let db: TestDatabase;
let repos: Repos;
let dispatcher: Dispatcher | undefined;

beforeAll(async () => {
  db = await createTestDatabase();
  repos = createRepos(db.prisma);
});
afterAll(async () => {
  await dispatcher?.stop();
  await db?.drop();
});
beforeEach(async () => {
  await dispatcher?.stop();
  dispatcher = undefined;
  await db.prisma.delivery.deleteMany();
  await db.prisma.rateWindow.deleteMany();
});

/** A channel that sends through the real shared rate limiter at `perSecond` and records what went out, in order. */
function limitedChannel(id: ChannelId, perSecond: number, sent: string[], policy: (d: OutboundDelivery) => PolicyDecision = () => ({ kind: 'send' })): Channel {
  const limiter = new RateLimiter(repos.rateWindows);
  return {
    id,
    policy,
    async send(d) {
      const slots = await limiter.acquire(`${id}:test`, perSecond, 1, { bulk: d.kind === 'bulk' });
      if (!slots.ok) return { ok: false, outcome: 'rate_limited', detail: 'local rate limit', retryAfterMs: slots.retryAfterMs, throttled: true };
      sent.push(d.message.type === 'text' ? d.message.text : '?');
      return { ok: true, outcome: 'sent' };
    },
  };
}

function start(channels: Channel[]): Signals {
  const signals = new Signals();
  dispatcher = new Dispatcher(
    { outbox: repos.outbox, channels: new Map(channels.map((c) => [c.id, c])), signals, log, contactKey: createContactKeyer('test') },
    { owner: 'test', concurrency: 8, leaseSeconds: 60, pollIntervalMs: 50 },
  );
  dispatcher.start();
  return signals;
}

const row = (channel: string, lane: string, text: string, extra: Partial<NewDelivery> = {}): NewDelivery => ({
  contactId: null,
  channel,
  accountId: 'acc',
  recipient: lane,
  laneKey: `${channel}:${lane}`,
  message: { type: 'text', text },
  ...extra,
});

async function until<T>(check: () => Promise<T | false> | T | false, what: string, ms = 120_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('dispatcher priorities', () => {
  it('sends a new reply before 20 000 queued campaign messages held by a slow rate limit', async () => {
    const sent: string[] = [];
    // One statement for the 20 000 rows (what a broadcast expansion writes), so the setup stays quick on a busy machine.
    await db.prisma.$executeRawUnsafe(`
      INSERT INTO "Delivery" ("channel", "accountId", "recipient", "laneKey", "message", "kind", "idempotencyKey")
      SELECT 'simulator', 'acc', 'p' || g, 'simulator:p' || g, jsonb_build_object('type', 'text', 'text', 'campaign ' || g), 'bulk', 'b:' || g
      FROM generate_series(0, 19999) g`);
    const signals = start([limitedChannel('simulator', 5, sent)]);
    // The limiter is saturated by campaign messages before the reply is written.
    await until(() => sent.length >= 4 || false, 'the first campaign messages');
    await repos.outbox.enqueue([row('simulator', 'p7', 'reply to p7')]);
    signals.emit('outbox');
    await until(() => sent.includes('reply to p7') || false, 'the reply');
    const before = sent.indexOf('reply to p7');
    // A few campaign messages may go in the seconds it takes; the other ~20 000 wait behind the reply.
    expect(before).toBeLessThan(40);
    expect(await db.prisma.delivery.count({ where: { kind: 'bulk', status: 'pending' } })).toBeGreaterThan(19_000);
  }, 180_000);

  it('keeps sending one channel while another is held by its rate limit', async () => {
    const slowSent: string[] = [];
    const fastSent: string[] = [];
    await repos.outbox.enqueue(Array.from({ length: 500 }, (_, i) => row('zalo', `z${i}`, `z ${i}`, { kind: 'bulk', idempotencyKey: `z:${i}` })));
    await repos.outbox.enqueue(Array.from({ length: 200 }, (_, i) => row('messenger', `m${i}`, `m ${i}`)));
    start([limitedChannel('zalo', 1, slowSent), limitedChannel('messenger', 10_000, fastSent)]);
    await until(() => fastSent.length === 200 || false, 'every Messenger message');
    expect(slowSent.length).toBeLessThan(100);
  });

  it('records the policy’s own outcome and reason for a deferral or a skip', async () => {
    const decisions: Record<string, PolicyDecision> = {
      quiet: { kind: 'defer', outcome: 'quiet_hours', until: new Date(Date.now() + 3_600_000), reason: 'quiet hours 22–06' },
      busy: { kind: 'defer', outcome: 'rate_limited', until: new Date(Date.now() + 3_600_000), reason: 'platform quota' },
      closed: { kind: 'skip', outcome: 'window_closed', reason: '24-hour window closed' },
    };
    const contact = await db.prisma.contact.create({ data: { channel: 'simulator', accountId: 'acc', userId: 'stopped', subscribed: false } });
    await repos.outbox.enqueue([
      ...Object.keys(decisions).map((lane) => row('simulator', lane, lane)),
      row('simulator', 'stopped', 'campaign', { kind: 'bulk', idempotencyKey: 'stopped', contactId: contact.id }),
    ]);
    start([limitedChannel('simulator', 100, [], (d) => decisions[d.recipient] ?? { kind: 'send' })]);
    const rows = await until(async () => {
      const r = await db.prisma.delivery.findMany({ orderBy: { id: 'asc' } });
      return r.every((x) => x.status !== 'sending' && x.outcome !== null) && r;
    }, 'every row decided');
    expect(rows.map((r) => [r.recipient, r.status, r.outcome, r.reason])).toEqual([
      ['quiet', 'pending', 'quiet_hours', 'quiet hours 22–06'],
      ['busy', 'pending', 'rate_limited', 'platform quota'],
      ['closed', 'skipped', 'window_closed', '24-hour window closed'],
      ['stopped', 'skipped', 'opted_out', 'the person opted out of campaign messages'],
    ]);
  });
});
