// The end-to-end proof of issue 9: a verified teacher on the simulator broadcasts to a class of 30 contacts split
// across the Zalo and Messenger doubles and one class group; one contact's window is closed (it later writes and is
// caught up), one opted out, and it is 21:59 for the Zalo half. Checked: exactly who got what and when, and the
// figures the teacher is shown in chat.
//
// The 30 contacts are created through the normal pipeline: signed webhooks ("xin chào", the role button, the class
// code NTT-6A1), and the opt-out is their own "DỪNG". Only two things are set directly: the closed window (the
// contact's last message moved two days back, as if it had onboarded then; a webhook dated two days ago would have
// had our answers to it skipped too) and the class group (stored as `npm run zalo:groups -- list` stores a listed
// group, then linked to the class with the same service as `link`).
//
// Time: the app runs on a test clock (`StartOptions.clock`), set to Vietnamese evening times after the wall clock.
// With one dispatch slot per channel each channel sends one message after the other, and the clock moves from 21:59
// to 22:00 as soon as the fifth Zalo user has received the broadcast: the sixth is decided at 22:00. Nothing waits
// on a fixed sleep; every wait is on an event (the doubles' requests, outbox states) with a generous deadline.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutMessage } from '../../src/content/messages.schema.js';
import { linkGroupToClass } from '../../src/services/groups/link-group-to-class.js';
import { createTeacherInvite } from '../../src/services/teachers/create-invite.js';
import { teacherInviteKey } from '../../src/services/teachers/invite-keys.js';
import { createRepos } from '../../src/store/repos.js';
import { startMessengerDouble, type MessengerDouble } from '../doubles/messenger-double.js';
import { startZaloDouble, type ZaloDouble } from '../doubles/zalo-double.js';
import { button, textOf } from '../helpers/app.js';
import { eventually, ZALO_OA_ID } from '../helpers/channels.js';
import { messengerWrites, nextVietnamTime, platformNow, startE2eApp, TestClock, turnsDone, vietnamTime, zaloWrites, type E2eApp } from './e2e-helpers.js';

const CLASS_CODE = 'NTT-6A1';
const GROUP_ID = '8246013579024681357';
const TEACHER = 'gv-6a1';
/** The teacher's text: every recipient's message carries it (with the class's signature and the pledge button). */
const BODY = 'Sáng thứ Hai lớp 6A1 chào cờ về an toàn giao thông. Các em nhớ đội mũ bảo hiểm cài quai đúng cách khi ngồi sau xe máy.';
/** How many Zalo users get the broadcast at 21:59, before the clock reaches 22:00. */
const BEFORE_TEN = 5;

const zaloUsers = Array.from({ length: 15 }, (_, i) => `24680135790246${String(i + 1).padStart(3, '0')}`);
const messengerUsers = Array.from({ length: 15 }, (_, i) => `71000000000${String(i + 1).padStart(3, '0')}`);
/** Said "DỪNG" before the broadcast: never sent it. */
const OPTED_OUT = zaloUsers[14]!;
/** Last wrote two days ago: outside Messenger's 24-hour window when the broadcast goes; writes later, caught up. */
const WINDOW_CLOSED = messengerUsers[14]!;

let zalo: ZaloDouble;
let meta: MessengerDouble;
let app: E2eApp;
const clock = new TestClock();
// The evening of the test, in Vietnam: the next 21:40 at least a minute after the wall clock, then its 21:59, 22:00
// and the next morning's 06:00.
const setupAt = nextVietnamTime(21, 40, Date.now() + 60_000);
const at2159 = new Date(setupAt.getTime() + 19 * 60_000);
const at2200 = new Date(setupAt.getTime() + 20 * 60_000);
const at0600 = new Date(setupAt.getTime() + 8 * 3600_000 + 20 * 60_000);

beforeAll(async () => {
  zalo = await startZaloDouble();
  meta = await startMessengerDouble();
  clock.set(setupAt);
  app = await startE2eApp({ zalo, messenger: meta }, clock);
});
afterAll(async () => {
  await app?.close();
  await zalo?.close();
  await meta?.close();
});

const hasBody = (m: unknown) => JSON.stringify(m).includes(BODY);
/** Zalo users who received the broadcast's text, in order (one entry per message received). */
const zaloUserBroadcasts = () => zalo.sent().filter((s) => s.kind === 'user' && hasBody(s.message)).map((s) => s.to);
const zaloGroupBroadcasts = () => zalo.sent().filter((s) => s.kind === 'group' && hasBody(s.message));
const messengerBroadcasts = () => meta.sent().filter((s) => hasBody(s.message)).map((s) => s.recipientId);
const sorted = (xs: string[]) => [...xs].sort();

/** What the teacher is shown for the broadcast's code in chat. */
async function figuresShown(code: string): Promise<string> {
  return textOf(await app.say(TEACHER, { text: code }));
}

/** Every contact writes the same step at once (parallel lanes); resolves once every turn is done. */
async function allWrite(step: string, zaloText: string, messenger: { text: string; quickReply?: string }) {
  await Promise.all([
    ...zaloUsers.map((u) => zaloWrites(app, zalo, u, zaloText, `z-${u}-${step}`, platformNow(clock))),
    ...messengerUsers.map((u) => messengerWrites(app, meta, u, messenger, `m-${u}-${step}`, platformNow(clock))),
  ]);
  await turnsDone(app, [...zaloUsers.map((u) => `z-${u}-${step}`), ...messengerUsers.map((u) => `m-${u}-${step}`)], `the contacts' "${step}" turns`);
}

/** The broadcast's outbox rows of one channel, in the order they were queued (the order a single slot claims them). */
async function rowsOf(broadcastId: string, channel: 'zalo' | 'messenger') {
  return app.db.prisma.delivery.findMany({ where: { broadcastId, channel }, orderBy: { id: 'asc' } });
}

// Waits end after a minute with what they waited for; each step may take longer than the default 60 s on a busy machine.
describe('a teacher broadcasts to a class of 30 on Zalo, Messenger and the class group at 21:59', { timeout: 180_000 }, () => {
  let code = '';
  let broadcastId = '';
  let firstZalo: string[] = [];
  let deferredZalo: string[] = [];
  let previewReplies: OutMessage[] = [];

  it('sets the class up through the pipeline: 15 parents on Zalo, 15 students on Messenger, one opted out, one silent for two days, one group', async () => {
    await allWrite('hello', 'xin chào', { text: 'xin chào' });
    await allWrite('role', '#ROLE:parent', { text: 'Học sinh', quickReply: 'ROLE:student' });
    await allWrite('class', CLASS_CODE, { text: CLASS_CODE });
    const cls = await app.db.prisma.class.findFirstOrThrow({ where: { code: CLASS_CODE } });
    const contacts = await app.db.prisma.contact.findMany({ where: { classId: cls.id } });
    expect(contacts).toHaveLength(30);
    expect(sorted(contacts.filter((c) => c.channel === 'zalo' && c.role === 'parent').map((c) => c.userId))).toEqual(sorted(zaloUsers));
    expect(sorted(contacts.filter((c) => c.channel === 'messenger' && c.role === 'student').map((c) => c.userId))).toEqual(sorted(messengerUsers));
    // Each was told it is done, on its own platform.
    await eventually(() => zaloUsers.every((u) => zalo.sent().some((s) => s.to === u && JSON.stringify(s.message).includes('Xong!'))), 'every Zalo parent told "Xong!"');
    await eventually(() => messengerUsers.every((u) => meta.sent().some((s) => s.recipientId === u && JSON.stringify(s.message).includes('Xong!'))), 'every Messenger student told "Xong!"');

    await zaloWrites(app, zalo, OPTED_OUT, 'DỪNG', `z-${OPTED_OUT}-stop`, platformNow(clock));
    await turnsDone(app, [`z-${OPTED_OUT}-stop`], 'the opt-out');
    expect((await app.db.prisma.contact.findFirstOrThrow({ where: { channel: 'zalo', userId: OPTED_OUT } })).subscribed).toBe(false);

    // Two days before the wall clock (so more than a day before the test clock too, and before the forecast's time).
    await app.db.prisma.contact.updateMany({ where: { channel: 'messenger', userId: WINDOW_CLOSED }, data: { lastInteractionAt: new Date(Date.now() - 2 * 24 * 3600_000) } });

    zalo.addGroup({ id: GROUP_ID, name: 'Phụ huynh lớp 6A1' });
    await app.db.prisma.zaloGroup.create({ data: { id: GROUP_ID, accountId: ZALO_OA_ID, name: 'Phụ huynh lớp 6A1' } });
    expect(await linkGroupToClass(createRepos(app.db.prisma), { groupId: GROUP_ID, classCode: CLASS_CODE })).toMatchObject({ ok: true });
  });

  it('lets a teacher verified with a class code compose it on the simulator and see the preview and forecast', async () => {
    const invite = await createTeacherInvite(createRepos(app.db.prisma), teacherInviteKey(app.config.appSecret), { schoolCode: 'NTT', classCode: CLASS_CODE, days: 7, now: new Date() });
    if (!invite.ok) throw new Error(`no invite: ${invite.reason}`);
    await app.say(TEACHER, { text: 'chào' });
    await app.say(TEACHER, { payload: 'ROLE:teacher' });
    expect(textOf(await app.say(TEACHER, { text: invite.code }))).toContain('Xác minh thành công!');

    const start = await app.say(TEACHER, { text: 'gửi thông báo' });
    const roles = await app.say(TEACHER, { payload: button(start, 'Lớp 6A1') });
    const pledged = await app.say(TEACHER, { payload: button(roles, 'Cả hai') });
    // Those who have not pledged (nobody has yet): the message then carries a "sign the pledge" button.
    const groups = await app.say(TEACHER, { payload: button(pledged, 'Chỉ người chưa ký') });
    const content = await app.say(TEACHER, { payload: button(groups, 'Có, đăng vào nhóm') });
    expect(textOf(content)).toContain('gõ nội dung thông báo');
    const image = await app.say(TEACHER, { text: BODY });
    previewReplies = await app.say(TEACHER, { payload: button(image, 'Không kèm ảnh') });
    const preview = textOf(previewReplies);
    expect(preview).toContain('XEM TRƯỚC – gửi cho lớp 6A1');
    expect(preview).toContain('DỰ KIẾN TIẾP CẬN: 30 người trong danh sách.');
    // The forecast is the teacher's turn's view, on the wall clock (the turn has no test clock): whether Zalo's 14
    // get it now or after the night depends on the hour this runs. The silent student's class has a healthy group.
    expect(preview).toContain('• Messenger: 14 nhận ngay; 1 chỉ đọc được trong nhóm Zalo lớp');
    expect(preview).toMatch(/• Zalo: 14 (nhận ngay|nhận sau giờ nghỉ đêm của Zalo \(từ 6 giờ sáng\)); 1 chưa nhận được \(1 đã tắt nhận thông báo\)/);
    expect(preview).toContain('• Nhóm Zalo lớp: 1 nhóm sẽ nhận');
  });

  it('at 21:59 sends the first Zalo users theirs, and at 22:00 defers the rest of the Zalo half to 06:00, while Messenger goes on', async () => {
    let flippedWith: number | undefined;
    clock.set(at2159);
    clock.moveWhen(() => new Set(zaloUserBroadcasts()).size >= BEFORE_TEN, at2200, () => (flippedWith = zaloUserBroadcasts().length));
    const sent = await app.say(TEACHER, { payload: button(previewReplies, 'Gửi ngay') });
    expect(textOf(sent)).toContain('Đã nhận lệnh gửi! Thông báo TB-');
    code = /TB-\d{5}/.exec(textOf(sent))![0];
    const b = await app.db.prisma.broadcast.findUniqueOrThrow({ where: { code } });
    broadcastId = b.id;

    // Settled: Zalo has sent its 21:59 share and deferred the rest; Messenger has done all it can.
    await eventually(async () => {
      const z = await rowsOf(broadcastId, 'zalo');
      const m = await rowsOf(broadcastId, 'messenger');
      const zaloDone = z.length === 16 && z.filter((r) => r.status === 'sent').length === BEFORE_TEN && z.filter((r) => r.status === 'pending' && r.outcome === 'quiet_hours').length === 10;
      const messengerDone = m.length === 15 && m.every((r) => r.status === 'sent' || r.status === 'skipped');
      return zaloDone && messengerDone;
    }, `Zalo to send ${BEFORE_TEN} and defer 10, Messenger to finish (clock ${vietnamTime(clock.now())})`);
    expect(clock.waiting).toBe(false);
    expect(flippedWith).toBe(BEFORE_TEN);

    const z = await rowsOf(broadcastId, 'zalo');
    const userRows = z.filter((r) => !r.recipient.startsWith('group:'));
    // The opted-out parent was written down as such when the broadcast was expanded, never queued.
    const optedOut = userRows.find((r) => r.recipient === OPTED_OUT)!;
    expect([optedOut.status, optedOut.outcome, optedOut.attempts]).toEqual(['skipped', 'opted_out', 0]);
    // Exactly the first five queued (one slot takes them in order) went at 21:59; every other Zalo user and the group
    // wait for 06:00 Vietnam time, not tried (no attempt counted), none lost.
    const queued = userRows.filter((r) => r.recipient !== OPTED_OUT);
    firstZalo = queued.slice(0, BEFORE_TEN).map((r) => r.recipient);
    deferredZalo = queued.slice(BEFORE_TEN).map((r) => r.recipient);
    expect(queued.slice(0, BEFORE_TEN).every((r) => r.status === 'sent')).toBe(true);
    expect(zaloUserBroadcasts()).toEqual(firstZalo);
    for (const r of [...queued.slice(BEFORE_TEN), z.find((r) => r.recipient === `group:${GROUP_ID}`)!]) {
      expect([r.status, r.outcome, r.attempts, r.notBefore.toISOString()], r.recipient).toEqual(['pending', 'quiet_hours', 0, at0600.toISOString()]);
    }
    expect(deferredZalo).toHaveLength(9);
    expect(zaloGroupBroadcasts()).toHaveLength(0);
    expect(vietnamTime(at0600).slice(0, 8)).toBe('06:00:00');

    // Messenger keeps no Zalo quiet hours: every student with an open window has it, the silent one is skipped.
    expect(sorted(messengerBroadcasts())).toEqual(sorted(messengerUsers.filter((u) => u !== WINDOW_CLOSED)));
    const closed = (await rowsOf(broadcastId, 'messenger')).find((r) => r.recipient === WINDOW_CLOSED)!;
    expect([closed.status, closed.outcome]).toEqual(['skipped', 'window_closed']);

    const figures = await figuresShown(code);
    expect(figures).toContain(`Thông báo ${code} – đã vào hàng gửi`);
    expect(figures).toContain('Số người trong danh sách: 31');
    expect(figures).toContain('Chờ gửi: 10 · Đã gửi: 19 · Đã nhận: 0 · Đã xem: 0');
    expect(figures).toMatch(/Bỏ qua: 2 \((1 đã tắt nhận thông báo, 1 quá thời hạn nhắn tin của nền tảng|1 quá thời hạn nhắn tin của nền tảng, 1 đã tắt nhận thông báo)\)/);
    expect(figures).not.toContain('Nhận bù');
  });

  it('catches the silent student up once when it writes at 22:00: our answer, then the broadcast, on Messenger', async () => {
    const zaloBefore = zalo.sent().length;
    const before = meta.sent().length;
    // Zalo's night has begun: what Messenger sends now shows it keeps no Zalo quiet hours.
    expect(vietnamTime(clock.now())).toMatch(/^22:0\d/);
    await messengerWrites(app, meta, WINDOW_CLOSED, { text: 'menu' }, `m-${WINDOW_CLOSED}-back`, platformNow(clock));
    await eventually(() => messengerBroadcasts().includes(WINDOW_CLOSED), 'the caught-up broadcast');
    const toIt = meta.sent().slice(before).filter((s) => s.recipientId === WINDOW_CLOSED);
    const at = toIt.findIndex((s) => hasBody(s.message));
    // Its answer (the menu) first, then the campaign message it missed.
    expect(at).toBeGreaterThan(0);
    expect(JSON.stringify(toIt.slice(0, at).map((s) => s.message))).toContain('Bạn muốn làm gì?');
    // The double has it; its outcome is recorded right after the Send API answers (waited for: on a busy machine later).
    const row = await eventually(async () => (await rowsOf(broadcastId, 'messenger')).find((r) => r.recipient === WINDOW_CLOSED && r.status !== 'sending'), 'the caught-up row recorded');
    expect(row.status).toBe('sent');
    expect(row.caughtUpAt).not.toBeNull();

    // Writing again gets an answer, and not the broadcast again.
    const answered = meta.sent().filter((s) => s.recipientId === WINDOW_CLOSED).length;
    await messengerWrites(app, meta, WINDOW_CLOSED, { text: 'menu' }, `m-${WINDOW_CLOSED}-again`, platformNow(clock));
    await eventually(() => meta.sent().filter((s) => s.recipientId === WINDOW_CLOSED).length > answered, 'the answer to the second message');
    expect(messengerBroadcasts().filter((u) => u === WINDOW_CLOSED)).toHaveLength(1);

    // Still night on Zalo: nothing more went there.
    expect(zalo.sent().length).toBe(zaloBefore);
    const figures = await figuresShown(code);
    expect(figures).toContain('Chờ gửi: 10 · Đã gửi: 20 · Đã nhận: 0 · Đã xem: 0');
    expect(figures).toContain('Bỏ qua: 1 (1 đã tắt nhận thông báo)');
    expect(figures).toContain('Nhận bù khi nhắn lại: 1');
  });

  it('sends the deferred Zalo users and the class group theirs at 06:00, each once, the group its buttons as numbered text', async () => {
    const zaloBefore = zaloUserBroadcasts().length;
    expect(zaloBefore).toBe(BEFORE_TEN);
    clock.set(at0600);
    app.signals.emit('outbox');
    await eventually(() => zaloUserBroadcasts().length === 14 && zaloGroupBroadcasts().length === 1, 'the morning sends on Zalo');
    await eventually(async () => (await rowsOf(broadcastId, 'zalo')).every((r) => r.status !== 'pending' && r.status !== 'sending'), 'every Zalo row done');

    // The morning's, in the order they were queued, after the evening's; each Zalo user exactly once, the opted-out never.
    expect(zaloUserBroadcasts().slice(BEFORE_TEN)).toEqual(deferredZalo);
    expect(sorted(zaloUserBroadcasts())).toEqual(sorted(zaloUsers.filter((u) => u !== OPTED_OUT)));
    expect(zalo.sent().filter((s) => s.to === OPTED_OUT).some((s) => hasBody(s.message))).toBe(false);

    // A Zalo chat gets the text, then the pledge button as a list template; the group one message, the button numbered.
    for (const u of [...firstZalo, ...deferredZalo]) {
      const mine = zalo.sent().filter((s) => s.to === u);
      const i = mine.findIndex((s) => hasBody(s.message));
      expect(mine[i]!.message.text, u).toContain('— Thông báo của giáo viên lớp 6A1, Trường THCS Nguyễn Thị Thập.');
      expect(mine[i + 1]!.message.attachment.payload.elements, u).toEqual([{ title: 'Ký cam kết ngay', default_action: { type: 'oa.query.hide', payload: '#FLOW:pledge' } }]);
    }
    const [group] = zaloGroupBroadcasts();
    expect(group!.to).toBe(GROUP_ID);
    expect(group!.message.attachment).toBeUndefined();
    expect(group!.message.text).toMatch(/Gõ “DỪNG” nếu không muốn nhận thông báo nữa\.\n1\. Ký cam kết ngay$/);
    expect((await app.db.prisma.zaloGroup.findUniqueOrThrow({ where: { id: GROUP_ID } })).health).toBe('ok');

    // Messenger: each student once, the caught-up one included; its message as a button template with the same text.
    expect(sorted(messengerBroadcasts())).toEqual(sorted(messengerUsers));
    const m = meta.sent().find((s) => s.recipientId === messengerUsers[0] && hasBody(s.message))!;
    expect(JSON.stringify(m.message)).toContain('Ký cam kết ngay');

    const figures = await figuresShown(code);
    expect(figures).toContain('Số người trong danh sách: 31');
    expect(figures).toContain('Chờ gửi: 0 · Đã gửi: 30 · Đã nhận: 0 · Đã xem: 0');
    expect(figures).toContain('Bỏ qua: 1 (1 đã tắt nhận thông báo)');
    expect(figures).toContain('Nhận bù khi nhắn lại: 1');
    expect(figures).not.toContain('Lỗi:');
  });
});
