import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Ingest } from '../../src/bot/ingest.js';
import { Signals } from '../../src/bot/signals.js';
import { InboxRepo, type NewInboundEvent } from '../../src/store/inbox.repo.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

let db: TestDatabase;
let ingest: Ingest;
beforeAll(async () => {
  db = await createTestDatabase();
  ingest = new Ingest({ inbox: new InboxRepo(db.prisma), signals: new Signals() });
});
afterAll(async () => {
  await db?.drop();
});
beforeEach(async () => {
  await db.prisma.inboundEvent.deleteMany();
});

const ev = (key: string, payload: unknown, lane = 'simulator:zalo:u'): NewInboundEvent => ({ channel: 'simulator', accountId: 'zalo', dedupeKey: key, laneKey: lane, payload });

describe('ingest', () => {
  it('stores text with NUL removed and lone surrogates replaced, in every string of the payload and in the keys', async () => {
    const payload = { userId: 'u\u0000', input: { kind: 'payload', payload: 'ROLE:\u0000parent', text: 'a\ud800b\udc00' }, extra: [{ url: 'https://x/\udfff' }, 12] };
    const result = await ingest.store([ev('k\u0000ey', payload, 'simulator:zalo:u\ud800')]);
    expect([result.inserted.length, result.rejected]).toEqual([1, []]);
    const row = await db.prisma.inboundEvent.findFirstOrThrow();
    expect([row.dedupeKey, row.laneKey]).toEqual(['key', 'simulator:zalo:u\ufffd']);
    expect(row.payload).toEqual({ userId: 'u', input: { kind: 'payload', payload: 'ROLE:parent', text: 'a\ufffdb\ufffd' }, extra: [{ url: 'https://x/\ufffd' }, 12] });
  });

  it('keeps well-formed text, emoji pairs and Vietnamese included, exactly as it came', async () => {
    const text = 'Tố giác 😀 STK:1234567890123456, ok \u2028 "trích" \\ {}';
    await ingest.store([ev('plain', { text })]);
    expect((await db.prisma.inboundEvent.findFirstOrThrow()).payload).toEqual({ text });
  });

  it('rejects an event whose key would not fit the index, and stores the rest of the batch', async () => {
    const result = await ingest.store([ev('ok-1', {}), ev('x'.repeat(5000), {}), ev('ok-2', {}, 'simulator:zalo:' + 'y'.repeat(5000))]);
    expect(result.rejected).toEqual([
      { index: 1, reason: 'key too long' },
      { index: 2, reason: 'key too long' },
    ]);
    expect((await db.prisma.inboundEvent.findMany()).map((r) => r.dedupeKey)).toEqual(['ok-1']);
  });
});
