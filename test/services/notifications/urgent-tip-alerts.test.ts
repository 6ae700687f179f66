import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { translate } from '../../../src/content/i18n.js';
import { acknowledgeTipInChat } from '../../../src/services/notifications/acknowledge-tip-in-chat.js';
import { acknowledgeNotifications, notifyContacts } from '../../../src/services/notifications/notify-contacts.js';
import { notifyUrgentTips, URGENT_REPEAT_MS } from '../../../src/services/notifications/notify-urgent-tips.js';
import { schoolAdminContacts, tipHandlerContacts } from '../../../src/services/notifications/staff-contacts.js';
import { acknowledgeTip } from '../../../src/services/tips/acknowledge-tip.js';
import { seedDemoData } from '../../../src/store/demo-seed.repo.js';
import { createRepos, type Repos } from '../../../src/store/repos.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.js';
import { alertRows, chatContact, linkedStaff, urgentTip } from './fixtures.js';

let db: TestDatabase;
let repos: Repos;
let handlers: Record<'school' | 'office' | 'admin' | 'other' | 'teacher' | 'tpSchool', { staff: { id: string }; contact: { id: string } }>;
const MIN = 60_000;

beforeAll(async () => {
  db = await createTestDatabase();
  await seedDemoData(db.prisma);
  repos = createRepos(db.prisma);
  const other = await db.prisma.office.create({ data: { code: 'PGD-KHAC', name: 'Phòng GD&ĐT khác' } });
  await db.prisma.school.create({ data: { officeId: other.id, code: 'KHAC', name: 'Trường THCS Khác', level: 'THCS' } });
  handlers = {
    school: await linkedStaff(repos, db.prisma, { email: 'tin-bao@demo.local', role: 'tip_handler' }),
    office: await linkedStaff(repos, db.prisma, { email: 'tin-bao.phong@demo.local', role: 'tip_handler' }),
    // The demo admin has neither a school nor an office: no tip is in its chat scope.
    admin: await linkedStaff(repos, db.prisma, { email: 'admin@demo.local', role: 'admin' }),
    other: await linkedStaff(repos, db.prisma, { email: 'tin-bao@khac.local', role: 'tip_handler', school: 'KHAC' }),
    teacher: await linkedStaff(repos, db.prisma, { email: 'gv.6a1@demo.local', role: 'teacher' }),
    tpSchool: await linkedStaff(repos, db.prisma, { email: 'bgh@tp.local', role: 'admin', school: 'TP' }),
  };
});
afterAll(async () => {
  await db?.drop();
});
beforeEach(async () => {
  await db.prisma.staffNotification.deleteMany();
  await db.prisma.tip.deleteMany();
});

describe('urgent-tip alerts in chat (the scheduler job)', () => {
  it('alerts every linked handler of the tip\'s scope, naming only its code, category and school', async () => {
    const tip = await urgentTip(db.prisma, 'NTT', { category: 'weapons' });
    const t0 = new Date();
    expect(await notifyUrgentTips(repos, t0)).toEqual({ waiting: 1, alerts: 2 });
    const rows = await alertRows(db.prisma, 'urgent_tip', tip.id);
    expect(rows.map((r) => r.contactId).sort()).toEqual([handlers.school.contact.id, handlers.office.contact.id].sort());
    const text = translate('vi', 'staff.urgent.alert', { code: tip.publicCode, category: 'Vũ khí, vật nổ, pháo', school: 'Trường THCS Nguyễn Thị Thập' });
    for (const r of rows) {
      expect(r.message).toEqual({ type: 'buttons', text, buttons: [{ title: 'Đã nhận', payload: `STAFF:ACK:${tip.publicCode}` }] });
      // A reply (ahead of campaign sends, not stopped by an opt-out), erased once sent like tip-flow messages.
      expect([r.kind, r.sensitive, r.channel, r.accountId, r.recipient]).toEqual(['reply', true, 'simulator', 'zalo', expect.stringMatching(/^u-/)]);
    }
    expect(text).toContain('trang quản lý tin báo');
    // Nothing of the tip's content or origin: no ciphertext, place, time, channel or contact.
    const all = JSON.stringify(rows.map((r) => r.message));
    for (const secret of ['SECRET', 'Zalo', 'Messenger', 'lúc', String(t0.getUTCHours()).padStart(2, '0') + ':']) expect(all).not.toContain(secret);
    // The notification rows keep their times to the hour.
    const notes = await db.prisma.staffNotification.findMany({ where: { subjectId: tip.id } });
    expect(notes.every((n) => n.createdAt.getTime() % 3600_000 === 0 && n.lastSentAt!.getTime() % 3600_000 === 0)).toBe(true);
  });

  it('repeats every 15 minutes until a handler acknowledges in chat, then stops for everyone', async () => {
    const tip = await urgentTip(db.prisma, 'NTT');
    const t0 = new Date();
    await notifyUrgentTips(repos, t0);
    expect(await notifyUrgentTips(repos, new Date(t0.getTime() + MIN))).toEqual({ waiting: 1, alerts: 0 });
    expect(await alertRows(db.prisma, 'urgent_tip', tip.id)).toHaveLength(2);
    // While the first round is still queued (Zalo holds it through the night), no second one piles up behind it.
    expect(await notifyUrgentTips(repos, new Date(t0.getTime() + URGENT_REPEAT_MS))).toEqual({ waiting: 1, alerts: 0 });
    expect(await alertRows(db.prisma, 'urgent_tip', tip.id)).toHaveLength(2);
    await db.prisma.delivery.updateMany({ where: { idempotencyKey: { startsWith: `staff:urgent_tip:${tip.id}:` } }, data: { status: 'sent' } });
    expect(await notifyUrgentTips(repos, new Date(t0.getTime() + URGENT_REPEAT_MS))).toEqual({ waiting: 1, alerts: 2 });
    expect(await alertRows(db.prisma, 'urgent_tip', tip.id)).toHaveLength(4);
    expect((await db.prisma.staffNotification.findMany({ where: { subjectId: tip.id } })).map((n) => n.sentCount)).toEqual([2, 2]);

    const ack = await acknowledgeTipInChat(repos, { contactId: handlers.office.contact.id, typed: `tb ${tip.publicCode.slice(3).toLowerCase()}`, now: new Date(t0.getTime() + 16 * MIN) });
    expect(ack).toEqual({ ok: true, code: tip.publicCode, already: false });
    expect((await db.prisma.tip.findUniqueOrThrow({ where: { id: tip.id } })).acknowledgedAt).not.toBeNull();
    const notes = await db.prisma.staffNotification.findMany({ where: { subjectId: tip.id } });
    expect(notes.every((n) => n.acknowledgedAt !== null && n.nextAt === null)).toBe(true);

    expect(await notifyUrgentTips(repos, new Date(t0.getTime() + 2 * URGENT_REPEAT_MS))).toEqual({ waiting: 0, alerts: 0 });
    expect(await alertRows(db.prisma, 'urgent_tip', tip.id)).toHaveLength(4);
    // The other handler acknowledging afterwards is told it was done already.
    expect(await acknowledgeTipInChat(repos, { contactId: handlers.school.contact.id, typed: tip.publicCode, now: new Date() })).toEqual({ ok: true, code: tip.publicCode, already: true });
  });

  it('stops once the tip is acknowledged through the API, or closed', async () => {
    const viaApi = await urgentTip(db.prisma, 'NTT');
    const closed = await urgentTip(db.prisma, 'TP');
    const t0 = new Date();
    await notifyUrgentTips(repos, t0);
    await acknowledgeTip(repos, { kind: 'all' }, viaApi.id, t0);
    await db.prisma.tip.update({ where: { id: closed.id }, data: { status: 'closed' } });
    expect(await notifyUrgentTips(repos, new Date(t0.getTime() + URGENT_REPEAT_MS))).toEqual({ waiting: 0, alerts: 0 });
    expect(await alertRows(db.prisma, 'urgent_tip', viaApi.id)).toHaveLength(2);
    const settled = await db.prisma.staffNotification.findMany({ where: { subjectId: { in: [viaApi.id, closed.id] } } });
    expect(settled).toHaveLength(4);
    expect(settled.every((n) => n.acknowledgedAt !== null && n.nextAt === null)).toBe(true);
  });

  it('sends a tip naming no school to office-level handlers, and a school\'s tip to its admin too', async () => {
    const noSchool = await urgentTip(db.prisma, null);
    const tp = await urgentTip(db.prisma, 'TP');
    await notifyUrgentTips(repos, new Date());
    expect((await alertRows(db.prisma, 'urgent_tip', noSchool.id)).map((r) => r.contactId)).toEqual([handlers.office.contact.id]);
    expect((await alertRows(db.prisma, 'urgent_tip', noSchool.id))[0]!.message).toMatchObject({ text: expect.stringContaining('Trường: không ghi trường') });
    expect((await alertRows(db.prisma, 'urgent_tip', tp.id)).map((r) => r.contactId).sort()).toEqual([handlers.office.contact.id, handlers.tpSchool.contact.id].sort());
    expect(await tipHandlerContacts(repos, null)).toEqual([handlers.office.contact.id]);
    expect(await schoolAdminContacts(repos, (await db.prisma.school.findUniqueOrThrow({ where: { code: 'TP' } })).id)).toEqual([handlers.tpSchool.contact.id]);
  });

  it('sends each round once when two runs overlap (two replicas, or a run after a crash)', async () => {
    const tip = await urgentTip(db.prisma, 'NTT');
    const t0 = new Date();
    await Promise.all([notifyUrgentTips(repos, t0), notifyUrgentTips(repos, t0)]);
    expect(await alertRows(db.prisma, 'urgent_tip', tip.id)).toHaveLength(2);
    // A crash after the messages were queued but before the sending was recorded: the next run finds them queued.
    await db.prisma.staffNotification.deleteMany({ where: { subjectId: tip.id } });
    await notifyUrgentTips(repos, t0);
    expect(await alertRows(db.prisma, 'urgent_tip', tip.id)).toHaveLength(2);
    expect((await db.prisma.staffNotification.findMany({ where: { subjectId: tip.id } })).map((n) => n.sentCount)).toEqual([1, 1]);
  });
});

describe('acknowledging in chat', () => {
  it('refuses a handler outside the tip\'s scope, an unlinked chat, and a linked account that handles no tips', async () => {
    const tip = await urgentTip(db.prisma, 'NTT');
    const now = new Date();
    expect(await acknowledgeTipInChat(repos, { contactId: handlers.other.contact.id, typed: tip.publicCode, now })).toEqual({ ok: false, reason: 'not_found', code: tip.publicCode });
    expect(await acknowledgeTipInChat(repos, { contactId: handlers.admin.contact.id, typed: tip.publicCode, now })).toEqual({ ok: false, reason: 'not_found', code: tip.publicCode });
    expect(await acknowledgeTipInChat(repos, { contactId: handlers.teacher.contact.id, typed: tip.publicCode, now })).toEqual({ ok: false, reason: 'not_linked' });
    const stranger = await chatContact(db.prisma, 'stranger');
    expect(await acknowledgeTipInChat(repos, { contactId: stranger.id, typed: tip.publicCode, now })).toEqual({ ok: false, reason: 'not_linked' });
    expect(await acknowledgeTipInChat(repos, { contactId: handlers.school.contact.id, typed: 'TB-0000', now })).toEqual({ ok: false, reason: 'malformed' });
    expect((await db.prisma.tip.findUniqueOrThrow({ where: { id: tip.id } })).acknowledgedAt).toBeNull();
    // Still alerted: nobody in scope acknowledged.
    await notifyUrgentTips(repos, now);
    expect(await alertRows(db.prisma, 'urgent_tip', tip.id)).toHaveLength(2);
  });
});

describe('notifyContacts (approvals)', () => {
  it('sends a one-off notification once per contact and records it; acknowledging stops nothing more', async () => {
    const subjectId = 'broadcast-1';
    const contacts = [handlers.tpSchool.contact.id, handlers.school.contact.id, 'no-such-contact'];
    const now = new Date();
    const first = await notifyContacts(repos, { kind: 'approval', subjectId, contactIds: contacts, messages: [{ type: 'text', text: 'Có thông báo chờ duyệt' }, { type: 'text', text: 'Xem trước' }], now });
    expect(first.sent.sort()).toEqual([handlers.tpSchool.contact.id, handlers.school.contact.id].sort());
    expect(first.notSent).toEqual([{ contactId: 'no-such-contact', reason: 'unknown_contact' }]);
    const rows = await alertRows(db.prisma, 'approval', subjectId);
    expect(rows).toHaveLength(4);
    expect(rows.every((r) => !r.sensitive && r.kind === 'reply')).toBe(true);
    const again = await notifyContacts(repos, { kind: 'approval', subjectId, contactIds: contacts.slice(0, 2), messages: [{ type: 'text', text: 'x' }], now: new Date(now.getTime() + 3600_000) });
    expect(again.sent).toEqual([]);
    expect(again.notSent.map((n) => n.reason)).toEqual(['not_due', 'not_due']);
    expect(await acknowledgeNotifications(repos, 'approval', subjectId, now)).toBe(2);
    expect((await notifyContacts(repos, { kind: 'approval', subjectId, contactIds: contacts.slice(0, 1), messages: [{ type: 'text', text: 'x' }], repeatEveryMs: 1, now: new Date(now.getTime() + 7200_000) })).notSent).toEqual([
      { contactId: handlers.tpSchool.contact.id, reason: 'acknowledged' },
    ]);
  });
});
