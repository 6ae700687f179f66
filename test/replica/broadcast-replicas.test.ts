// Two app instances ("replicas") on one PostgreSQL schema expand and dispatch one broadcast. Each replica sends
// through its own Messenger double with the same page id, so the shared rate-limit key is one and the sends can be
// told apart. PostgreSQL only: the embedded database has a single connection in one process.
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { startApp, type RunningApp } from '../../src/main.js';
import { createBroadcast } from '../../src/services/broadcasts/create-broadcast.js';
import { createRepos } from '../../src/store/repos.js';
import { startMessengerDouble, type MessengerDouble } from '../doubles/messenger-double.js';
import { eventually, messengerEnv } from '../helpers/channels.js';
import { createTestDatabase, PG_URL, type TestDatabase } from '../helpers/db.js';

const RECIPIENTS = 5_000;
const RATE = 250;
const PAGE = '100000000000777';

let db: TestDatabase;
const doubles: MessengerDouble[] = [];
const apps: RunningApp[] = [];

const silent = () => pino({ level: 'warn', base: undefined }, new Writable({ write: (_c, _e, cb) => cb() }));

describe.skipIf(!PG_URL)('one broadcast on two replicas', () => {
  beforeAll(async () => {
    db = await createTestDatabase();
    for (let i = 0; i < 2; i++) {
      const double = await startMessengerDouble({ pageId: PAGE });
      doubles.push(double);
      const config = loadConfig({
        NODE_ENV: 'test',
        PORT: '0',
        HOST: '127.0.0.1',
        DATA_DIR: `/tmp/ssb-replica-test-${process.pid}`,
        APP_SECRET: 'replica-secret-replica-secret-replica-01',
        SEED_DEMO: 'true',
        POLL_INTERVAL_MS: '50',
        ...messengerEnv(double),
        MESSENGER_RATE_PER_SECOND: String(RATE),
      });
      // One after the other: both migrate and the second finds the demo seeded.
      apps.push(await startApp(config, { db: i === 0 ? db : await db.openAnother(), log: silent() }));
    }
  });
  afterAll(async () => {
    await Promise.all(apps.map((a) => a.stop()));
    await Promise.all(doubles.map((d) => d.close()));
    await db?.drop();
  });

  it('sends each recipient exactly once, and the two together stay within the shared rate limit', { timeout: 180_000 }, async () => {
    const cls = await db.prisma.class.findUniqueOrThrow({ where: { code: 'NTT-6A1' } });
    const wrote = new Date();
    await db.prisma.contact.createMany({
      data: Array.from({ length: RECIPIENTS }, (_, i) => ({
        channel: 'messenger', accountId: PAGE, userId: `7${String(i).padStart(9, '0')}`, role: 'parent', schoolId: cls.schoolId, classId: cls.id, lastInteractionAt: wrote,
      })),
    });
    const out = await createBroadcast(
      createRepos(db.prisma),
      {
        audience: { schoolIds: [], classIds: [cls.id], roles: ['parent'], onlyUnpledged: false, includeGroups: false },
        messages: [{ type: 'text', text: 'Kính gửi phụ huynh lớp 6A1: nhắc ký cam kết an toàn giao thông.' }],
        sendAt: new Date(),
        author: { kind: 'staff', staffId: 'replica-test' },
      },
      new Date(),
    );
    if (!out.ok) throw new Error(out.reason);
    for (const a of apps) a.signals.emit('broadcast');

    await eventually(
      async () => (await db.prisma.delivery.count({ where: { broadcastId: out.broadcast.id, status: 'sent' } })) === RECIPIENTS,
      'every recipient sent',
      150_000,
    );
    const rows = await db.prisma.delivery.findMany({ where: { broadcastId: out.broadcast.id }, select: { recipient: true, status: true } });
    expect(rows).toHaveLength(RECIPIENTS);
    expect(new Set(rows.map((r) => r.recipient)).size).toBe(RECIPIENTS);

    // What the platform saw: every recipient once, from one replica or the other, and both did part of the work.
    const sends = doubles.map((d) => d.sent().filter((s) => s.recipientId.startsWith('7')));
    const all = sends.flat();
    expect(all).toHaveLength(RECIPIENTS);
    expect(new Set(all.map((s) => s.recipientId)).size).toBe(RECIPIENTS);
    for (const s of sends) expect(s.length).toBeGreaterThan(0);

    // The shared limit: slots are counted per one-second window in the database before any send, by both replicas
    // together, and no window ever counted more than the limit.
    const windows = await db.prisma.rateWindow.findMany({ where: { key: `messenger:page:${PAGE}` } });
    expect(windows.reduce((n, w) => n + w.count, 0)).toBeGreaterThanOrEqual(RECIPIENTS);
    expect(Math.max(...windows.map((w) => w.count))).toBeLessThanOrEqual(RATE);
    // As the platform saw it: on average within the limit; in any one second at most two windows' worth (a send
    // arrives a moment after its slot was taken, so the end of one window can land in the next second).
    const first = Math.min(...all.map((s) => s.at));
    const last = Math.max(...all.map((s) => s.at));
    expect(RECIPIENTS / ((last - first) / 1000 + 1)).toBeLessThanOrEqual(RATE);
    const perSecond = new Map<number, number>();
    for (const s of all) perSecond.set(Math.floor(s.at / 1000), (perSecond.get(Math.floor(s.at / 1000)) ?? 0) + 1);
    expect(Math.max(...perSecond.values())).toBeLessThanOrEqual(2 * RATE);
  });
});
