import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulatorSentMessage } from '../../src/bot/channels/simulator/simulator-channel.js';
import { newStaffLinkCode } from '../../src/content/staff-code.js';
import { matchShortcut } from '../../src/flows/commands.js';
import { createStaffLinkCode } from '../../src/services/notifications/create-staff-link-code.js';
import { notifyUrgentTips, URGENT_REPEAT_MS } from '../../src/services/notifications/notify-urgent-tips.js';
import { staffLinkKey } from '../../src/services/notifications/staff-link-keys.js';
import { teacherInviteKey } from '../../src/services/teachers/invite-keys.js';
import { newCode } from '../../src/services/tips/tip-codes.js';
import { hourOf } from '../../src/services/tips/tip-rules.js';
import { laneKeyOf } from '../../src/store/lane-key.js';
import { createRepos } from '../../src/store/repos.js';
import { startTestApp, textOf, type TestApp } from '../helpers/app.js';
import { eventually } from '../helpers/channels.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
  const other = await app.db.prisma.office.create({ data: { code: 'PGD-KHAC', name: 'Phòng GD&ĐT khác' } });
  const school = await app.db.prisma.school.create({ data: { officeId: other.id, code: 'KHAC', name: 'Trường THCS Khác', level: 'THCS' } });
  await app.db.prisma.staffUser.create({ data: { email: 'tin-bao@khac.local', name: 'Cán bộ trường khác', role: 'tip_handler', passwordHash: 'x', schoolId: school.id } });
});
afterAll(async () => {
  await app?.close();
});

const repos = () => createRepos(app.db.prisma);

/** A link code for a staff account of the running app, as `npm run staff:link` prints it. */
async function linkCode(email: string): Promise<string> {
  const out = await createStaffLinkCode(repos(), staffLinkKey(teacherInviteKey(app.config.appSecret)), { email, now: new Date() });
  if (!out.ok) throw new Error(out.reason);
  return out.code;
}

/** Links a simulator user's chat to a staff account the way a person does it: "NV <code>". */
async function link(user: string, email: string): Promise<string> {
  const r = await app.say(user, { text: `NV ${(await linkCode(email)).slice(3)}` });
  expect(textOf(r.replies)).toContain('Đã liên kết chat này với tài khoản cán bộ');
  return (await contactOf(user)).id;
}

async function contactOf(userId: string) {
  return app.db.prisma.contact.findFirstOrThrow({ where: { userId }, include: { conversation: true } });
}

async function urgentTip(schoolCode: string) {
  const school = await app.db.prisma.school.findUniqueOrThrow({ where: { code: schoolCode } });
  return app.db.prisma.tip.create({
    data: { publicCode: newCode(), pinHash: 'x', category: 'drugs', urgent: true, schoolId: school.id, descriptionCipher: 'c', pinLength: 10, createdAt: hourOf(new Date()) },
  });
}

/** The alert the simulator was handed for this user (its outbox row is erased once sent, like tip-flow messages). */
async function alertSeenBy(user: string, tipId: string) {
  const laneKey = laneKeyOf('simulator', 'zalo', user);
  const contact = await contactOf(user);
  return eventually(async () => {
    const rows = await app.db.prisma.delivery.findMany({ where: { idempotencyKey: { startsWith: `staff:urgent_tip:${tipId}:${contact.id}:` }, status: 'sent' } });
    const message = rows[0] && simulatorSentMessage(laneKey, rows[0].id);
    return message ?? undefined;
  }, `the alert to reach ${user}`);
}

describe('staff chat links in the simulator', () => {
  it('links a handler\'s chat with "NV <code>", once: another chat sending the same code is refused', async () => {
    const code = await linkCode('tin-bao@demo.local');
    await app.say('nv-first', { text: 'xin chào' });
    const r = await app.say('nv-first', { text: code.toLowerCase() });
    expect(textOf(r.replies)).toContain('Đã liên kết chat này với tài khoản cán bộ “Cán bộ tiếp nhận tin báo, THCS Nguyễn Thị Thập (mẫu)”');
    const contact = await contactOf('nv-first');
    expect((await app.db.prisma.staffUser.findUniqueOrThrow({ where: { email: 'tin-bao@demo.local' } })).chatContactId).toBe(contact.id);
    // Nothing keeps the code: not the conversation, not the log.
    expect(JSON.stringify(contact.conversation?.data ?? {})).not.toContain(code.slice(3, 6));
    expect(app.logs.lines.join('\n')).not.toContain(code.slice(3, 6));

    const again = await app.say('nv-second', { text: code });
    expect(textOf(again.replies)).toContain('Mã liên kết này đã được dùng');
    expect((await app.db.prisma.staffUser.findUniqueOrThrow({ where: { email: 'tin-bao@demo.local' } })).chatContactId).toBe(contact.id);
  });

  it('limits wrong codes per chat: after 5 wrong ones even the right code waits', async () => {
    const right = await linkCode('tin-bao.phong@demo.local');
    for (let i = 0; i < 5; i++) expect(textOf((await app.say('nv-guess', { text: newStaffLinkCode() })).replies)).toContain('Mã liên kết này không đúng');
    expect(textOf((await app.say('nv-guess', { text: right })).replies)).toMatch(/Anh\/chị đã nhập sai mã quá nhiều lần\. Vui lòng thử lại sau \d+ phút\./);
    expect((await app.db.prisma.staffUser.findUniqueOrThrow({ where: { email: 'tin-bao.phong@demo.local' } })).chatContactId).toBeNull();
  });
});

describe('urgent-tip alerts acknowledged in the simulator', () => {
  it('acknowledges from the alert\'s button: the tip is acknowledged and the alert stops repeating', async () => {
    await link('nv-ack-button', 'tin-bao@demo.local');
    const tip = await urgentTip('NTT');
    const t0 = new Date();
    await notifyUrgentTips(repos(), t0);
    const alert = await alertSeenBy('nv-ack-button', tip.id);
    expect(alert).toMatchObject({ type: 'buttons', text: expect.stringContaining(`Tin báo khẩn cấp ${tip.publicCode} đang chờ cán bộ xác nhận`) });
    const payload = alert.type === 'buttons' ? alert.buttons[0]!.payload : '';

    const r = await app.say('nv-ack-button', { payload });
    expect(textOf(r.replies)).toContain(`Đã ghi nhận: anh/chị đã nhận tin báo khẩn cấp ${tip.publicCode}. Hệ thống ngừng nhắc lại.`);
    expect((await app.db.prisma.tip.findUniqueOrThrow({ where: { id: tip.id } })).acknowledgedAt).not.toBeNull();
    const before = await app.db.prisma.delivery.count({ where: { idempotencyKey: { startsWith: `staff:urgent_tip:${tip.id}:` } } });
    expect(await notifyUrgentTips(repos(), new Date(t0.getTime() + URGENT_REPEAT_MS))).toMatchObject({ alerts: 0 });
    expect(await app.db.prisma.delivery.count({ where: { idempotencyKey: { startsWith: `staff:urgent_tip:${tip.id}:` } } })).toBe(before);
    // Sent again, the button says it is done already.
    expect(textOf((await app.say('nv-ack-button', { payload })).replies)).toContain(`Tin báo ${tip.publicCode} đã được cán bộ xác nhận trước đó`);
  });

  it('acknowledges "ĐÃ NHẬN <code>" typed in the middle of another conversation', async () => {
    await link('nv-ack-text', 'tin-bao@demo.local');
    const tip = await urgentTip('NTT');
    await notifyUrgentTips(repos(), new Date());
    await app.say('nv-ack-text', { payload: 'FLOW:quiz' });
    const r = await app.say('nv-ack-text', { text: `Đã nhận ${tip.publicCode.toLowerCase()}` });
    expect(textOf(r.replies)).toContain(`Đã ghi nhận: anh/chị đã nhận tin báo khẩn cấp ${tip.publicCode}`);
    expect((await app.db.prisma.tip.findUniqueOrThrow({ where: { id: tip.id } })).acknowledgedAt).not.toBeNull();
  });

  it('refuses a handler of another school, and a chat that is not linked', async () => {
    await link('nv-out-of-scope', 'tin-bao@khac.local');
    const tip = await urgentTip('NTT');
    const r = await app.say('nv-out-of-scope', { text: `ĐÃ NHẬN ${tip.publicCode}` });
    expect(textOf(r.replies)).toContain(`Không tìm thấy tin báo ${tip.publicCode} trong phạm vi tài khoản của anh/chị`);
    // A forged button payload is checked the same way.
    expect(textOf((await app.say('nv-out-of-scope', { payload: `STAFF:ACK:${tip.publicCode}` })).replies)).toContain('Không tìm thấy tin báo');
    const stranger = await app.say('nv-stranger', { text: `ĐÃ NHẬN ${tip.publicCode}` });
    expect(textOf(stranger.replies)).toContain('Chat này chưa liên kết với tài khoản cán bộ tiếp nhận tin báo');
    expect((await app.db.prisma.tip.findUniqueOrThrow({ where: { id: tip.id } })).acknowledgedAt).toBeNull();
    await app.db.prisma.tip.delete({ where: { id: tip.id } });
  });

  it('inside the anonymous tip flow, "ĐÃ NHẬN …" and "NV …" are the tipster\'s text, not commands', async () => {
    await link('nv-tipster', 'tin-bao@demo.local');
    const tip = await urgentTip('NTT');
    const unused = await linkCode('tin-bao.phong@demo.local');
    await app.say('nv-tipster', { payload: 'FLOW:tip' });
    await app.say('nv-tipster', { payload: 'CAT:theft' });
    const a = await app.say('nv-tipster', { text: `ĐÃ NHẬN ${tip.publicCode}` });
    const b = await app.say('nv-tipster', { text: unused });
    expect(textOf([...a.replies, ...b.replies])).not.toMatch(/Đã ghi nhận|Đã liên kết/);
    expect((await contactOf('nv-tipster')).conversation?.flowId).toBe('tip');
    expect((await app.db.prisma.tip.findUniqueOrThrow({ where: { id: tip.id } })).acknowledgedAt).toBeNull();
    expect((await app.db.prisma.staffUser.findUniqueOrThrow({ where: { email: 'tin-bao.phong@demo.local' } })).linkCodeExpiresAt).not.toBeNull();
    await app.say('nv-tipster', { text: 'huỷ' });
    await app.db.prisma.tip.delete({ where: { id: tip.id } });
  });

  it('reads only the exact shapes as shortcuts', () => {
    expect(matchShortcut({ kind: 'text', text: 'Đã nhận hàng rồi ạ' })).toBeNull();
    expect(matchShortcut({ kind: 'text', text: 'NV lớp 6A1 nghỉ học' })).toBeNull();
    expect(matchShortcut({ kind: 'text', text: 'da nhan tb-k7qm-3xrp' })).toEqual({ flowId: 'staff', stepId: 'ack' });
    expect(matchShortcut({ kind: 'text', text: 'nv 7kq m3p xb9' })).toEqual({ flowId: 'staff', stepId: 'link' });
    expect(matchShortcut({ kind: 'payload', payload: 'STAFF:ACK:TB-K7QM-3XRP' })).toEqual({ flowId: 'staff', stepId: 'ack' });
  });
});
