import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TipCategory } from '../../../src/content/tip-categories.js';
import type { StaffScope } from '../../../src/services/staff/staff-scope.js';
import { createConsoleTips, type ConsoleTips } from '../../../src/services/tips/console-tips.js';
import { tipScopeOf } from '../../../src/services/tips/tip-scope-of.js';
import type { Tips } from '../../../src/services/tips/tips.js';
import { inTransaction } from '../../../src/store/repos.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.js';
import { testTips } from '../../helpers/tips.js';

// The console's tip verbs on a real database: scope (school, office + schoolless tips, all), the inbox's order and
// filters, triage within the scope, notes that never reach the tipster, closing, and the audit entries of each.

let db: TestDatabase;
let tips: Tips;
let consoleTips: ConsoleTips;
const ids = { officeA: '', officeB: '', a1: '', a2: '', b1: '', handlerA1: '', officeHandlerA: '' };
let schoolHandler: StaffScope;
let officeHandler: StaffScope;
let systemAdmin: StaffScope;
let t0 = new Date('2026-11-20T02:00:00Z');

const scopeOf = (staffId: string, role: StaffScope['role'], officeId: string | null, schoolIds: StaffScope['schoolIds']): StaffScope => ({ staffId, role, officeId, schoolIds, classIds: [] });

async function submit(opts: { schoolId: string | null; urgent?: boolean; category?: TipCategory; description?: string; consent?: boolean }) {
  t0 = new Date(t0.getTime() + 3600_000);
  const out = await inTransaction(db.prisma, (repos) =>
    tips.submit(
      repos,
      { category: opts.category ?? 'theft', description: opts.description ?? 'Mất xe đạp ở nhà xe', place: null, schoolId: opts.schoolId, urgent: opts.urgent ?? false },
      { submitter: `test:${randomUUID()}`, route: opts.consent ? { channel: 'zalo', accountId: 'oa-1', userId: `u-${randomUUID()}` } : null },
      t0,
    ),
  );
  if (!out.ok) throw new Error(out.reason);
  const row = await db.prisma.tip.findUniqueOrThrow({ where: { publicCode: out.code } });
  return { id: row.id, code: out.code, pin: out.pin };
}

const actor = (scope: StaffScope) => ({ staffId: scope.staffId, now: new Date(t0.getTime() + 60_000) });

beforeAll(async () => {
  db = await createTestDatabase();
  const p = db.prisma;
  const encryptionKey = randomBytes(32);
  const handleKey = randomBytes(32);
  tips = testTips(p, { encryptionKey, handleKey, dailyLimit: 1000 });
  consoleTips = createConsoleTips({ prisma: p, encryptionKey, handleKey });
  const oa = await p.office.create({ data: { code: 'PGD-A', name: 'Phòng A' } });
  const ob = await p.office.create({ data: { code: 'PGD-B', name: 'Phòng B' } });
  const a1 = await p.school.create({ data: { officeId: oa.id, code: 'A1', name: 'Trường A1', level: 'THCS' } });
  const a2 = await p.school.create({ data: { officeId: oa.id, code: 'A2', name: 'Trường A2', level: 'THCS' } });
  const b1 = await p.school.create({ data: { officeId: ob.id, code: 'B1', name: 'Trường B1', level: 'THCS' } });
  const h1 = await p.staffUser.create({ data: { email: 'h1@test', name: 'Cán bộ A1', role: 'tip_handler', passwordHash: 'x', schoolId: a1.id } });
  const ho = await p.staffUser.create({ data: { email: 'ho@test', name: 'Cán bộ Phòng A', role: 'tip_handler', passwordHash: 'x', officeId: oa.id } });
  const root = await p.staffUser.create({ data: { email: 'root@test', name: 'Quản trị', role: 'admin', passwordHash: 'x' } });
  Object.assign(ids, { officeA: oa.id, officeB: ob.id, a1: a1.id, a2: a2.id, b1: b1.id, handlerA1: h1.id, officeHandlerA: ho.id });
  schoolHandler = scopeOf(h1.id, 'tip_handler', null, [a1.id]);
  officeHandler = scopeOf(ho.id, 'tip_handler', oa.id, [a1.id, a2.id]);
  systemAdmin = scopeOf(root.id, 'admin', null, 'all');
});
afterAll(async () => {
  await db?.drop();
});

describe('tipScopeOf', () => {
  it('maps staff scopes to tip scopes as the tip API does', () => {
    expect(tipScopeOf(scopeOf('x', 'admin', null, 'all'))).toEqual({ kind: 'all' });
    expect(tipScopeOf(scopeOf('x', 'admin', 'office-1', ['s1', 's2']))).toEqual({ kind: 'office', schoolIds: ['s1', 's2'] });
    expect(tipScopeOf(scopeOf('x', 'tip_handler', 'office-1', ['s1', 's2']))).toEqual({ kind: 'office', schoolIds: ['s1', 's2'] });
    expect(tipScopeOf(scopeOf('x', 'tip_handler', 'office-1', []))).toEqual({ kind: 'office', schoolIds: [] });
    // A handler reaching one school never gets the tips of no school, even with an office on the account.
    expect(tipScopeOf(scopeOf('x', 'tip_handler', 'office-1', ['s1']))).toEqual({ kind: 'school', schoolId: 's1' });
    expect(tipScopeOf(scopeOf('x', 'admin', 'office-1', ['s1']))).toEqual({ kind: 'office', schoolIds: ['s1'] });
    expect(tipScopeOf(scopeOf('x', 'tip_handler', null, ['s1']))).toEqual({ kind: 'school', schoolId: 's1' });
    expect(tipScopeOf(scopeOf('x', 'tip_handler', null, []))).toEqual({ kind: 'none' });
    expect(tipScopeOf({ ...scopeOf('x', 'school_admin', null, ['s1']), classIds: 'all' })).toEqual({ kind: 'none' });
    expect(tipScopeOf(scopeOf('x', 'teacher', null, ['s1']))).toEqual({ kind: 'none' });
  });
});

describe('the inbox', () => {
  it('lists each scope its tips, urgent unacknowledged ones first, without any text', async () => {
    const calm = await submit({ schoolId: ids.a1, description: 'MẬT-1 chuyện thường' });
    const urgent = await submit({ schoolId: ids.a1, urgent: true, description: 'MẬT-2 có người mang dao' });
    const later = await submit({ schoolId: ids.a1, description: 'MẬT-3 chuyện mới hơn' });
    const sibling = await submit({ schoolId: ids.a2 });
    const none = await submit({ schoolId: null });
    const foreign = await submit({ schoolId: ids.b1 });

    const mine = await consoleTips.inbox(schoolHandler);
    expect(mine.waitingUrgent.map((t) => t.id)).toEqual([urgent.id]);
    expect(mine.tips.map((t) => t.id)).toEqual([later.id, calm.id]);
    expect(JSON.stringify(mine)).not.toMatch(/MẬT|Cipher|pinHash/);
    expect(mine.tips[0]!.schoolName).toBe('Trường A1');

    const office = await consoleTips.inbox(officeHandler);
    expect(new Set([...office.waitingUrgent, ...office.tips].map((t) => t.id))).toEqual(new Set([calm.id, urgent.id, later.id, sibling.id, none.id]));
    const all = await consoleTips.inbox(systemAdmin);
    expect([...all.waitingUrgent, ...all.tips].map((t) => t.id)).toContain(foreign.id);

    // Once acknowledged, the urgent tip takes its place by time.
    expect((await consoleTips.acknowledge(schoolHandler, urgent.id, actor(schoolHandler))).ok).toBe(true);
    const after = await consoleTips.inbox(schoolHandler);
    expect(after.waitingUrgent).toEqual([]);
    expect(after.tips.map((t) => t.id)).toEqual([later.id, urgent.id, calm.id]);
    expect(await db.prisma.auditLog.count({ where: { action: 'tip_acknowledged', targetId: urgent.id, schoolId: ids.a1 } })).toBe(1);
  });

  it('filters by status, urgency, category and school, and flags a school outside the scope', async () => {
    const drugs = await submit({ schoolId: ids.a2, category: 'drugs' });
    const byCategory = await consoleTips.inbox(officeHandler, { category: 'drugs' });
    expect(byCategory.tips.map((t) => t.id)).toEqual([drugs.id]);
    const bySchool = await consoleTips.inbox(officeHandler, { school: ids.a2 });
    expect(bySchool.tips.every((t) => t.schoolId === ids.a2)).toBe(true);
    expect(bySchool.tips.length).toBeGreaterThan(0);
    const schoolless = await consoleTips.inbox(officeHandler, { school: 'none' });
    expect(schoolless.tips.length).toBeGreaterThan(0);
    expect(schoolless.tips.every((t) => t.schoolId === null)).toBe(true);
    expect(await consoleTips.inbox(officeHandler, { school: ids.b1 })).toMatchObject({ tips: [], waitingUrgent: [], schoolOutOfScope: true });
    expect(await consoleTips.inbox(schoolHandler, { school: 'none' })).toMatchObject({ tips: [], schoolOutOfScope: true });
    expect((await consoleTips.inbox(schoolHandler, { urgency: 'urgent', status: 'all' })).tips.every((t) => t.urgent)).toBe(true);
    await consoleTips.close(officeHandler, drugs.id, 'duplicate', actor(officeHandler));
    expect((await consoleTips.inbox(officeHandler, { category: 'drugs' })).tips).toEqual([]);
    expect((await consoleTips.inbox(officeHandler, { category: 'drugs', status: 'closed' })).tips.map((t) => [t.id, t.outcome])).toEqual([[drugs.id, 'duplicate']]);
  });

  it('pages through older tips, each once', async () => {
    const made = [];
    for (let i = 0; i < 53; i++) made.push((await submit({ schoolId: ids.b1, category: 'traffic' })).id);
    const first = await consoleTips.inbox(systemAdmin, { category: 'traffic' });
    expect(first.tips.length).toBe(50);
    expect(first.next).not.toBeNull();
    const second = await consoleTips.inbox(systemAdmin, { category: 'traffic', before: first.next! });
    expect(second.next).toBeNull();
    expect([...first.tips, ...second.tips].map((t) => t.id)).toEqual([...made].reverse());
  });
});

describe('a tip opened in the console', () => {
  it('is decrypted, its view audited, and null outside the scope (no entry then)', async () => {
    const tip = await submit({ schoolId: ids.a2, description: 'Có người bán thuốc lá điện tử ở cổng trường' });
    expect(await consoleTips.open(schoolHandler, tip.id, actor(schoolHandler))).toBeNull();
    expect(await db.prisma.auditLog.count({ where: { targetId: tip.id } })).toBe(0);
    const seen = await consoleTips.open(officeHandler, tip.id, actor(officeHandler));
    expect(seen).toMatchObject({ code: tip.code, description: 'Có người bán thuốc lá điện tử ở cổng trường', schoolName: 'Trường A2', unreadable: false, canReply: false });
    expect(await db.prisma.auditLog.findMany({ where: { targetId: tip.id } })).toMatchObject([{ action: 'tip_viewed', staffId: ids.officeHandlerA, targetType: 'tip', schoolId: ids.a2, officeId: ids.officeA }]);
  });

  it('records the view of a schoolless tip under the office of the account', async () => {
    const tip = await submit({ schoolId: null });
    await consoleTips.open(officeHandler, tip.id, actor(officeHandler));
    expect(await db.prisma.auditLog.findFirst({ where: { targetId: tip.id } })).toMatchObject({ schoolId: null, officeId: ids.officeA });
  });

  it('shows a part it cannot decrypt as unreadable instead of failing', async () => {
    const tip = await submit({ schoolId: ids.a1 });
    const other = await submit({ schoolId: ids.a1 });
    const stolen = (await db.prisma.tip.findUniqueOrThrow({ where: { id: other.id } })).descriptionCipher;
    await db.prisma.tip.update({ where: { id: tip.id }, data: { descriptionCipher: stolen } });
    expect(await consoleTips.open(schoolHandler, tip.id, actor(schoolHandler))).toMatchObject({ description: null, unreadable: true });
  });
});

describe('triage', () => {
  it('routes a tip only within the scope, changes nothing otherwise, and audits the change', async () => {
    const tip = await submit({ schoolId: ids.a1, category: 'other' });
    const moved = await consoleTips.triage(officeHandler, tip.id, { category: 'weapons', urgent: true, status: 'in_progress', schoolId: ids.a2 }, actor(officeHandler));
    expect(moved).toEqual({ ok: true, changed: ['category', 'urgent', 'status', 'schoolId'] });
    expect(await db.prisma.tip.findUniqueOrThrow({ where: { id: tip.id } })).toMatchObject({ category: 'weapons', urgent: true, status: 'in_progress', schoolId: ids.a2 });
    expect(await db.prisma.systemAlert.count({ where: { kind: 'urgent_tip', resolvedAt: null } })).toBe(1);
    expect(await db.prisma.auditLog.findFirst({ where: { targetId: tip.id, action: 'tip_triaged' } })).toMatchObject({ schoolId: ids.a2, detail: { fromSchool: ids.a1, category: 'weapons' } });

    expect(await consoleTips.triage(officeHandler, tip.id, { category: 'weapons', urgent: true, status: 'in_progress', schoolId: ids.b1 }, actor(officeHandler))).toEqual({ ok: false, reason: 'school_out_of_scope' });
    const own = await submit({ schoolId: ids.a1 });
    expect(await consoleTips.triage(schoolHandler, own.id, { category: 'theft', urgent: false, status: 'triaged', schoolId: null }, actor(schoolHandler))).toEqual({ ok: false, reason: 'school_out_of_scope' });
    expect(await consoleTips.triage(schoolHandler, tip.id, { category: 'theft', urgent: false, status: 'triaged', schoolId: ids.a1 }, actor(schoolHandler))).toEqual({ ok: false, reason: 'not_found' });
    expect(await db.prisma.tip.findUniqueOrThrow({ where: { id: tip.id } })).toMatchObject({ category: 'weapons', schoolId: ids.a2 });
    expect(await consoleTips.triage(officeHandler, tip.id, { category: 'weapons', urgent: true, status: 'in_progress', schoolId: ids.a2 }, actor(officeHandler))).toEqual({ ok: true, changed: [] });
  });

  it('refuses to triage a closed tip', async () => {
    const tip = await submit({ schoolId: ids.a1 });
    expect(await consoleTips.close(schoolHandler, tip.id, 'spam', actor(schoolHandler))).toEqual({ ok: true });
    expect(await consoleTips.close(schoolHandler, tip.id, 'resolved', actor(schoolHandler))).toEqual({ ok: false, reason: 'closed' });
    expect(await consoleTips.triage(schoolHandler, tip.id, { category: 'theft', urgent: false, status: 'triaged', schoolId: ids.a1 }, actor(schoolHandler))).toEqual({ ok: false, reason: 'closed' });
    expect(await consoleTips.close(schoolHandler, (await submit({ schoolId: ids.a1 })).id, 'prank', actor(schoolHandler))).toEqual({ ok: false, reason: 'invalid' });
  });
});

describe('replies and notes', () => {
  it('queues a notice through the sealed handle when the tipster agreed, and the tipster reads replies but never notes', async () => {
    const withChat = await submit({ schoolId: ids.a1, consent: true });
    const webOnly = await submit({ schoolId: ids.a1 });
    expect(await consoleTips.reply(schoolHandler, withChat.id, 'Nhà trường đã nhận tin và đang xác minh.', actor(schoolHandler))).toEqual({ ok: true, notified: true });
    expect(await consoleTips.reply(schoolHandler, webOnly.id, 'Cảm ơn bạn.', actor(schoolHandler))).toEqual({ ok: true, notified: false });
    expect(await consoleTips.reply(schoolHandler, webOnly.id, '   ', actor(schoolHandler))).toEqual({ ok: false, reason: 'invalid' });
    expect(await consoleTips.addNote(schoolHandler, withChat.id, 'GHI-CHÚ-KÍN: đã báo công an phường', actor(schoolHandler))).toEqual({ ok: true });
    expect(await consoleTips.addNote(schoolHandler, withChat.id, 'x'.repeat(4001), actor(schoolHandler))).toEqual({ ok: false, reason: 'invalid' });

    const rows = await db.prisma.tipMessage.findMany({ where: { tipId: withChat.id } });
    expect(rows.map((r) => r.author).sort()).toEqual(['handler', 'note']);
    expect(JSON.stringify(rows)).not.toContain('GHI-CHÚ-KÍN');
    expect(rows.every((r) => r.createdAt.getTime() % 3600_000 === 0)).toBe(true);

    const look = await inTransaction(db.prisma, (repos) => tips.lookUp(repos, withChat.code, withChat.pin, { source: 'test:lookup' }, new Date(t0.getTime() + 120_000)));
    if (!look.ok) throw new Error(look.reason);
    expect(look.tip.replies.map((r) => r.text)).toEqual(['Nhà trường đã nhận tin và đang xác minh.']);
    expect(JSON.stringify(look)).not.toContain('GHI-CHÚ-KÍN');
    // The JSON tip API (viewTip) shows the thread without the notes too.
    expect(JSON.stringify(await tips.view({ kind: 'all' }, withChat.id))).not.toContain('GHI-CHÚ-KÍN');

    const seen = await consoleTips.open(schoolHandler, withChat.id, actor(schoolHandler));
    expect(seen!.notes).toEqual([{ by: 'Cán bộ A1', text: 'GHI-CHÚ-KÍN: đã báo công an phường', at: expect.any(Date) }]);
    expect(seen!.thread.map((m) => m.author)).toEqual(['handler']);
    const actions = (await db.prisma.auditLog.findMany({ where: { targetId: withChat.id }, orderBy: { id: 'asc' } })).map((e) => e.action);
    expect(actions).toEqual(['tip_replied', 'tip_note_added', 'tip_viewed']);
    expect(JSON.stringify(await db.prisma.auditLog.findMany({ where: { targetId: withChat.id } }))).not.toMatch(/GHI-CHÚ|xác minh/);
  });

  it('closing deletes the reply handle, so a later reply waits for the look-up by code', async () => {
    const tip = await submit({ schoolId: ids.a1, consent: true });
    await consoleTips.close(schoolHandler, tip.id, 'resolved', actor(schoolHandler));
    expect((await db.prisma.tip.findUniqueOrThrow({ where: { id: tip.id } })).replyHandleCipher).toBeNull();
    expect(await consoleTips.reply(schoolHandler, tip.id, 'Đã xử lý xong.', actor(schoolHandler))).toEqual({ ok: true, notified: false });
  });
});
