import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutMessage } from '../../src/content/messages.schema.js';
import { studentKey } from '../../src/content/person-name.js';
import { matchGlobalCommand, matchPledgeProgress, matchShortcut } from '../../src/flows/commands.js';
import { NAMES_PER_MESSAGE } from '../../src/flows/pledge-progress.flow.js';
import { createRepos } from '../../src/store/repos.js';
import { button, startTestApp, textOf, type TestApp } from '../helpers/app.js';
import { inviteCode } from '../helpers/teachers.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

type Channel = 'zalo' | 'messenger';

// The demo roster of NTT-6A1 (src/services/pledges/seed-pledge-templates.ts), by given name as the teacher reads it.
const DEMO_6A1 = ['Nguyễn Minh An', 'Võ Quốc Bảo', 'Phạm Thu Hà', 'Lê Gia Huy', 'Đặng Khánh Linh', 'Trần Bảo Ngọc'];
const PUPIL_6A2 = 'Hoàng Thị Mơ';

/** A teacher verified by a code of the class (or, without one, of the whole school). */
async function teacher(user: string, classCode?: string) {
  await app.say(user, { text: 'chào' });
  await app.say(user, { payload: 'ROLE:teacher' });
  const code = await inviteCode(app, { school: 'NTT', ...(classCode ? { class: classCode } : {}) });
  expect(textOf((await app.say(user, { text: code })).replies)).toContain('Xác minh thành công!');
}

/** Links a new contact to a class through a QR ref, as a parent or a student. */
async function linked(user: string, role: 'parent' | 'student', classCode: string, channel: Channel = role === 'parent' ? 'zalo' : 'messenger') {
  await app.say(user, { ref: classCode }, channel);
  expect(textOf((await app.say(user, { payload: `ROLE:${role}` }, channel)).replies)).toContain('Xong!');
}

/** Signs a pledge through the pledge flow, as pledge.test.ts does. */
async function sign(user: string, student: string, parent: string | null, channel: Channel) {
  await app.say(user, { payload: 'FLOW:pledge' }, channel);
  await app.say(user, { payload: 'PLEDGE:SIGN' }, channel);
  let r = await app.say(user, { text: student }, channel);
  if (parent !== null) r = await app.say(user, { text: parent }, channel);
  const done = await app.say(user, { payload: button(r.replies, 'Tôi đồng ý và cam kết') }, channel);
  expect(textOf(done.replies)).toContain('Mã biên nhận');
}

function hasButton(replies: OutMessage[], title: string): boolean {
  return replies.some((r) => r.type === 'buttons' && r.buttons.some((b) => b.title === title));
}

/** The text message that starts with this header. */
function listOf(replies: OutMessage[], header: string): string | undefined {
  return replies.map((r) => (r.type === 'text' ? r.text : '')).find((t) => t.startsWith(header));
}

const numbered = (names: string[], from = 1) => names.map((n, i) => `${from + i}. ${n}`).join('\n');
const classId = async (code: string) => (await app.db.prisma.class.findUniqueOrThrow({ where: { code } })).id;
const conversation = async (user: string) => (await app.db.prisma.contact.findFirstOrThrow({ where: { userId: user }, include: { conversation: true } })).conversation;

async function addRoster(classCode: string, names: string[]) {
  await createRepos(app.db.prisma).pledges.ensureRoster(classCode, names.map((studentName) => ({ studentName, studentKey: studentKey(studentName) })));
}

describe('who has not pledged, for a verified teacher in chat', () => {
  it('shows a class teacher the counts and the names missing on each side, and updates after a parent and a student sign', async () => {
    await teacher('pp-gv', 'NTT-6A1');
    const before = await app.say('pp-gv', { text: 'chưa cam kết' });
    expect(textOf(before.replies)).toContain('Phụ huynh: 0/6 đã ký · Học sinh: 0/6 đã ký');

    await linked('pp-ph', 'parent', 'NTT-6A1');
    await sign('pp-ph', 'nguyễn minh an', 'Nguyễn Văn Sơn', 'zalo');
    await linked('pp-hs', 'student', 'NTT-6A1');
    await sign('pp-hs', 'Lê Gia Huy', null, 'messenger');

    const after = await app.say('pp-gv', { text: 'Chưa cam kết' });
    const said = textOf(after.replies);
    expect(said).toContain('Cam kết ATGT – lớp 6A1, Trường THCS Nguyễn Thị Thập');
    expect(said).toContain('Phụ huynh: 1/6 đã ký · Học sinh: 1/6 đã ký');
    expect(listOf(after.replies, 'Học sinh chưa có cam kết của phụ huynh')).toBe(
      `Học sinh chưa có cam kết của phụ huynh (5):\n${numbered(DEMO_6A1.filter((n) => n !== 'Nguyễn Minh An'))}`,
    );
    expect(listOf(after.replies, 'Học sinh chưa tự ký cam kết')).toBe(`Học sinh chưa tự ký cam kết (5):\n${numbered(DEMO_6A1.filter((n) => n !== 'Lê Gia Huy'))}`);
    // Only one class to see: no picker, no "another class".
    expect(hasButton(after.replies, 'Lớp khác')).toBe(false);
    // The broadcast flow takes no preset: the teacher is told what to pick there, and the button opens it.
    expect(said).toContain('bấm “Gửi thông báo”, chọn lớp 6A1, “Cả hai”, rồi “Chỉ người chưa ký”');
    const broadcast = await app.say('pp-gv', { payload: button(after.replies, 'Gửi thông báo') });
    button(broadcast.replies, 'Lớp 6A1');

    // The same from the menu, and typed in the middle of another flow.
    const menu = await app.say('pp-gv', { text: 'menu' });
    const tapped = await app.say('pp-gv', { payload: button(menu.replies, 'Chưa cam kết') });
    expect(textOf(tapped.replies)).toContain('Phụ huynh: 1/6 đã ký · Học sinh: 1/6 đã ký');
    await app.say('pp-gv', { payload: 'FLOW:quiz' });
    const typed = await app.say('pp-gv', { text: 'Ai chưa ký?' });
    expect(textOf(typed.replies)).toContain('Phụ huynh: 1/6 đã ký · Học sinh: 1/6 đã ký');
    expect((await conversation('pp-gv'))?.flowId).toBe('pledge_progress');
    // The conversation keeps the class, never a name; no log line names a pupil.
    expect(JSON.stringify((await conversation('pp-gv'))?.data ?? {})).not.toContain('Bảo');
    for (const name of DEMO_6A1) expect(app.logs.lines.filter((l) => l.includes(name))).toEqual([]);
  });

  it("never shows a teacher of 6A1 the names of 6A2, however asked; a school-wide teacher picks among the school's classes and sees only counts", async () => {
    await addRoster('NTT-6A2', [PUPIL_6A2, 'Đỗ Văn Khoa']);
    await teacher('pp-gv-a1', 'NTT-6A1');
    const forged = await app.say('pp-gv-a1', { payload: `FLOW:pledge_progress:${await classId('NTT-6A2')}` });
    expect(textOf(forged.replies)).toContain('chỉ xem được tiến độ cam kết của các lớp mình được giao');
    expect(textOf(forged.replies)).not.toContain(PUPIL_6A2);
    const typed = await app.say('pp-gv-a1', { text: 'lớp 6A2' });
    expect(textOf(typed.replies)).toContain('chưa tìm thấy lớp đó');
    expect(hasButton(typed.replies, 'Lớp 6A2')).toBe(false);
    for (const r of [forged, typed]) expect(JSON.stringify(r.replies)).not.toContain('Khoa');

    await teacher('pp-gv-school');
    const pick = await app.say('pp-gv-school', { text: 'chưa cam kết' });
    expect(textOf(pick.replies)).toContain('Thầy/cô muốn xem tiến độ ký cam kết của lớp nào?');
    expect(textOf(pick.replies)).not.toContain('đã ký');
    // Not their own class: the counts, never the names (DESIGN.md §4: names only for that class's teacher).
    const a2 = await app.say('pp-gv-school', { payload: button(pick.replies, 'Lớp 6A2') });
    expect(textOf(a2.replies)).toContain('Phụ huynh: 0/2 đã ký · Học sinh: 0/2 đã ký');
    expect(textOf(a2.replies)).toContain('Tên học sinh chỉ hiện cho giáo viên của lớp');
    expect(JSON.stringify(a2.replies)).not.toContain('Khoa');
    const other = await app.say('pp-gv-school', { payload: button(a2.replies, 'Lớp khác') });
    expect(textOf(other.replies)).toContain('lớp nào?');
    const a1 = await app.say('pp-gv-school', { text: 'lớp 6a1' });
    expect(textOf(a1.replies)).toContain('Lớp 6A1 – Trường THCS Nguyễn Thị Thập');
    expect(textOf(a1.replies)).not.toContain(PUPIL_6A2);
  });

  it('refuses a parent, and a contact whose role says teacher but who sent no code, and tells the latter how to get one', async () => {
    await linked('pp-parent', 'parent', 'NTT-6A1');
    const menu = await app.say('pp-parent', { text: 'menu' });
    expect(hasButton(menu.replies, 'Chưa cam kết')).toBe(false);
    const typed = await app.say('pp-parent', { text: 'chưa cam kết' });
    expect(textOf(typed.replies)).toContain('chỉ dành cho giáo viên đã được nhà trường xác minh');
    // A parent who means "I have not pledged yet" is one tap from the pledge.
    expect(button(typed.replies, 'Cam kết ATGT')).toBe('FLOW:pledge');
    const forged = await app.say('pp-parent', { payload: `FLOW:pledge_progress:${await classId('NTT-6A1')}` });
    expect(textOf(forged.replies)).toContain('chỉ dành cho giáo viên');

    await linked('pp-self', 'parent', 'NTT-6A1');
    const c = await app.db.prisma.contact.findFirstOrThrow({ where: { userId: 'pp-self' } });
    await app.db.prisma.contact.update({ where: { id: c.id }, data: { role: 'teacher' } });
    const self = await app.say('pp-self', { text: 'ai chưa ký' });
    expect(textOf(self.replies)).toContain('Thầy/cô gõ “GV” kèm mã giáo viên do nhà trường cấp');
    expect(hasButton((await app.say('pp-self', { text: 'menu' })).replies, 'Chưa cam kết')).toBe(false);
    for (const r of [typed, forged, self]) for (const name of DEMO_6A1) expect(JSON.stringify(r.replies)).not.toContain(name);
  });

  it('keeps the words as the tipster\'s text inside the anonymous tip flow, and never takes an opt-out word for them', async () => {
    await teacher('pp-gv-tip', 'NTT-6A1');
    await app.say('pp-gv-tip', { payload: 'FLOW:tip' });
    await app.say('pp-gv-tip', { payload: 'CAT:theft' });
    const r = await app.say('pp-gv-tip', { text: 'chưa cam kết' });
    expect(textOf(r.replies)).not.toContain('đã ký');
    expect((await conversation('pp-gv-tip'))?.flowId).toBe('tip');
    await app.say('pp-gv-tip', { text: 'huỷ' });

    for (const word of ['chưa cam kết', 'ai chưa ký?', 'Danh sách chưa ký']) {
      expect(matchGlobalCommand({ kind: 'text', text: word })).toBeNull();
      expect(matchShortcut({ kind: 'text', text: word })).toEqual({ flowId: 'pledge_progress', stepId: 'command' });
    }
    for (const word of ['dừng', 'hủy đăng ký', 'chưa', 'chưa ký', 'con chưa cam kết được vì bận']) expect(matchPledgeProgress({ kind: 'text', text: word })).toBe(false);
  });

  it(`splits a long list at ${NAMES_PER_MESSAGE} names a message, numbering carried on`, async () => {
    const names = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng'].flatMap((family) =>
      ['An', 'Bình', 'Châu', 'Dung', 'Giang', 'Hải', 'Khánh', 'Lan', 'Minh'].map((given) => `${family} Văn ${given}`),
    );
    await addRoster('NTT-8A1', names);
    await teacher('pp-gv-8a1', 'NTT-8A1');
    const r = await app.say('pp-gv-8a1', { text: 'chưa cam kết' });
    expect(textOf(r.replies)).toContain('Phụ huynh: 0/45 đã ký · Học sinh: 0/45 đã ký');
    const first = listOf(r.replies, 'Học sinh chưa có cam kết của phụ huynh (45):')!;
    const rest = listOf(r.replies, 'Học sinh chưa có cam kết của phụ huynh (45) – tiếp theo:')!;
    expect(first.split('\n')).toHaveLength(1 + NAMES_PER_MESSAGE);
    expect(first.split('\n')[1]).toBe('1. Hoàng Văn An');
    expect(rest.split('\n')).toHaveLength(1 + 45 - NAMES_PER_MESSAGE);
    expect(rest.split('\n')[1]).toMatch(/^41\. /);
    expect(rest.split('\n').at(-1)).toBe('45. Trần Văn Minh');
  });

  it('says so for a class without a roster, and when no campaign is open', async () => {
    await teacher('pp-gv-7a1', 'NTT-7A1');
    const none = await app.say('pp-gv-7a1', { text: 'chưa cam kết' });
    expect(textOf(none.replies)).toContain('Lớp 7A1 – Trường THCS Nguyễn Thị Thập chưa có danh sách học sinh trên hệ thống');
    expect(textOf(none.replies)).toContain('đã có 0 phụ huynh và 0 học sinh của lớp ký cam kết');

    await app.db.prisma.campaign.updateMany({ data: { active: false } });
    const closed = await app.say('pp-gv-7a1', { text: 'chưa cam kết' });
    expect(textOf(closed.replies)).toContain('Hiện không có đợt ký cam kết nào đang diễn ra');
  });
});
