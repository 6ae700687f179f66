import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutMessage } from '../../src/content/messages.schema.js';
import { button, startTestApp, textOf, type TestApp } from '../helpers/app.js';
import { eventually } from '../helpers/channels.js';
import { inviteCode } from '../helpers/teachers.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

async function contactId(user: string): Promise<string> {
  return (await app.db.prisma.contact.findFirstOrThrow({ where: { userId: user } })).id;
}

/** Everything sent to a simulator user so far, including what arrived outside their own turns. */
async function inbox(user: string): Promise<OutMessage[]> {
  const res = await fetch(`${app.url}/api/simulator/messages?user=${encodeURIComponent(user)}&channel=zalo&after=0`);
  return ((await res.json()) as { replies: OutMessage[] }).replies;
}

/** Waits until a message containing `text` reaches `user`; returns it. */
async function received(user: string, text: string): Promise<OutMessage> {
  return eventually(async () => (await inbox(user)).find((m) => textOf([m]).includes(text)), `"${text}" for ${user}`, 30_000);
}

/** A teacher verified for the whole school (a school invite, no class). */
async function schoolTeacher(user: string, school: string) {
  await app.say(user, { text: 'chào' });
  await app.say(user, { payload: 'ROLE:teacher' });
  const verified = await app.say(user, { text: await inviteCode(app, { school }) });
  expect(textOf(verified.replies)).toContain('Xác minh thành công!');
  // A school-wide teacher still picks the class they teach in onboarding (it is not "their own" for broadcasts).
  const last = verified.replies.at(-1);
  if (last?.type === 'buttons' && last.buttons[0]?.payload.startsWith('CLASS:')) await app.say(user, { payload: last.buttons[0].payload });
}

/** A chat contact linked to a school admin account (as "NV <code>" links it; set directly here). */
async function approver(user: string, school: string): Promise<string> {
  await app.say(user, { text: 'chào' });
  const s = await app.db.prisma.school.findUniqueOrThrow({ where: { code: school } });
  await app.db.prisma.staffUser.create({
    data: { email: `${user}@test.local`, name: 'Hiệu trưởng (kiểm thử)', role: 'school_admin', passwordHash: 'x', schoolId: s.id, chatContactId: await contactId(user) },
  });
  return s.name;
}

/** From "Gửi thông báo" to "Gửi ngay" for the whole school, parents only, typed text, no picture. */
async function sendSchoolWide(user: string, text: string) {
  const start = await app.say(user, { text: 'gửi thông báo' });
  const roles = await app.say(user, { payload: button(start.replies, 'Toàn trường') });
  const pledged = await app.say(user, { payload: button(roles.replies, 'Phụ huynh') });
  const groups = await app.say(user, { payload: button(pledged.replies, 'Tất cả') });
  await app.say(user, { payload: button(groups.replies, 'Không') });
  const image = await app.say(user, { text });
  const preview = await app.say(user, { payload: button(image.replies, 'Không kèm ảnh') });
  return { preview, sent: await app.say(user, { payload: button(preview.replies, 'Gửi ngay') }) };
}

function codeIn(replies: OutMessage[]): string {
  const m = /TB-\d{5}/.exec(textOf(replies));
  if (!m) throw new Error(`no broadcast code in ${JSON.stringify(replies)}`);
  return m[0];
}

describe('school-wide broadcasts wait for approval in chat', () => {
  it('notifies the school admin, who approves with the button; the author is told', async () => {
    const schoolName = await approver('bc-hieutruong', 'NTT');
    await schoolTeacher('bc-gv-school', 'NTT');
    const { preview, sent } = await sendSchoolWide('bc-gv-school', 'Toàn trường tham gia Ngày hội 19/8 vào sáng thứ Bảy, phụ huynh đưa đón con đúng giờ.');
    expect(textOf(preview.replies)).toContain(`Thông báo này (${schoolName}) cần Ban giám hiệu duyệt trước khi gửi.`);
    expect(textOf(sent.replies)).toContain('đang chờ duyệt');
    expect(textOf(sent.replies)).toContain('Mình đã báo cho 1 cán bộ quản lý của trường');
    const code = codeIn(sent.replies);
    expect((await app.db.prisma.broadcast.findUniqueOrThrow({ where: { code } })).status).toBe('pending_approval');

    // The approver's notice: who, for whom, what, and the two buttons.
    const notice = await received('bc-hieutruong', `CẦN DUYỆT THÔNG BÁO ${code}`);
    const said = textOf([notice]);
    expect(said).toContain('Gửi cho: toàn trường THCS Nguyễn Thị Thập – phụ huynh');
    expect(said).toContain('Thời gian gửi: ngay khi được duyệt');
    expect(said).toContain('Toàn trường tham gia Ngày hội 19/8');
    expect(said).toContain(`— Thông báo của ${schoolName}.`);
    expect(notice.type === 'buttons' && notice.buttons.map((b) => b.title)).toEqual(['Duyệt', 'Từ chối']);

    // Someone who is not an approver cannot decide it.
    await app.say('bc-nobody', { text: 'chào' });
    expect(textOf((await app.say('bc-nobody', { text: `DUYỆT ${code}` })).replies)).toContain(`Mình không tìm thấy thông báo ${code} nào chờ anh/chị duyệt.`);
    expect((await app.db.prisma.broadcast.findUniqueOrThrow({ where: { code } })).status).toBe('pending_approval');

    const decided = await app.say('bc-hieutruong', { payload: button([notice], 'Duyệt') });
    expect(textOf(decided.replies)).toContain(`Đã duyệt thông báo ${code}. Mình đã báo cho người gửi.`);
    const row = await app.db.prisma.broadcast.findUniqueOrThrow({ where: { code } });
    expect(row.status).not.toBe('pending_approval');
    expect(row.decidedBy).toBe(`contact:${await contactId('bc-hieutruong')}`);
    expect(row.approvedAt).not.toBeNull();
    await received('bc-gv-school', `Thông báo ${code} của thầy/cô đã được duyệt`);
    // Deciding again is answered, not repeated.
    expect(textOf((await app.say('bc-hieutruong', { text: `duyệt ${code}` })).replies)).toContain(`Thông báo ${code} không còn chờ duyệt`);
    // The approver may read its figures too.
    expect(textOf((await app.say('bc-hieutruong', { text: code })).replies)).toContain(`Thông báo ${code} – `);
  });

  it('lets the approver reject by typing, and the author is told it will not go out', async () => {
    await approver('bc-pho-hieutruong', 'TP');
    await schoolTeacher('bc-gv-tp', 'TP');
    const { sent } = await sendSchoolWide('bc-gv-tp', 'Thông báo thử toàn trường Tiểu học Tân Phong về giờ tan học.');
    const code = codeIn(sent.replies);
    await received('bc-pho-hieutruong', `CẦN DUYỆT THÔNG BÁO ${code}`);
    const rejected = await app.say('bc-pho-hieutruong', { text: `TỪ CHỐI ${code}` });
    expect(textOf(rejected.replies)).toContain(`Đã từ chối thông báo ${code}.`);
    expect((await app.db.prisma.broadcast.findUniqueOrThrow({ where: { code } })).status).toBe('rejected');
    await received('bc-gv-tp', `Thông báo ${code} của thầy/cô đã bị Ban giám hiệu từ chối`);
    const figures = await app.say('bc-gv-tp', { text: `kết quả ${code}` });
    expect(textOf(figures.replies)).toContain(`Thông báo ${code} – bị từ chối`);
  });

  it('lets a school-wide teacher pick several classes, by button or by typing the name', async () => {
    await schoolTeacher('bc-gv-many', 'NTT');
    const start = await app.say('bc-gv-many', { text: 'gửi thông báo' });
    expect(start.replies.at(-1)?.type === 'buttons' && start.replies.at(-1)).toMatchObject({ buttons: expect.arrayContaining([expect.objectContaining({ title: 'Toàn trường' })]) });
    const more = await app.say('bc-gv-many', { payload: button(start.replies, 'Lớp 6A2') });
    expect(textOf(more.replies)).toContain('Đã chọn: lớp 6A2.');
    expect(() => button(more.replies, 'Lớp 6A2')).toThrow();
    const typed = await app.say('bc-gv-many', { text: 'lớp 7a1' });
    expect(textOf(typed.replies)).toContain('Đã chọn: lớp 6A2, lớp 7A1.');
    const roles = await app.say('bc-gv-many', { payload: button(typed.replies, 'Tiếp tục') });
    expect(textOf(roles.replies)).toContain('Gửi cho lớp 6A2, lớp 7A1: phụ huynh, học sinh hay cả hai?');
    const pledged = await app.say('bc-gv-many', { payload: button(roles.replies, 'Cả hai') });
    const groups = await app.say('bc-gv-many', { payload: button(pledged.replies, 'Tất cả') });
    await app.say('bc-gv-many', { payload: button(groups.replies, 'Không') });
    const image = await app.say('bc-gv-many', { text: 'Hai lớp 6A2 và 7A1 sinh hoạt chung chủ đề phòng cháy chữa cháy.' });
    const preview = await app.say('bc-gv-many', { payload: button(image.replies, 'Không kèm ảnh') });
    // Classes that are not the teacher's own wait for approval where the school asks for it.
    expect(textOf(preview.replies)).toContain('cần Ban giám hiệu duyệt');
    expect(textOf(preview.replies)).toContain('— Thông báo của giáo viên lớp 6A2, 7A1, Trường THCS Nguyễn Thị Thập.');
    const sent = await app.say('bc-gv-many', { payload: button(preview.replies, 'Gửi ngay') });
    const row = await app.db.prisma.broadcast.findUniqueOrThrow({ where: { code: codeIn(sent.replies) } });
    const classes = await app.db.prisma.class.findMany({ where: { code: { in: ['NTT-6A2', 'NTT-7A1'] } }, orderBy: { code: 'asc' } });
    expect(row.audience).toMatchObject({ schoolIds: [], classIds: classes.map((c) => c.id) });
    expect(row.status).toBe('pending_approval');
  });

  it('sends a class teacher\'s broadcast to their own class without approval', async () => {
    await app.say('bc-gv-own', { text: 'chào' });
    await app.say('bc-gv-own', { payload: 'ROLE:teacher' });
    await app.say('bc-gv-own', { text: await inviteCode(app, { school: 'NTT', class: 'NTT-6A1' }) });
    const start = await app.say('bc-gv-own', { text: 'gửi thông báo' });
    const roles = await app.say('bc-gv-own', { payload: button(start.replies, 'Lớp 6A1') });
    const pledged = await app.say('bc-gv-own', { payload: button(roles.replies, 'Học sinh') });
    const groups = await app.say('bc-gv-own', { payload: button(pledged.replies, 'Tất cả') });
    await app.say('bc-gv-own', { payload: button(groups.replies, 'Không') });
    const image = await app.say('bc-gv-own', { text: 'Lớp 6A1 mai mang áo mưa nhé các em.' });
    const preview = await app.say('bc-gv-own', { payload: button(image.replies, 'Không kèm ảnh') });
    expect(textOf(preview.replies)).not.toContain('cần Ban giám hiệu duyệt');
    const sent = await app.say('bc-gv-own', { payload: button(preview.replies, 'Gửi ngay') });
    expect(textOf(sent.replies)).toContain('Đã nhận lệnh gửi!');
    const row = await app.db.prisma.broadcast.findUniqueOrThrow({ where: { code: codeIn(sent.replies) } });
    // Sent now: the expander may already have taken it by the time it is read; it never waited for approval.
    expect(row.needsApproval).toBe(false);
    expect(['scheduled', 'expanding', 'expanded']).toContain(row.status);
  });
});
