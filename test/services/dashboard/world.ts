import { studentKey } from '../../../src/content/person-name.js';
import { createBroadcast } from '../../../src/services/broadcasts/create-broadcast.js';
import { expandDueBroadcasts } from '../../../src/services/broadcasts/expand-broadcast.js';
import type { Audience } from '../../../src/services/broadcasts/broadcast-types.js';
import type { StaffRole, StaffScope } from '../../../src/services/staff/staff-scope.js';
import type { PrismaClient } from '../../../src/store/database.js';
import { createRepos, inTransaction } from '../../../src/store/repos.js';
import { BroadcastFixtures, TEXT } from '../broadcasts/fixtures.js';

/** The dashboard's and the report's "now" in these tests: Thursday 2026-10-08 10:00 in Vietnam. */
export const NOW = new Date('2026-10-08T03:00:00Z');
export const DAY = 86_400_000;
export const MINUTE = 60_000;

/** A console scope as the console foundation resolves it at sign-in. */
export function scopeOf(role: StaffRole, opts: { schoolIds: string[] | 'all'; classIds?: string[] | 'all'; officeId?: string | null }): StaffScope {
  return { staffId: `staff-${role}`, role, officeId: opts.officeId ?? null, schoolIds: opts.schoolIds, classIds: opts.classIds ?? (role === 'teacher' || role === 'tip_handler' ? [] : 'all') };
}

const AUDIENCE: Omit<Audience, 'schoolIds' | 'classIds'> = { roles: ['parent', 'student'], onlyUnpledged: false, includeGroups: true };

let seq = 0;

/**
 * Two offices: O1 with school A (classes 6A1, 6A2) and school B (7B1), O2 with school C (8C1); rosters, pledges of an
 * active and an older campaign, tips, contacts, broadcasts expanded through the real services, Zalo groups, a token,
 * inbound events, a deferred send and operator alerts. Every figure the tests expect is written next to its rows.
 */
export async function buildWorld(prisma: PrismaClient) {
  const fx = new BroadcastFixtures(prisma);
  const repos = createRepos(prisma);
  const o1 = await fx.office();
  const o2 = await fx.office();
  const a = await fx.school({ officeId: o1, classes: ['6A1', '6A2'], needsApproval: false });
  const b = await fx.school({ officeId: o1, classes: ['7B1'], needsApproval: false });
  const c = await fx.school({ officeId: o2, classes: ['8C1'], needsApproval: false });
  const [a1, a2] = a.classes.map((k) => k.id) as [string, string];
  const b1 = b.classes[0]!.id;
  const c1 = c.classes[0]!.id;

  const older = await fx.campaign();
  const campaign = await fx.campaign();
  await prisma.campaign.update({ where: { id: older }, data: { startsOn: new Date(Date.UTC(2098, 0, 1)) } });

  const roster = (classId: string, names: string[]) => prisma.rosterEntry.createMany({ data: names.map((studentName) => ({ classId, studentName, studentKey: studentKey(studentName) })) });
  await roster(a1, ['Trần Bảo Ngọc', 'Nguyễn Minh An', 'Lê Gia Huy', 'Phạm Thu Hà']);
  await roster(a2, ['Hoàng Thị Mơ', 'Đỗ Văn Khoa']);
  await roster(b1, ['Bùi Văn Tí', 'Bùi Văn Tèo', 'Vũ Thị Lan']);
  await roster(c1, ['Mai Văn Cường', 'Đinh Thị Hoa']);

  const pledge = async (schoolId: string, classId: string, name: string, audience: 'parent' | 'student', o: { campaignId?: string; consentAt?: Date; withdrawnAt?: Date; confirmedAt?: Date } = {}) => {
    seq += 1;
    await prisma.pledge.create({
      data: {
        campaignId: o.campaignId ?? campaign, templateId: 't', audience, schoolId, classId, studentName: name, studentKey: studentKey(name), contactId: null,
        receiptCode: `CK-W${String(seq).padStart(3, '0')}-${Math.random().toString(36).slice(2, 8).toUpperCase()}`,
        consentAt: o.consentAt ?? new Date(NOW.getTime() - 3 * DAY), withdrawnAt: o.withdrawnAt ?? null, confirmedAt: o.confirmedAt ?? null,
      },
    });
  };
  // A/6A1: parents 3 valid (2 on the roster), students 1; a withdrawn one and one of the older campaign do not count.
  await pledge(a.id, a1, 'Nguyễn Minh An', 'parent');
  await pledge(a.id, a1, 'Lê Gia Huy', 'parent');
  await pledge(a.id, a1, 'Người Ngoài Danh Sách', 'parent');
  await pledge(a.id, a1, 'Nguyễn Minh An', 'student', { confirmedAt: new Date(NOW.getTime() - 3 * DAY) });
  await pledge(a.id, a1, 'Phạm Thu Hà', 'parent', { withdrawnAt: new Date(NOW.getTime() - DAY) });
  await pledge(a.id, a1, 'Trần Bảo Ngọc', 'parent', { campaignId: older });
  // A/6A2: one student. B/7B1: a parent and a student of Tí. C/8C1: one parent.
  await pledge(a.id, a2, 'Hoàng Thị Mơ', 'student');
  await pledge(b.id, b1, 'Bùi Văn Tí', 'parent');
  await pledge(b.id, b1, 'Bùi Văn Tí', 'student');
  await pledge(c.id, c1, 'Mai Văn Cường', 'parent');

  const tip = async (code: string, schoolId: string | null, o: { urgent?: boolean; status?: string; outcome?: string; acknowledged?: boolean; category?: string; createdAt?: Date; closedAt?: Date }) => {
    await prisma.tip.create({
      data: {
        publicCode: code, pinHash: 'x', category: o.category ?? 'drugs', urgent: o.urgent ?? false, status: o.status ?? 'new', outcome: o.outcome ?? null, schoolId,
        descriptionCipher: 'v1.secret', acknowledgedAt: o.acknowledged ? NOW : null, createdAt: o.createdAt ?? new Date(NOW.getTime() - 5 * 3600_000), closedAt: o.closedAt ?? null,
      },
    });
  };
  const tag = Math.random().toString(36).slice(2, 6).toUpperCase();
  const codes = { aUrgent: `TB-A1${tag}`, aOld: `TB-A0${tag}`, bUrgent: `TB-B1${tag}`, noSchool: `TB-N1${tag}` };
  await tip(codes.aOld, a.id, { urgent: true, createdAt: new Date(NOW.getTime() - 30 * 3600_000), category: 'school_violence' });
  await tip(codes.aUrgent, a.id, { urgent: true });
  await tip(`TB-A2${tag}`, a.id, { category: 'theft' });
  await tip(`TB-A3${tag}`, a.id, { status: 'closed', outcome: 'spam', closedAt: new Date(NOW.getTime() - 2 * 3600_000), category: 'other' });
  await tip(`TB-A4${tag}`, a.id, { urgent: true, acknowledged: true, status: 'triaged', category: 'weapons' });
  await tip(codes.bUrgent, b.id, { urgent: true, status: 'in_progress' });
  await tip(`TB-B2${tag}`, b.id, { status: 'triaged' });
  await tip(codes.noSchool, null, { urgent: true, category: 'online_scam' });
  await tip(`TB-C1${tag}`, c.id, {});

  // Contacts: A/6A1 two parents on Zalo and a student on Messenger; A/6A2 a parent; B/7B1 a parent; C/8C1 a parent.
  const contacts = {
    a1p1: await fx.contact({ classId: a1, schoolId: a.id }),
    a1p2: await fx.contact({ classId: a1, schoolId: a.id }),
    a1s: await fx.contact({ classId: a1, schoolId: a.id, role: 'student', channel: 'messenger' }),
    a2p: await fx.contact({ classId: a2, schoolId: a.id }),
    b1p: await fx.contact({ classId: b1, schoolId: b.id }),
    c1p: await fx.contact({ classId: c1, schoolId: c.id }),
  };
  const groups = { a1: await fx.group(a1, 'disabled', '-237'), a2: await fx.group(a2), b1: await fx.group(b1, 'not_member', '-403') };

  const broadcast = async (audience: Pick<Audience, 'schoolIds' | 'classIds'>, sendAt: Date) => {
    const out = await createBroadcast(repos, { audience: { ...AUDIENCE, ...audience }, messages: TEXT, sendAt, author: { kind: 'staff', staffId: 'console' } }, sendAt);
    if (!out.ok) throw new Error(out.reason);
    await expandDueBroadcasts((fn) => inTransaction(prisma, fn), { owner: 'w', now: sendAt });
    return out.broadcast;
  };
  const schoolA = await broadcast({ schoolIds: [a.id], classIds: [] }, new Date(NOW.getTime() - DAY));
  const classB = await broadcast({ schoolIds: [], classIds: [b1] }, new Date(NOW.getTime() - 2 * DAY));
  const oldA = await broadcast({ schoolIds: [a.id], classIds: [] }, new Date(NOW.getTime() - 10 * DAY));
  const rowOf = async (broadcastId: string, who: string) => (await prisma.delivery.findUniqueOrThrow({ where: { idempotencyKey: `broadcast:${broadcastId}:${who}:0` } })).id;
  // School A's broadcast: 4 people (a1p1, a1p2, a1s, a2p) and the healthy group of 6A2 pending, 6A1's group skipped
  // as unhealthy at expansion. a1p1 sent, delivered and seen; a1s skipped (window closed); a2p sent.
  const sentAt = new Date(NOW.getTime() - DAY + MINUTE);
  await prisma.delivery.update({ where: { id: await rowOf(schoolA.id, contacts.a1p1) }, data: { status: 'sent', outcome: 'sent', sentAt, deliveredAt: sentAt, seenAt: sentAt } });
  await prisma.delivery.update({ where: { id: await rowOf(schoolA.id, contacts.a1s) }, data: { status: 'skipped', outcome: 'window_closed' } });
  await prisma.delivery.update({ where: { id: await rowOf(schoolA.id, contacts.a2p) }, data: { status: 'sent', outcome: 'sent', sentAt } });
  await prisma.delivery.update({ where: { id: await rowOf(schoolA.id, `group:${groups.a2}`) }, data: { status: 'sent', outcome: 'sent', sentAt } });
  await prisma.delivery.update({ where: { id: await rowOf(classB.id, contacts.b1p) }, data: { status: 'sent', outcome: 'sent', sentAt: new Date(NOW.getTime() - 2 * DAY + MINUTE) } });

  // Channel health: a Zalo token 90 minutes from expiry, webhooks, a reply waiting on the rate limit, alerts.
  await prisma.platformToken.create({ data: { id: 'zalo:oa-test', accessToken: 'ACCESS-SECRET', refreshToken: 'REFRESH-SECRET', expiresAt: new Date(NOW.getTime() + 90 * MINUTE), lastError: 'Zalo -124: refresh token invalid' } });
  const inbound = (channel: string, dedupeKey: string, receivedAt: Date) => prisma.inboundEvent.create({ data: { channel, accountId: 'acc', dedupeKey, laneKey: `${channel}:acc:u`, status: 'done', receivedAt } });
  await inbound('zalo', 'z-1', new Date(NOW.getTime() - 50 * MINUTE));
  await inbound('zalo', 'z-2', new Date(NOW.getTime() - 5 * MINUTE));
  await inbound('messenger', 'm-1', new Date(NOW.getTime() - 30 * MINUTE));
  // Written by the worker for itself (a model answer's follow-up): not a webhook.
  await inbound('messenger', 'effect:99:0', new Date(NOW.getTime() - MINUTE));
  await prisma.delivery.create({
    data: { channel: 'messenger', accountId: 'page', recipient: 'r1', laneKey: 'messenger:page:r1', message: { type: 'text', text: 'x' }, status: 'pending', outcome: 'rate_limited', createdAt: new Date(NOW.getTime() - 12 * MINUTE), notBefore: new Date(NOW.getTime() + 1000) },
  });
  await prisma.systemAlert.create({ data: { kind: 'zalo_token_refresh_failed', message: 'Không làm mới được mã truy cập Zalo OA.', createdAt: new Date(NOW.getTime() - 20 * MINUTE) } });
  await prisma.systemAlert.create({ data: { kind: 'urgent_tip', message: 'Tin báo khẩn cấp chờ cán bộ xác nhận: 4', createdAt: new Date(NOW.getTime() - 3600_000) } });

  // Quizzes: in Q4 2026 school A has 2 traffic-safety attempts (7 of 10 right) and 1 drugs (5 of 5) by 2 people; one
  // attempt of school A in Q3 and one of school B do not count for school A's Q4.
  const quiz = (contactId: string, schoolId: string, topic: string, score: number, completedAt: Date) => prisma.quizAttempt.create({ data: { contactId, schoolId, topic, score, total: 5, completedAt } });
  await quiz(contacts.a1s, a.id, 'traffic-safety', 4, new Date(NOW.getTime() - 2 * DAY));
  await quiz(contacts.a1p1, a.id, 'traffic-safety', 3, new Date(NOW.getTime() - 2 * DAY));
  await quiz(contacts.a1s, a.id, 'drugs', 5, new Date(NOW.getTime() - DAY));
  await quiz(contacts.a1s, a.id, 'traffic-safety', 1, new Date(NOW.getTime() - 20 * DAY));
  await quiz(contacts.b1p, b.id, 'drugs', 2, new Date(NOW.getTime() - DAY));

  const broadcastTo = async (audience: Pick<Audience, 'schoolIds' | 'classIds'>, sendAt: Date) => (await broadcast(audience, sendAt)).id;
  const markSent = async (broadcastId: string, who: string) =>
    prisma.delivery.update({ where: { id: await rowOf(broadcastId, who) }, data: { status: 'sent', outcome: 'sent', sentAt: NOW } });

  return {
    broadcastTo, markSent,
    fx, o1, o2, a, b, c, a1, a2, b1, c1, campaign, older, codes, contacts, groups,
    broadcasts: { schoolA, classB, oldA },
    scopes: {
      system: scopeOf('admin', { schoolIds: 'all' }),
      office: scopeOf('admin', { officeId: o1, schoolIds: [a.id, b.id] }),
      schoolA: scopeOf('school_admin', { schoolIds: [a.id] }),
      teacherA1: scopeOf('teacher', { schoolIds: [a.id], classIds: [a1] }),
      handlerA: scopeOf('tip_handler', { schoolIds: [a.id] }),
      officeHandler: scopeOf('tip_handler', { officeId: o1, schoolIds: [a.id, b.id] }),
    },
  };
}

export type World = Awaited<ReturnType<typeof buildWorld>>;
