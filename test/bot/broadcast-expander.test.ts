import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBroadcast } from '../../src/services/broadcasts/create-broadcast.js';
import { createRepos } from '../../src/store/repos.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { eventually } from '../helpers/channels.js';
import { BroadcastFixtures, TEXT } from '../services/broadcasts/fixtures.js';

let app: TestApp;
let fx: BroadcastFixtures;
beforeAll(async () => {
  app = await startTestApp();
  fx = new BroadcastFixtures(app.db.prisma);
});
afterAll(async () => {
  await app?.close();
});

/** A class of `n` simulator contacts and a staff broadcast to it at `sendAt`. */
async function broadcastToClass(n: number, sendAt: Date): Promise<{ id: string; contacts: string[] }> {
  const s = await fx.school();
  const contacts = [];
  for (let i = 0; i < n; i++) contacts.push(await fx.contact({ channel: 'simulator', accountId: 'zalo', classId: s.classes[0]!.id }));
  const out = await createBroadcast(
    createRepos(app.db.prisma),
    { audience: { schoolIds: [], classIds: [s.classes[0]!.id], roles: ['parent'], onlyUnpledged: false, includeGroups: false }, messages: TEXT, sendAt, author: { kind: 'staff', staffId: 'console' } },
    new Date(),
  );
  if (!out.ok) throw new Error(out.reason);
  return { id: out.broadcast.id, contacts };
}

describe('the broadcast expander in the running app', () => {
  it('expands a broadcast sent now on the signal, and the dispatcher sends each recipient its message once', async () => {
    const b = await broadcastToClass(12, new Date());
    app.signals.emit('broadcast');
    const sent = await eventually(async () => {
      const rows = await app.db.prisma.delivery.findMany({ where: { broadcastId: b.id } });
      return rows.length === 12 && rows.every((r) => r.status === 'sent') && rows;
    }, 'every broadcast row sent');
    expect(new Set(sent.map((r) => r.contactId))).toEqual(new Set(b.contacts));
    // The dispatcher may send the first chunk's rows before the expander has written its last (empty) chunk and marked it.
    await eventually(async () => (await app.db.prisma.broadcast.findUniqueOrThrow({ where: { id: b.id } })).status === 'expanded', 'the broadcast marked expanded');
  });

  it('expands a scheduled broadcast once its time comes, without any signal', async () => {
    const sendAt = new Date(Date.now() + 1_500);
    const b = await broadcastToClass(3, sendAt);
    const done = await eventually(async () => {
      const row = await app.db.prisma.broadcast.findUniqueOrThrow({ where: { id: b.id } });
      return row.status === 'expanded' && row;
    }, 'the scheduled broadcast expanded');
    expect(done.expandedAt!.getTime()).toBeGreaterThanOrEqual(sendAt.getTime());
    await eventually(async () => (await app.db.prisma.delivery.count({ where: { broadcastId: b.id, status: 'sent' } })) === 3, 'its rows sent');
  });
});
