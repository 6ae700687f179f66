import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBroadcast } from '../../../src/services/broadcasts/create-broadcast.js';
import { createRepos } from '../../../src/store/repos.js';
import { BroadcastFixtures, TEXT } from '../../services/broadcasts/fixtures.js';
import type { Browser } from '../helpers/browser.js';
import { startConsoleApp, type ConsoleApp } from '../helpers/console-app.js';

// The broadcast list and detail pages: figures by reason, approving or rejecting a teacher's chat broadcast (as the
// chat does it: the teacher is told in chat), cancelling, each audited; scope decides what is seen (404 otherwise).

let c: ConsoleApp;
let fx: BroadcastFixtures;
beforeAll(async () => {
  c = await startConsoleApp();
  fx = new BroadcastFixtures(c.testDb.prisma);
});
afterAll(async () => {
  await c?.close();
});

/** A teacher's school-wide broadcast from chat, waiting for approval (the demo school asks for it). */
async function pendingChatBroadcast(): Promise<{ id: string; code: string; authorId: string }> {
  const school = c.world.schools.own.id;
  const teacher = await fx.contact({ channel: 'zalo', role: 'teacher', schoolId: school });
  await fx.verify(teacher, school, null);
  const out = await createBroadcast(createRepos(c.testDb.prisma), { audience: { schoolIds: [school], classIds: [], roles: ['parent'], onlyUnpledged: false, includeGroups: false }, messages: TEXT, sendAt: c.clock.now(), author: { kind: 'contact', contactId: teacher } }, c.clock.now());
  if (!out.ok || out.broadcast.status !== 'pending_approval') throw new Error(`expected a pending broadcast, got ${JSON.stringify(out)}`);
  return { id: out.broadcast.id, code: out.broadcast.code, authorId: teacher };
}

let seq = 0;
/** A broadcast made in the console by `staffId` to a class, with delivery rows of the given (status, outcome). */
async function sentBroadcast(classId: string, staffId: string, rows: [status: string, outcome: string | null, extra?: { deliveredAt?: Date; seenAt?: Date }][]): Promise<{ id: string; code: string }> {
  const b = await c.testDb.prisma.broadcast.create({
    data: {
      code: `TB-8${String(seq++).padStart(4, '0')}`,
      audience: { schoolIds: [], classIds: [classId], roles: ['parent'], onlyUnpledged: false, includeGroups: false },
      message: TEXT,
      status: 'expanded',
      sendAt: c.clock.now(),
      createdByStaffId: staffId,
      audienceSize: rows.length,
      expandedAt: c.clock.now(),
    },
  });
  for (const [i, [status, outcome, extra]] of rows.entries()) {
    await c.testDb.prisma.delivery.create({
      data: {
        channel: 'zalo', accountId: 'oa', recipient: `u${b.id}${i}`, laneKey: `lane${b.id}${i}`, message: TEXT[0]!, kind: 'bulk',
        idempotencyKey: `broadcast:${b.id}:c${i}:0`, broadcastId: b.id, status, outcome, ...(extra ?? {}),
      },
    });
  }
  return { id: b.id, code: b.code };
}

async function at(who: 'admin' | 'school_admin' | 'teacher', path: string): Promise<Browser> {
  const b = await c.signedIn(who);
  await b.get(path);
  return b;
}

describe('the broadcast list and detail', () => {
  it('shows the figures of each broadcast, and on its page the skipped and failed ones by reason', async () => {
    const now = c.clock.now();
    const { id, code } = await sentBroadcast(c.world.classes.own.id, c.world.accounts.school_admin.id, [
      ['sent', null, { deliveredAt: now, seenAt: now }],
      ['sent', null, { deliveredAt: now }],
      ['skipped', 'window_closed'],
      ['skipped', 'opted_out'],
      ['failed', 'user_unavailable'],
      ['pending', null],
    ]);
    const b = await at('school_admin', '/admin/broadcasts');
    const list = await b.get('/admin/broadcasts');
    expect(list.status).toBe(200);
    const row = new RegExp(`${code}</a></td><td>[^<]*</td><td>[^<]*</td><td>Bạn</td><td>1 lớp</td><td>6</td><td>2</td><td>2</td><td>1</td><td>2</td><td>1</td>`);
    expect(list.text).toMatch(row);
    const page = await b.get(`/admin/broadcasts/${id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<strong>6</strong> người nhận');
    expect(page.text).toContain('<strong>2</strong> đã nhận');
    expect(page.text).toContain('<strong>1</strong> đã xem');
    expect(page.text).toMatch(/<td>Bỏ qua<\/td><td>ngoài thời hạn nhắn tin của nền tảng[^<]*<\/td><td>1<\/td>/);
    expect(page.text).toMatch(/<td>Bỏ qua<\/td><td>đã tắt nhận thông báo<\/td><td>1<\/td>/);
    expect(page.text).toMatch(/<td>Lỗi<\/td><td>người nhận không còn nhận được tin[^<]*<\/td><td>1<\/td>/);
    expect(page.text).toContain(TEXT[0]!.text);
  });

  it('filters by status and answers an unknown one with a Vietnamese message', async () => {
    const b = await at('admin', '/admin/broadcasts');
    expect((await b.get('/admin/broadcasts?status=cancelled')).status).toBe(200);
    const bad = await b.get('/admin/broadcasts?status=gui-het');
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Trạng thái không có trong danh sách.');
  });

  it('answers 404 for a broadcast outside the account, on every route', async () => {
    const sibling = await sentBroadcast((await c.testDb.prisma.class.findUniqueOrThrow({ where: { code: 'TP-1A' } })).id, c.world.accounts.admin.id, [['pending', null]]);
    const b = await at('school_admin', '/admin/broadcasts');
    for (const path of ['', '/approve', '/reject', '/cancel']) {
      const a = path === '' ? await b.get(`/admin/broadcasts/${sibling.id}`) : await b.post(`/admin/broadcasts/${sibling.id}${path}`, { confirm: 'on' });
      expect(a.status, path).toBe(404);
    }
    expect((await b.get('/admin/broadcasts')).text).not.toContain(sibling.code);
    expect((await c.testDb.prisma.delivery.findFirstOrThrow({ where: { broadcastId: sibling.id } })).status).toBe('pending');
    // The office admin reaches it.
    expect((await (await at('admin', '/admin')).get(`/admin/broadcasts/${sibling.id}`)).status).toBe(200);
  });
});

describe('approving and rejecting', () => {
  it('lets the school admin approve a teacher’s chat broadcast: scheduled, the teacher told in chat, audited', async () => {
    const p = await pendingChatBroadcast();
    const b = await at('school_admin', '/admin/broadcasts');
    const list = await b.get('/admin/broadcasts');
    expect(list.text).toContain('thông báo của giáo viên đang chờ bạn duyệt');
    expect(list.text).toContain(p.code);
    const page = await b.get(`/admin/broadcasts/${p.id}`);
    expect(page.text).toContain('Duyệt và gửi');
    expect(page.text).toContain('Giáo viên, soạn trong chat');
    const a = await b.post(`/admin/broadcasts/${p.id}/approve`);
    expect(a.status).toBe(303);
    const row = await c.testDb.prisma.broadcast.findUniqueOrThrow({ where: { id: p.id } });
    expect(row).toMatchObject({ status: 'scheduled', decidedBy: `staff:${c.world.accounts.school_admin.id}` });
    const told = await c.testDb.prisma.delivery.findMany({ where: { contactId: p.authorId, kind: 'reply' } });
    expect(told.map((d) => (d.message as { text?: string }).text)).toEqual([`Thông báo ${p.code} của thầy/cô đã được duyệt và sẽ được gửi theo lịch.`]);
    const [entry] = await c.testDb.prisma.auditLog.findMany({ where: { action: 'broadcast_approved', targetId: p.id } });
    expect(entry).toMatchObject({ staffId: c.world.accounts.school_admin.id, schoolId: c.world.schools.own.id, detail: { code: p.code } });
    // A second decision finds it decided.
    const again = await b.post(`/admin/broadcasts/${p.id}/reject`);
    expect(again.status).toBe(409);
    expect(again.text).toContain('Thông báo này không còn chờ duyệt');
    expect((await c.testDb.prisma.broadcast.findUniqueOrThrow({ where: { id: p.id } })).status).toBe('scheduled');
  });

  it('lets an office admin reject one: rejected, the teacher told, audited', async () => {
    const p = await pendingChatBroadcast();
    const b = await at('admin', `/admin/broadcasts/${p.id}`);
    expect((await b.post(`/admin/broadcasts/${p.id}/reject`)).status).toBe(303);
    expect((await c.testDb.prisma.broadcast.findUniqueOrThrow({ where: { id: p.id } })).status).toBe('rejected');
    const told = await c.testDb.prisma.delivery.findMany({ where: { contactId: p.authorId, kind: 'reply' } });
    expect((told[0]?.message as { text?: string }).text).toContain('đã bị Ban giám hiệu từ chối');
    expect(await c.testDb.prisma.auditLog.count({ where: { action: 'broadcast_rejected', targetId: p.id } })).toBe(1);
  });

  it('is not for teachers', async () => {
    const p = await pendingChatBroadcast();
    const b = await at('teacher', '/admin/broadcasts');
    expect((await b.post(`/admin/broadcasts/${p.id}/approve`)).status).toBe(403);
    expect((await c.testDb.prisma.broadcast.findUniqueOrThrow({ where: { id: p.id } })).status).toBe('pending_approval');
  });
});

describe('cancelling', () => {
  it('stops what is not yet sent once confirmed, records it, and then says there is nothing left', async () => {
    const { id, code } = await sentBroadcast(c.world.classes.own.id, c.world.accounts.teacher.id, [['sent', null], ['pending', null], ['pending', null]]);
    const b = await at('teacher', `/admin/broadcasts/${id}`);
    const unconfirmed = await b.post(`/admin/broadcasts/${id}/cancel`, {});
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.text).toContain('Đánh dấu ô xác nhận');
    expect(await c.testDb.prisma.delivery.count({ where: { broadcastId: id, status: 'pending' } })).toBe(2);

    const done = await b.post(`/admin/broadcasts/${id}/cancel`, { confirm: 'on' });
    expect(done.status).toBe(303);
    expect(await c.testDb.prisma.delivery.count({ where: { broadcastId: id, status: 'skipped', outcome: 'cancelled' } })).toBe(2);
    expect((await c.testDb.prisma.broadcast.findUniqueOrThrow({ where: { id } })).status).toBe('cancelled');
    const page = await b.get(done.location!);
    expect(page.text).toContain('Đã huỷ thông báo');
    expect(page.text).toContain('<strong>2</strong> dừng do huỷ');
    const [entry] = await c.testDb.prisma.auditLog.findMany({ where: { action: 'broadcast_cancelled', targetId: id } });
    expect(entry).toMatchObject({ staffId: c.world.accounts.teacher.id, detail: { code, stopped: 2 } });
    expect(page.text).not.toContain('Huỷ thông báo</button>');
    const again = await b.post(`/admin/broadcasts/${id}/cancel`, { confirm: 'on' });
    expect(again.status).toBe(409);
    expect(again.text).toContain('Thông báo này đã kết thúc');
  });

  it('refuses a teacher cancelling someone else’s broadcast to their class, changing nothing', async () => {
    const { id } = await sentBroadcast(c.world.classes.own.id, c.world.accounts.school_admin.id, [['pending', null]]);
    const b = await at('teacher', `/admin/broadcasts/${id}`);
    const a = await b.post(`/admin/broadcasts/${id}/cancel`, { confirm: 'on' });
    expect(a.status).toBe(403);
    expect(a.text).toContain('Chỉ người tạo thông báo hoặc người duyệt mới huỷ được.');
    expect(await c.testDb.prisma.delivery.count({ where: { broadcastId: id, status: 'pending' } })).toBe(1);
  });
});
