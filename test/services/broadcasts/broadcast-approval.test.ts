import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveBroadcastScope } from '../../../src/services/broadcasts/broadcast-scope.js';
import { cancelBroadcast } from '../../../src/services/broadcasts/cancel-broadcast.js';
import { createBroadcast } from '../../../src/services/broadcasts/create-broadcast.js';
import { decideBroadcast } from '../../../src/services/broadcasts/decide-broadcast.js';
import type { Audience, BroadcastDraft } from '../../../src/services/broadcasts/broadcast-types.js';
import { createRepos, inTransaction, type Repos } from '../../../src/store/repos.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.js';
import { BroadcastFixtures, TEXT } from './fixtures.js';

let db: TestDatabase;
let fx: BroadcastFixtures;
let repos: Repos;
beforeAll(async () => {
  db = await createTestDatabase();
  fx = new BroadcastFixtures(db.prisma);
  repos = createRepos(db.prisma);
});
afterAll(async () => {
  await db?.drop();
});

const NOW = new Date('2026-10-05T03:00:00Z');
const audience = (a: Partial<Audience>): Audience => ({ schoolIds: [], classIds: [], roles: ['parent'], onlyUnpledged: false, includeGroups: false, ...a });
const draft = (contactId: string, a: Partial<Audience>, more: Partial<BroadcastDraft> = {}): BroadcastDraft => ({
  audience: audience(a),
  messages: TEXT,
  sendAt: NOW,
  author: { kind: 'contact', contactId },
  ...more,
});

describe('what a contact may broadcast to', () => {
  it('gives an unverified contact no schools, even one that calls itself a teacher', async () => {
    const s = await fx.school();
    const c = await fx.contact({ role: 'teacher', schoolId: s.id });
    expect(await resolveBroadcastScope(repos, c)).toEqual({ schools: [] });
    expect(await createBroadcast(repos, draft(c, { classIds: [s.classes[0]!.id] }), NOW)).toEqual({ ok: false, reason: 'not_allowed' });
  });

  it('gives a class teacher its class only, and a school-wide teacher the school and all its classes', async () => {
    const s = await fx.school({ needsApproval: true, classes: ['6A1', '6A2', '7A1'] });
    const [a1, a2, b1] = s.classes;
    const classTeacher = await fx.contact({ role: 'teacher' });
    await fx.verify(classTeacher, s.id, a2!.id);
    expect(await resolveBroadcastScope(repos, classTeacher)).toEqual({
      schools: [{ id: s.id, name: s.name, wholeSchool: false, needsApproval: true, classes: [{ id: a2!.id, name: '6A2', own: true }] }],
    });
    const head = await fx.contact({ role: 'teacher' });
    await fx.verify(head, s.id, null);
    await fx.verify(head, s.id, a1!.id);
    expect(await resolveBroadcastScope(repos, head)).toEqual({
      schools: [
        {
          id: s.id,
          name: s.name,
          wholeSchool: true,
          needsApproval: true,
          classes: [
            { id: a1!.id, name: '6A1', own: true },
            { id: a2!.id, name: '6A2', own: false },
            { id: b1!.id, name: '7A1', own: false },
          ],
        },
      ],
    });
  });
});

describe('creating a broadcast', () => {
  it('schedules a class teacher\'s broadcast to its own class without approval, with a TB code and catch-up until the campaign ends', async () => {
    const campaignEnd = new Date('2026-10-31T00:00:00Z');
    await fx.campaign(campaignEnd);
    const s = await fx.school({ needsApproval: true });
    const t = await fx.contact({ role: 'teacher' });
    await fx.verify(t, s.id, s.classes[0]!.id);
    const admin = await fx.contact({ role: null });
    await fx.staff({ role: 'school_admin', schoolId: s.id, chatContactId: admin });
    const out = await createBroadcast(repos, draft(t, { classIds: [s.classes[0]!.id] }), NOW);
    if (!out.ok) throw new Error(out.reason);
    expect(out.broadcast).toMatchObject({ status: 'scheduled', needsApproval: false, sendAt: NOW });
    expect(out.broadcast.code).toMatch(/^TB-\d{5}$/);
    expect(out.approverContactIds).toEqual([]);
    const row = await db.prisma.broadcast.findUniqueOrThrow({ where: { id: out.broadcast.id } });
    expect(row).toMatchObject({ createdByContactId: t, status: 'scheduled', message: TEXT, catchUpUntil: new Date(campaignEnd.getTime() + 86_400_000 - 7 * 3_600_000) });
    expect(row.audience).toEqual(audience({ classIds: [s.classes[0]!.id] }));
  });

  it('refuses a class or school outside the teacher\'s scope, the staff role, an empty audience, no message and a time in the past', async () => {
    const s = await fx.school();
    const other = await fx.school();
    const t = await fx.contact({ role: 'teacher' });
    await fx.verify(t, s.id, s.classes[0]!.id);
    const own = s.classes[0]!.id;
    expect(await createBroadcast(repos, draft(t, { classIds: [s.classes[1]!.id] }), NOW)).toEqual({ ok: false, reason: 'not_allowed' });
    expect(await createBroadcast(repos, draft(t, { classIds: [other.classes[0]!.id] }), NOW)).toEqual({ ok: false, reason: 'not_allowed' });
    expect(await createBroadcast(repos, draft(t, { schoolIds: [s.id] }), NOW)).toEqual({ ok: false, reason: 'not_allowed' });
    expect(await createBroadcast(repos, draft(t, { classIds: [own], roles: ['staff'] }), NOW)).toEqual({ ok: false, reason: 'not_allowed' });
    expect(await createBroadcast(repos, draft(t, { classIds: [] }), NOW)).toEqual({ ok: false, reason: 'empty_audience' });
    expect(await createBroadcast(repos, draft(t, { classIds: [own], roles: [] }), NOW)).toEqual({ ok: false, reason: 'empty_audience' });
    expect(await createBroadcast(repos, draft(t, { classIds: [own] }, { messages: [] }), NOW)).toEqual({ ok: false, reason: 'no_message' });
    expect(await createBroadcast(repos, draft(t, { classIds: [own] }, { sendAt: new Date(NOW.getTime() - 3600_000) }), NOW)).toEqual({ ok: false, reason: 'in_past' });
    // Staff and reminder authors are trusted here (the console checks its own accounts).
    const staff = await fx.staff({ role: 'teacher', schoolId: other.id });
    const byStaff = await createBroadcast(repos, draft(t, { schoolIds: [s.id], roles: ['staff'] }, { author: { kind: 'staff', staffId: staff } }), NOW);
    expect(byStaff.ok && byStaff.broadcast.status).toBe('scheduled');
  });

  it('holds a school-wide broadcast (and one to another class) for approval where the school asks, naming its approvers', async () => {
    const s = await fx.school({ needsApproval: true });
    const head = await fx.contact({ role: 'teacher' });
    await fx.verify(head, s.id, null);
    await fx.verify(head, s.id, s.classes[0]!.id);
    const schoolAdmin = await fx.contact({ role: null });
    await fx.staff({ role: 'school_admin', schoolId: s.id, chatContactId: schoolAdmin });
    const officeAdmin = await fx.contact({ role: null });
    await fx.staff({ role: 'admin', officeId: s.officeId, chatContactId: officeAdmin });
    const globalAdmin = await fx.contact({ role: null });
    await fx.staff({ role: 'admin', chatContactId: globalAdmin });
    // Neither a tip handler nor an admin of another school approves.
    const elsewhere = await fx.school();
    await fx.staff({ role: 'school_admin', schoolId: elsewhere.id, chatContactId: await fx.contact({ role: null }) });
    await fx.staff({ role: 'tip_handler', schoolId: s.id, chatContactId: await fx.contact({ role: null }) });
    await fx.staff({ role: 'school_admin', schoolId: s.id });

    const whole = await createBroadcast(repos, draft(head, { schoolIds: [s.id] }), NOW);
    if (!whole.ok) throw new Error(whole.reason);
    expect(whole.broadcast).toMatchObject({ status: 'pending_approval', needsApproval: true });
    // Global admins (of no school or office) see everything, as in the console.
    expect(new Set(whole.approverContactIds)).toEqual(new Set([schoolAdmin, officeAdmin, globalAdmin]));
    const otherClass = await createBroadcast(repos, draft(head, { classIds: [s.classes[1]!.id] }), NOW);
    expect(otherClass.ok && otherClass.broadcast.status).toBe('pending_approval');
    const ownClass = await createBroadcast(repos, draft(head, { classIds: [s.classes[0]!.id] }), NOW);
    expect(ownClass.ok && ownClass.broadcast.status).toBe('scheduled');

    const relaxed = await fx.school({ needsApproval: false });
    const head2 = await fx.contact({ role: 'teacher' });
    await fx.verify(head2, relaxed.id, null);
    const free = await createBroadcast(repos, draft(head2, { schoolIds: [relaxed.id] }), NOW);
    expect(free.ok && [free.broadcast.status, free.approverContactIds]).toEqual(['scheduled', []]);
  });
});

describe('approving, rejecting and cancelling', () => {
  async function pending() {
    const s = await fx.school({ needsApproval: true });
    const head = await fx.contact({ role: 'teacher' });
    await fx.verify(head, s.id, null);
    const approver = await fx.contact({ role: null });
    const approverStaff = await fx.staff({ role: 'school_admin', schoolId: s.id, chatContactId: approver });
    const out = await createBroadcast(repos, draft(head, { schoolIds: [s.id] }), NOW);
    if (!out.ok) throw new Error(out.reason);
    return { s, head, approver, approverStaff, code: out.broadcast.code, id: out.broadcast.id };
  }

  it('lets an approver approve once (by chat contact or console account) and tells whom to notify', async () => {
    const p = await pending();
    expect(await decideBroadcast(repos, { code: p.code, decider: { kind: 'contact', contactId: p.head }, approve: true, now: NOW })).toEqual({ ok: false, reason: 'not_approver' });
    expect(await decideBroadcast(repos, { code: 'TB-00000', decider: { kind: 'contact', contactId: p.approver }, approve: true, now: NOW })).toMatchObject({ ok: false });
    const typed = p.code.toLowerCase().replace('-', ' ');
    expect(await decideBroadcast(repos, { code: typed, decider: { kind: 'contact', contactId: p.approver }, approve: true, now: NOW })).toEqual({
      ok: true,
      status: 'scheduled',
      code: p.code,
      authorContactId: p.head,
    });
    const row = await db.prisma.broadcast.findUniqueOrThrow({ where: { id: p.id } });
    expect([row.status, row.approvedAt, row.decidedBy]).toEqual(['scheduled', NOW, `contact:${p.approver}`]);
    expect(await decideBroadcast(repos, { code: p.code, decider: { kind: 'staff', staffId: p.approverStaff }, approve: false, now: NOW })).toEqual({ ok: false, reason: 'not_pending' });

    const q = await pending();
    expect(await decideBroadcast(repos, { code: q.code, decider: { kind: 'staff', staffId: q.approverStaff }, approve: false, now: NOW })).toMatchObject({ ok: true, status: 'rejected' });
    const other = await fx.staff({ role: 'school_admin', schoolId: p.s.id });
    expect(await decideBroadcast(repos, { code: q.code, decider: { kind: 'staff', staffId: other }, approve: true, now: NOW })).toEqual({ ok: false, reason: 'not_approver' });
  });

  it('lets only one of two approvers deciding at once win', async () => {
    const p = await pending();
    const second = await fx.contact({ role: null });
    await fx.staff({ role: 'admin', officeId: p.s.officeId, chatContactId: second });
    const both = await Promise.all([
      inTransaction(db.prisma, (r) => decideBroadcast(r, { code: p.code, decider: { kind: 'contact', contactId: p.approver }, approve: true, now: NOW })),
      inTransaction(db.prisma, (r) => decideBroadcast(r, { code: p.code, decider: { kind: 'contact', contactId: second }, approve: false, now: NOW })),
    ]);
    expect(both.filter((d) => d.ok)).toHaveLength(1);
    expect(both.filter((d) => !d.ok)).toEqual([{ ok: false, reason: 'not_pending' }]);
  });

  it('cancels for the author or an approver, skipping what was not sent yet, and says finished afterwards', async () => {
    const p = await pending();
    const stranger = await fx.contact({ role: 'teacher' });
    expect(await cancelBroadcast(repos, { code: p.code, by: { kind: 'contact', contactId: stranger }, now: NOW })).toEqual({ ok: false, reason: 'not_allowed' });
    expect(await cancelBroadcast(repos, { code: p.code, by: { kind: 'approver', contactId: stranger }, now: NOW })).toEqual({ ok: false, reason: 'not_allowed' });
    expect(await cancelBroadcast(repos, { code: 'TB-1', by: { kind: 'contact', contactId: p.head }, now: NOW })).toEqual({ ok: false, reason: 'unknown' });
    expect(await cancelBroadcast(repos, { code: p.code, by: { kind: 'approver', contactId: p.approver }, now: NOW })).toEqual({ ok: true, stopped: 0 });
    expect(await cancelBroadcast(repos, { code: p.code, by: { kind: 'contact', contactId: p.head }, now: NOW })).toEqual({ ok: false, reason: 'finished' });
    const row = await db.prisma.broadcast.findUniqueOrThrow({ where: { id: p.id } });
    expect([row.status, row.cancelledAt]).toEqual(['cancelled', NOW]);

    // Expanded: the rows still pending are skipped as cancelled, the one being sent and the one sent are left alone.
    const q = await pending();
    await db.prisma.broadcast.update({ where: { id: q.id }, data: { status: 'expanded' } });
    const rows = ['pending', 'pending', 'sending', 'sent'];
    for (const [i, status] of rows.entries()) {
      await db.prisma.delivery.create({
        data: { channel: 'zalo', accountId: 'acc', recipient: `r${i}`, laneKey: `zalo:acc:r${i}`, message: TEXT[0]!, kind: 'bulk', idempotencyKey: `broadcast:${q.id}:r${i}:0`, broadcastId: q.id, status },
      });
    }
    expect(await cancelBroadcast(repos, { code: q.code, by: { kind: 'contact', contactId: q.head }, now: NOW })).toEqual({ ok: true, stopped: 2 });
    const after = await db.prisma.delivery.findMany({ where: { broadcastId: q.id }, orderBy: { id: 'asc' }, select: { status: true, outcome: true } });
    expect(after).toEqual([
      { status: 'skipped', outcome: 'cancelled' },
      { status: 'skipped', outcome: 'cancelled' },
      { status: 'sending', outcome: null },
      { status: 'sent', outcome: null },
    ]);
    expect(await cancelBroadcast(repos, { code: q.code, by: { kind: 'contact', contactId: q.head }, now: NOW })).toEqual({ ok: false, reason: 'finished' });
  });
});
