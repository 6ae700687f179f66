import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../src/content/catalogue.js';
import type { OutMessage } from '../../src/content/messages.schema.js';
import { matchBroadcastCommand } from '../../src/flows/broadcast-commands.js';
import { parseSendTime, vnParts } from '../../src/flows/broadcast-time.js';
import { matchGlobalCommand } from '../../src/flows/commands.js';
import { button, startTestApp, textOf, type TestApp } from '../helpers/app.js';
import { inviteCode } from '../helpers/teachers.js';

let app: TestApp;
const catalogue = loadCatalogue();
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

type Channel = 'zalo' | 'messenger';

async function onboard(user: string, role: 'parent' | 'student', classCode: string, channel: Channel = 'zalo') {
  await app.say(user, { text: 'chào' }, channel);
  await app.say(user, { payload: `ROLE:${role}` }, channel);
  expect(textOf((await app.say(user, { text: classCode }, channel)).replies)).toContain('Xong!');
}

/** A teacher verified by a code of the class (or, without one, of the whole school). */
async function teacher(user: string, school: string, classCode?: string) {
  await app.say(user, { text: 'chào' });
  await app.say(user, { payload: 'ROLE:teacher' });
  const code = await inviteCode(app, { school, ...(classCode ? { class: classCode } : {}) });
  expect(textOf((await app.say(user, { text: code })).replies)).toContain('Xác minh thành công!');
}

async function contactId(user: string): Promise<string> {
  return (await app.db.prisma.contact.findFirstOrThrow({ where: { userId: user } })).id;
}

function hasButton(replies: OutMessage[], title: string): boolean {
  return replies.some((r) => r.type === 'buttons' && r.buttons.some((b) => b.title === title));
}

function codeIn(replies: OutMessage[]): string {
  const m = /TB-\d{5}/.exec(textOf(replies));
  if (!m) throw new Error(`no broadcast code in ${JSON.stringify(replies)}`);
  return m[0];
}

/** Every button of the replies fits Messenger's quick replies (at most 13, titles of at most 20 characters). */
function expectButtonsFit(replies: OutMessage[]) {
  for (const r of replies) {
    if (r.type !== 'buttons') continue;
    expect(r.buttons.length).toBeLessThanOrEqual(13);
    for (const b of r.buttons) expect([...b.title].length, b.title).toBeLessThanOrEqual(20);
  }
}

/** Drives the flow from "Gửi thông báo" to the preview for a class, with a typed text and (optionally) an image link. */
async function composeForClass(user: string, opts: { className: string; role: string; text: string; image?: string; groups?: boolean; onlyUnpledged?: boolean }) {
  const start = await app.say(user, { text: 'gửi thông báo' });
  expectButtonsFit(start.replies);
  const roles = await app.say(user, { payload: button(start.replies, `Lớp ${opts.className}`) });
  const more = hasButton(roles.replies, 'Tiếp tục') ? await app.say(user, { payload: button(roles.replies, 'Tiếp tục') }) : roles;
  const pledged = await app.say(user, { payload: button(more.replies, opts.role) });
  const groups = await app.say(user, { payload: button(pledged.replies, opts.onlyUnpledged ? 'Chỉ người chưa ký' : 'Tất cả') });
  const content = await app.say(user, { payload: button(groups.replies, opts.groups ? 'Có, đăng vào nhóm' : 'Không') });
  expect(textOf(content.replies)).toContain('gõ nội dung thông báo');
  const image = await app.say(user, { text: opts.text });
  expect(textOf(image.replies)).toContain('Kèm một ảnh?');
  return opts.image ? app.say(user, { text: opts.image }) : app.say(user, { payload: button(image.replies, 'Không kèm ảnh') });
}

describe('a teacher broadcasts in chat', () => {
  it('takes a verified class teacher from the menu to a sent broadcast: audience, roles, text, image, preview per channel, forecast', async () => {
    await teacher('bc-gv', 'NTT', 'NTT-7A1');
    await onboard('bc-ph1', 'parent', 'NTT-7A1');
    await onboard('bc-hs1', 'student', 'NTT-7A1', 'messenger');
    await onboard('bc-ph2', 'parent', 'NTT-7A1');
    await app.say('bc-ph2', { text: 'DỪNG' });
    await onboard('bc-other', 'parent', 'NTT-8A1');

    const menu = await app.say('bc-gv', { text: 'menu' });
    expect(hasButton(menu.replies, 'Gửi thông báo')).toBe(true);
    const start = await app.say('bc-gv', { payload: button(menu.replies, 'Gửi thông báo') });
    expect(textOf(start.replies)).toContain('Trường THCS Nguyễn Thị Thập: thầy/cô muốn gửi thông báo cho ai?');
    // A class invite: the class only, never the whole school.
    expect(hasButton(start.replies, 'Toàn trường')).toBe(false);
    const roles = await app.say('bc-gv', { payload: button(start.replies, 'Lớp 7A1') });
    expect(textOf(roles.replies)).toContain('Gửi cho lớp 7A1: phụ huynh, học sinh hay cả hai?');
    const pledged = await app.say('bc-gv', { payload: button(roles.replies, 'Cả hai') });
    const groups = await app.say('bc-gv', { payload: button(pledged.replies, 'Tất cả') });
    const content = await app.say('bc-gv', { payload: button(groups.replies, 'Có, đăng vào nhóm') });
    const image = await app.say('bc-gv', { text: 'Thứ Hai tuần sau lớp mình học an toàn giao thông, các em nhớ đội mũ bảo hiểm khi đi xe máy.' });
    expect(textOf(content.replies)).toContain('gõ nội dung thông báo');
    expect(textOf(image.replies)).toContain('Kèm một ảnh?');
    const preview = await app.say('bc-gv', { text: 'https://example.org/mu-bao-hiem.jpg' });

    // The picture itself, then each channel written out as it will show the message.
    expect(preview.replies).toContainEqual({ type: 'image', url: 'https://example.org/mu-bao-hiem.jpg' });
    const said = textOf(preview.replies);
    expect(said).toContain('XEM TRƯỚC – gửi cho lớp 7A1 – phụ huynh và học sinh, kèm nhóm Zalo lớp.');
    // Text and picture look alike on every channel here: written out once, the other channels say so.
    expect(said).toContain('▶ Zalo – tin nhắn riêng\n\n[Ảnh: https://example.org/mu-bao-hiem.jpg]\n\nThứ Hai tuần sau lớp mình học');
    expect(said).toContain('▶ Zalo – nhóm lớp: giống hệt Zalo – tin nhắn riêng ở trên');
    expect(said).toContain('▶ Messenger: giống hệt Zalo – tin nhắn riêng ở trên');
    expect(said.split('Thứ Hai tuần sau lớp mình học').length - 1).toBe(1);
    expect(said).toContain('— Thông báo của giáo viên lớp 7A1, Trường THCS Nguyễn Thị Thập.');
    // The forecast: two reachable in the simulator, one opted out; nobody of another class.
    expect(said).toContain('DỰ KIẾN TIẾP CẬN: 3 người trong danh sách.');
    expect(said).toContain('• Mô phỏng: 2 nhận ngay; 1 chưa nhận được (1 đã tắt nhận thông báo)');
    const ask = preview.replies.at(-1)!;
    expect(ask.type === 'buttons' && ask.buttons.map((b) => b.title)).toEqual(['Gửi ngay', 'Hẹn giờ', 'Sửa nội dung', 'Huỷ']);
    expect(said).not.toContain('cần Ban giám hiệu duyệt');

    const sent = await app.say('bc-gv', { payload: button(preview.replies, 'Gửi ngay') });
    expect(textOf(sent.replies)).toContain('Đã nhận lệnh gửi! Thông báo TB-');
    const code = codeIn(sent.replies);
    const row = await app.db.prisma.broadcast.findUniqueOrThrow({ where: { code } });
    const cls = await app.db.prisma.class.findFirstOrThrow({ where: { code: 'NTT-7A1' } });
    expect(row.createdByContactId).toBe(await contactId('bc-gv'));
    expect(row.needsApproval).toBe(false);
    expect(row.status).not.toBe('pending_approval');
    expect(row.audience).toMatchObject({ classIds: [cls.id], schoolIds: [], roles: ['parent', 'student'], onlyUnpledged: false, includeGroups: true });
    const messages = row.message as OutMessage[];
    expect(messages[0]).toEqual({ type: 'image', url: 'https://example.org/mu-bao-hiem.jpg' });
    expect(messages[1]).toMatchObject({ type: 'text' });
    expect(messages[1]!.type === 'text' && messages[1]!.text).toContain('Gõ “DỪNG” nếu không muốn nhận thông báo nữa.');

    // Figures by code, and in the list of sent broadcasts.
    const figures = await app.say('bc-gv', { text: code.toLowerCase().replace('-', ' ') });
    expect(textOf(figures.replies)).toContain(`Thông báo ${code} – `);
    expect(textOf(figures.replies)).toContain('Số người trong danh sách:');
    expectButtonsFit(figures.replies);
    const list = await app.say('bc-gv', { text: 'thông báo đã gửi' });
    expect(textOf(list.replies)).toContain(code);
    const again = await app.say('bc-gv', { payload: button(list.replies, code) });
    expect(textOf(again.replies)).toContain(`Thông báo ${code} – `);
  });

  it('schedules a broadcast at a typed Vietnamese time and says when it goes', async () => {
    await teacher('bc-gv-time', 'NTT', 'NTT-9A1');
    await onboard('bc-ph-time', 'parent', 'NTT-9A1');
    const preview = await composeForClass('bc-gv-time', { className: '9A1', role: 'Phụ huynh', text: 'Họp phụ huynh lúc 19 giờ thứ Sáu tại phòng học lớp 9A1.' });
    const ask = await app.say('bc-gv-time', { payload: button(preview.replies, 'Hẹn giờ') });
    expect(textOf(ask.replies)).toContain('“07:30 02/12”');
    const wrong = await app.say('bc-gv-time', { text: 'khi nào tiện' });
    expect(textOf(wrong.replies)).toContain('Mình chưa đọc được giờ này.');
    const before = new Date();
    const done = await app.say('bc-gv-time', { text: '07:30 mai' });
    const after = new Date();
    expect(textOf(done.replies)).toContain('Đã hẹn giờ: thông báo TB-');
    expect(textOf(done.replies)).toMatch(/sẽ được gửi lúc 07:30 \d{2}\/\d{2}\./);
    const row = await app.db.prisma.broadcast.findUniqueOrThrow({ where: { code: codeIn(done.replies) } });
    const expected = [before, after].map((t) => (parseSendTime('07:30 mai', t) as { at: Date }).at.getTime());
    expect(expected).toContain(row.sendAt.getTime());
    expect(row.status).toBe('scheduled');
    expect(row.audience).toMatchObject({ roles: ['parent'], includeGroups: false });
  });

  it('sends a reviewed catalogue item to those who have not pledged, with a pledge button previewed as each channel shows it', async () => {
    await teacher('bc-gv-item', 'NTT', 'NTT-6A2');
    const start = await app.say('bc-gv-item', { text: 'gửi thông báo' });
    const roles = await app.say('bc-gv-item', { payload: button(start.replies, 'Lớp 6A2') });
    const pledged = await app.say('bc-gv-item', { payload: button(roles.replies, 'Phụ huynh') });
    const groups = await app.say('bc-gv-item', { payload: button(pledged.replies, 'Chỉ người chưa ký') });
    const content = await app.say('bc-gv-item', { payload: button(groups.replies, 'Có, đăng vào nhóm') });
    const topics = await app.say('bc-gv-item', { payload: button(content.replies, 'Chọn bài có sẵn') });
    expectButtonsFit(topics.replies);
    const items = await app.say('bc-gv-item', { payload: button(topics.replies, 'An toàn giao thông') });
    expectButtonsFit(items.replies);
    const last = items.replies.at(-1)!;
    if (last.type !== 'buttons') throw new Error('expected the items as buttons');
    const first = last.buttons[0]!;
    const item = catalogue.get(first.payload.split(':').at(-1)!)!;
    expect(item.needsReview).toBe(false);
    expect(item.audience).toContain('parent');
    // Typing the number picks it too.
    const preview = await app.say('bc-gv-item', { text: '1' });
    const said = textOf(preview.replies);
    expect(said).toContain(item.title.toUpperCase());
    expect(said).toContain('chỉ người chưa ký cam kết');
    // Those who have not pledged get a button to sign: a list button in a Zalo chat, a numbered line in a Zalo group
    // (groups have no buttons), a quick reply on Messenger (the text is too long for a button template).
    const zaloUser = said.slice(said.indexOf('▶ Zalo – tin nhắn riêng'), said.indexOf('▶ Zalo – nhóm lớp'));
    const zaloGroup = said.slice(said.indexOf('▶ Zalo – nhóm lớp'), said.indexOf('▶ Messenger'));
    const messenger = said.slice(said.indexOf('▶ Messenger'), said.indexOf('DỰ KIẾN TIẾP CẬN'));
    expect(zaloUser).toContain('[Nút: Ký cam kết ngay]');
    expect(zaloGroup).toContain('Gõ “DỪNG” nếu không muốn nhận thông báo nữa.\n1. Ký cam kết ngay');
    expect(zaloGroup).not.toContain('[Nút');
    expect(messenger).toContain('[Nút trả lời nhanh: Ký cam kết ngay]');
    const sent = await app.say('bc-gv-item', { payload: button(preview.replies, 'Gửi ngay') });
    const row = await app.db.prisma.broadcast.findUniqueOrThrow({ where: { code: codeIn(sent.replies) } });
    expect(row.audience).toMatchObject({ onlyUnpledged: true, roles: ['parent'] });
    expect(JSON.stringify(row.message)).toContain(item.title.toUpperCase());
    expect(row.message).toContainEqual(expect.objectContaining({ type: 'buttons', buttons: [{ title: 'Ký cam kết ngay', payload: 'FLOW:pledge' }] }));
  });

  it('lets the author cancel a broadcast that has not gone out, once', async () => {
    await teacher('bc-gv-cancel', 'NTT', 'NTT-8A1');
    await onboard('bc-ph-cancel', 'parent', 'NTT-8A1');
    const preview = await composeForClass('bc-gv-cancel', { className: '8A1', role: 'Phụ huynh', text: 'Thông báo thử sẽ được huỷ trước giờ gửi.' });
    const later = await app.say('bc-gv-cancel', { payload: button(preview.replies, 'Hẹn giờ') });
    expect(textOf(later.replies)).toContain('gõ giờ gửi');
    const done = await app.say('bc-gv-cancel', { text: '07:00 mai' });
    const code = codeIn(done.replies);

    // Someone else cannot cancel it, nor read its figures.
    await teacher('bc-gv-other', 'NTT', 'NTT-8A1');
    const foreign = await app.say('bc-gv-other', { text: `HUỶ ${code}` });
    const refused = await app.say('bc-gv-other', { payload: button(foreign.replies, 'Có, huỷ') });
    expect(textOf(refused.replies)).toContain(`Chỉ người tạo hoặc người duyệt thông báo ${code} mới huỷ được.`);
    expect(textOf((await app.say('bc-gv-other', { text: code })).replies)).toContain(`Mình không tìm thấy thông báo ${code} nào của thầy/cô.`);

    const confirm = await app.say('bc-gv-cancel', { text: `hủy ${code}` });
    expect(textOf(confirm.replies)).toContain(`Huỷ thông báo ${code}?`);
    const cancelled = await app.say('bc-gv-cancel', { payload: button(confirm.replies, 'Có, huỷ') });
    expect(textOf(cancelled.replies)).toContain(`Đã huỷ thông báo ${code}`);
    expect((await app.db.prisma.broadcast.findUniqueOrThrow({ where: { code } })).status).toBe('cancelled');
    const twice = await app.say('bc-gv-cancel', { payload: button(cancelled.replies, 'Xem kết quả') });
    expect(textOf(twice.replies)).toContain(`Thông báo ${code} – đã huỷ`);
    expect(hasButton(twice.replies, 'Huỷ thông báo')).toBe(false);
    const again = await app.say('bc-gv-cancel', { text: `HUY ${code}` });
    const finished = await app.say('bc-gv-cancel', { payload: button(again.replies, 'Có, huỷ') });
    expect(textOf(finished.replies)).toContain('không còn gì để dừng');
  });

  it('never lets an unverified contact see or reach any of it', async () => {
    const before = await app.db.prisma.broadcast.count();
    await onboard('bc-parent', 'parent', 'NTT-6A1');
    const menu = await app.say('bc-parent', { text: 'menu' });
    expect(hasButton(menu.replies, 'Gửi thông báo')).toBe(false);
    const typed = await app.say('bc-parent', { text: 'Gửi thông báo' });
    expect(textOf(typed.replies)).toContain('dành cho giáo viên đã được nhà trường xác minh');
    const tapped = await app.say('bc-parent', { payload: 'FLOW:broadcast' });
    expect(textOf(tapped.replies)).toContain('dành cho giáo viên đã được nhà trường xác minh');
    expect(textOf(tapped.replies)).not.toContain('cho ai?');
    // A payload of a step deep in the flow, sent by hand, is not an audience either.
    const forged = await app.say('bc-parent', { payload: 'BC:NOW' });
    expect(textOf(forged.replies)).not.toContain('Đã gửi');

    // A contact whose role says teacher but who never sent a code is told how to get one.
    await onboard('bc-self', 'parent', 'NTT-6A1');
    await app.db.prisma.contact.update({ where: { id: await contactId('bc-self') }, data: { role: 'teacher' } });
    const self = await app.say('bc-self', { text: 'gửi thông báo' });
    expect(textOf(self.replies)).toContain('mã giáo viên do nhà trường cấp');
    expect(hasButton((await app.say('bc-self', { text: 'menu' })).replies, 'Gửi thông báo')).toBe(false);

    // Codes and commands answer as if nothing existed.
    const code = await app.say('bc-parent', { text: 'TB-12345' });
    expect(textOf(code.replies)).toContain('Mình không tìm thấy mã TB-12345');
    expect(textOf((await app.say('bc-parent', { text: 'DUYỆT TB-12345' })).replies)).toContain('Mình không tìm thấy thông báo TB-12345 nào chờ anh/chị duyệt.');
    expect(textOf((await app.say('bc-parent', { text: 'thông báo đã gửi' })).replies)).toContain('dành cho giáo viên đã được nhà trường xác minh');
    expect(await app.db.prisma.broadcast.count()).toBe(before);
  });

  it('keeps a broadcast code typed inside the anonymous tip flow as the tipster\'s text', async () => {
    await teacher('bc-gv-tip', 'NTT', 'NTT-6A1');
    await app.say('bc-gv-tip', { payload: 'FLOW:tip' });
    await app.say('bc-gv-tip', { payload: 'CAT:theft' });
    const r = await app.say('bc-gv-tip', { text: 'TB-12345' });
    expect(textOf(r.replies)).not.toContain('Mình không tìm thấy');
    expect((await app.db.prisma.conversation.findFirstOrThrow({ where: { contactId: await contactId('bc-gv-tip') } })).flowId).toBe('tip');
  });
});

describe('broadcast commands and times', () => {
  it('reads approval, figures and cancel commands, never the opt-out words', () => {
    expect(matchBroadcastCommand({ kind: 'text', text: 'DUYỆT TB-01234' })).toEqual({ kind: 'approve', code: 'TB-01234' });
    expect(matchBroadcastCommand({ kind: 'text', text: 'từ chối tb 01234' })).toEqual({ kind: 'reject', code: 'TB-01234' });
    expect(matchBroadcastCommand({ kind: 'text', text: 'Kết quả TB-01234' })).toEqual({ kind: 'figures', code: 'TB-01234' });
    expect(matchBroadcastCommand({ kind: 'text', text: 'TB01234' })).toEqual({ kind: 'figures', code: 'TB-01234' });
    expect(matchBroadcastCommand({ kind: 'text', text: 'Huỷ TB-01234' })).toEqual({ kind: 'cancel', code: 'TB-01234' });
    expect(matchBroadcastCommand({ kind: 'payload', payload: 'BC:APPROVE:TB-01234' })).toEqual({ kind: 'approve', code: 'TB-01234' });
    // A tip code, and the opt-out words, are not broadcast commands.
    for (const text of ['TB-K7QM-3XRP', 'TB-2345-6789', 'STOP', 'DỪNG', 'hủy đăng ký', 'huỷ', 'duyệt']) expect(matchBroadcastCommand({ kind: 'text', text })).toBeNull();
    expect(matchGlobalCommand({ kind: 'text', text: 'HỦY TB-01234' })).toBeNull();
    expect(matchGlobalCommand({ kind: 'text', text: 'HỦY ĐĂNG KÝ' })).toBe('opt_out');
  });

  it('reads Vietnamese send times in Asia/Ho_Chi_Minh', () => {
    // 2026-12-01 19:00 in Vietnam.
    const now = new Date(Date.UTC(2026, 11, 1, 12, 0));
    const at = (typed: string) => {
      const r = parseSendTime(typed, now);
      return r.ok ? { ...vnParts(r.at), tomorrow: r.movedToTomorrow } : r.reason;
    };
    expect(at('21:15')).toMatchObject({ day: 1, month: 12, hour: 21, minute: 15, tomorrow: false });
    expect(at('07:30')).toMatchObject({ day: 2, month: 12, hour: 7, minute: 30, tomorrow: true });
    expect(at('7h30 mai')).toMatchObject({ day: 2, hour: 7, minute: 30, tomorrow: false });
    expect(at('07:30 05/12')).toMatchObject({ day: 5, month: 12, year: 2026, hour: 7, minute: 30 });
    expect(at('8 giờ tối')).toMatchObject({ day: 1, hour: 20 });
    expect(at('9 giờ tối')).toMatchObject({ day: 1, hour: 21, minute: 0 });
    expect(at('07:30 05/01')).toMatchObject({ day: 5, month: 1, year: 2027 });
    expect(at('07:30 30/11')).toBe('in_past');
    expect(at('07:30 31/02')).toBe('unreadable');
    expect(at('25:00')).toBe('unreadable');
    expect(at('07:30 01/06/2027')).toBe('too_far');
    expect(at('lúc nào cũng được')).toBe('unreadable');
  });
});
