import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutMessage } from '../../src/content/messages.schema.js';
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
// jsqr is CommonJS with an ESM-style `export default` in its types: take whichever the runtime hands over.
type JsQr = typeof jsQRModule.default;
const jsQR: JsQr = (jsQRModule as unknown as { default?: JsQr }).default ?? (jsQRModule as unknown as JsQr);

/** Links a new contact to a class through a QR ref, as a parent or a student. */
async function linked(user: string, role: 'parent' | 'student', classCode: string, channel: Channel = role === 'parent' ? 'zalo' : 'messenger') {
  await app.say(user, { ref: classCode }, channel);
  const done = await app.say(user, { payload: `ROLE:${role}` }, channel);
  expect(textOf(done.replies)).toContain('Xong!');
}

/** Goes from the menu button to the summary with the consent button. */
async function toSummary(user: string, student: string, parent: string | null, channel: Channel) {
  await app.say(user, { payload: 'FLOW:pledge' }, channel);
  await app.say(user, { payload: 'PLEDGE:SIGN' }, channel);
  let r = await app.say(user, { text: student }, channel);
  if (parent !== null) r = await app.say(user, { text: parent }, channel);
  return r.replies;
}

async function sign(user: string, student: string, parent: string | null, channel: Channel) {
  const summary = await toSummary(user, student, parent, channel);
  const done = await app.say(user, { payload: button(summary, 'Tôi đồng ý và cam kết') }, channel);
  const code = /Mã biên nhận: (CK-[A-Z0-9]{4}-[A-Z0-9]{4})/.exec(textOf(done.replies))?.[1];
  expect(code).toBeDefined();
  return { code: code!, replies: done.replies };
}

const pledgeCount = () => app.db.prisma.pledge.count();
const imageOf = (replies: OutMessage[]) => replies.find((r): r is Extract<OutMessage, { type: 'image' }> => r.type === 'image');
const classId = async (code: string) => (await app.db.prisma.class.findUniqueOrThrow({ where: { code } })).id;

describe('traffic-safety pledge through the real pipeline', () => {
  it('shows the parent commitments numbered, with their source, from the menu button', async () => {
    await linked('p-read', 'parent', 'NTT-6A2');
    const menu = await app.say('p-read', { text: 'menu' });
    const intro = await app.say('p-read', { payload: button(menu.replies, 'Cam kết ATGT') });
    const all = textOf(intro.replies);
    expect(all).toContain('1. Đội mũ bảo hiểm cho con');
    expect(all).toContain('2. Không giao xe máy, xe máy điện cho con khi con chưa đủ tuổi theo quy định.');
    expect(all).toContain('4. Đã uống rượu, bia thì không lái xe.');
    expect(all).toContain('Luật số 36/2024/QH15');
    button(intro.replies, 'Ký cam kết');
  });

  it('signs nothing until the consent button is tapped: neither "đồng ý" typed nor the button\'s number', async () => {
    await linked('p-sign', 'parent', 'NTT-6A2');
    const before = await pledgeCount();
    const summary = await toSummary('p-sign', '  nguyễn   văn  TOÀN ', 'trần thị  hoa', 'zalo');
    expect(textOf(summary)).toContain('Học sinh: Nguyễn Văn Toàn');
    expect(textOf(summary)).toContain('Phụ huynh: Trần Thị Hoa');
    expect(textOf(summary)).toContain('Lớp: 6A2');
    expect(await pledgeCount()).toBe(before);

    const typed = await app.say('p-sign', { text: 'đồng ý' });
    expect(textOf(typed.replies)).toContain('Chưa ký đâu nhé');
    const digit = await app.say('p-sign', { text: '1' });
    expect(textOf(digit.replies)).toContain('Chưa ký đâu nhé');
    expect(await pledgeCount()).toBe(before);

    const done = await app.say('p-sign', { payload: button(digit.replies, 'Tôi đồng ý và cam kết') });
    const code = /Mã biên nhận: (CK-[A-Z0-9]{4}-[A-Z0-9]{4})/.exec(textOf(done.replies))?.[1];
    expect(code).toBeDefined();
    const row = await app.db.prisma.pledge.findUniqueOrThrow({ where: { receiptCode: code! } });
    expect(row).toMatchObject({ audience: 'parent', studentName: 'Nguyễn Văn Toàn', studentKey: 'nguyễn văn toàn', parentName: 'Trần Thị Hoa', withdrawnAt: null });
    expect(row.consentAt).toBeInstanceOf(Date);
    expect(imageOf(done.replies)?.url).toBe(`${app.url}/pledges/${code}.png`);
  });

  it('sends a certificate PNG whose QR code opens the verification page, which shows no personal data', async () => {
    await linked('p-cert', 'parent', 'NTT-8A1');
    const { code, replies } = await sign('p-cert', 'Phạm Ngọc Ánh', 'Phạm Văn Dũng', 'zalo');
    const res = await fetch(imageOf(replies)!.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    const png = PNG.sync.read(Buffer.from(await res.arrayBuffer()));
    expect(png.width).toBe(1080);
    const qr = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
    expect(qr?.data).toBe(`${app.url}/verify/${code}`);

    const page = await fetch(qr!.data);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Cam kết hợp lệ');
    expect(html).toContain('Tháng an toàn giao thông');
    expect(html).toContain('Cam kết phụ huynh');
    for (const personal of ['Phạm', 'Ánh', 'Dũng', '8A1', 'Nguyễn Thị Thập']) expect(html).not.toContain(personal);
  });

  it("confirms a student's pledge when a parent of the same student signs later, names typed differently", async () => {
    await linked('s-first', 'student', 'NTT-7A1');
    const student = await sign('s-first', 'Lê Văn Bình', null, 'messenger');
    expect(textOf(student.replies)).toContain('sẽ được xác nhận khi phụ huynh ký');
    expect((await app.db.prisma.pledge.findUniqueOrThrow({ where: { receiptCode: student.code } })).confirmedAt).toBeNull();
    expect(await (await fetch(`${app.url}/verify/${student.code}`)).text()).toContain('Chưa xác nhận');

    await linked('p-second', 'parent', 'NTT-7A1');
    const parent = await sign('p-second', 'LÊ  VĂN bình', 'Lê Thị Mai', 'zalo');
    expect(textOf(parent.replies)).toContain('Cam kết của học sinh Lê Văn Bình đã được phụ huynh xác nhận.');
    expect((await app.db.prisma.pledge.findUniqueOrThrow({ where: { receiptCode: student.code } })).confirmedAt).toBeInstanceOf(Date);
    expect(await (await fetch(`${app.url}/verify/${student.code}`)).text()).toContain('Đã xác nhận');
  });

  it('confirms a student pledge at once when the parent signed first', async () => {
    await linked('p-early', 'parent', 'NTT-9A1');
    await sign('p-early', 'Đỗ Hải  Yến', 'Đỗ Văn Nam', 'zalo');
    await linked('s-late', 'student', 'NTT-9A1');
    const student = await sign('s-late', 'đỗ hải   yến', null, 'messenger');
    expect(textOf(student.replies)).toContain('đã được phụ huynh xác nhận');
    expect((await app.db.prisma.pledge.findUniqueOrThrow({ where: { receiptCode: student.code } })).confirmedAt).toBeInstanceOf(Date);
  });

  it('keeps two children whose names differ only by diacritics apart ("Thu" and "Thư")', async () => {
    await linked('p-thu', 'parent', 'TP-4A');
    const thu = await sign('p-thu', 'Lê Thị Thu', 'Lê Văn A', 'zalo');
    await linked('p-thu2', 'parent', 'TP-4A');
    const thuw = await sign('p-thu2', 'Lê Thị Thư', 'Lê Văn B', 'zalo');
    expect(thuw.code).not.toBe(thu.code);
    expect(await app.db.prisma.pledge.count({ where: { receiptCode: { in: [thu.code!, thuw.code!] }, withdrawnAt: null } })).toBe(2);
  });

  it('updates the same pledge when it is signed again (one row, same receipt code)', async () => {
    await linked('p-again', 'parent', 'TP-3A');
    const first = await sign('p-again', 'Vũ Minh Khang', 'Vũ Văn Hùng', 'zalo');
    const second = await sign('p-again', 'vũ minh KHANG', 'Vũ Thị Lan', 'zalo');
    expect(textOf(second.replies)).toContain('Cam kết đã được cập nhật');
    expect(second.code).toBe(first.code);
    const rows = await app.db.prisma.pledge.findMany({ where: { studentKey: 'vũ minh khang', audience: 'parent' } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.parentName).toBe('Vũ Thị Lan');
  });

  it('lets the signer view and withdraw a pledge; /verify then says withdrawn and the certificate is gone', async () => {
    await linked('s-withdraw', 'student', 'TP-4A');
    await linked('p-withdraw', 'parent', 'TP-4A');
    const student = await sign('s-withdraw', 'Hồ Gia Bảo', null, 'messenger');
    const { code } = await sign('p-withdraw', 'Hồ Gia Bảo', 'Hồ Văn Tâm', 'zalo');
    expect((await app.db.prisma.pledge.findUniqueOrThrow({ where: { receiptCode: student.code } })).confirmedAt).not.toBeNull();

    const mine = await app.say('p-withdraw', { payload: 'PLEDGE:MINE' });
    expect(textOf(mine.replies)).toContain(`Mã ${code}`);
    expect(textOf(mine.replies)).toContain('Hồ Gia Bảo, lớp 4A');
    const ask = await app.say('p-withdraw', { payload: button(mine.replies, 'Rút cam kết 1') });
    expect(textOf(ask.replies)).toContain('Mã này sẽ không còn hiệu lực');
    const done = await app.say('p-withdraw', { payload: button(ask.replies, 'Rút cam kết') });
    expect(textOf(done.replies)).toContain('Đã rút cam kết');

    const row = await app.db.prisma.pledge.findUniqueOrThrow({ where: { receiptCode: code } });
    expect(row.withdrawnAt).toBeInstanceOf(Date);
    const page = await fetch(`${app.url}/verify/${code}`);
    expect(await page.text()).toContain('Cam kết đã được rút, không còn hiệu lực');
    expect((await fetch(`${app.url}/pledges/${code}.png`)).status).toBe(404);
    // A withdrawn parent pledge no longer confirms the student's.
    expect((await app.db.prisma.pledge.findUniqueOrThrow({ where: { receiptCode: student.code } })).confirmedAt).toBeNull();
    const empty = await app.say('p-withdraw', { payload: 'PLEDGE:MINE' });
    expect(textOf(empty.replies)).toContain('Bạn chưa ký cam kết nào.');
  });

  it('matches the typed name to the class roster, and asks to check the spelling when it is not on it', async () => {
    await linked('p-roster', 'parent', 'NTT-6A1');
    await app.say('p-roster', { payload: 'FLOW:pledge' });
    await app.say('p-roster', { payload: 'PLEDGE:SIGN' });
    const miss = await app.say('p-roster', { text: 'Nguyen Minh Anh' });
    expect(textOf(miss.replies)).toContain('Mình không thấy “Nguyen Minh Anh” trong danh sách lớp 6A1');
    // The corrected name, typed without diacritics, takes the roster's spelling.
    const parentAsk = await app.say('p-roster', { text: 'nguyen minh an' });
    expect(textOf(parentAsk.replies)).toContain('Họ và tên của phụ huynh');
    const summary = await app.say('p-roster', { text: 'Nguyễn Văn Phúc' });
    expect(textOf(summary.replies)).toContain('Học sinh: Nguyễn Minh An');
    await app.say('p-roster', { payload: button(summary.replies, 'Tôi đồng ý và cam kết') });

    // "Vẫn tiếp tục" keeps a name that is not on the roster.
    await linked('s-roster', 'student', 'NTT-6A1');
    await app.say('s-roster', { payload: 'FLOW:pledge' }, 'messenger');
    await app.say('s-roster', { payload: 'PLEDGE:SIGN' }, 'messenger');
    const notOn = await app.say('s-roster', { text: 'Mai Thanh Tùng' }, 'messenger');
    const summary2 = await app.say('s-roster', { payload: button(notOn.replies, 'Vẫn tiếp tục') }, 'messenger');
    expect(textOf(summary2.replies)).toContain('Học sinh: Mai Thanh Tùng');

    const repos = createRepos(app.db.prisma);
    const campaign = await app.db.prisma.campaign.findUniqueOrThrow({ where: { slug: 'thang-an-toan-giao-thong' } });
    const missing = await repos.pledges.missingFromRoster(await classId('NTT-6A1'), campaign.id);
    expect(missing.parent.map((p) => p.studentName)).not.toContain('Nguyễn Minh An');
    expect(missing.parent).toHaveLength(5);
    expect(missing.student.map((p) => p.studentName)).toContain('Nguyễn Minh An');
    expect(missing.student).toHaveLength(6);
  });

  it('sends a contact that is not linked to a class to onboarding first', async () => {
    const first = await app.say('p-unlinked', { payload: 'FLOW:pledge' });
    expect(textOf(first.replies)).toContain('bạn cần liên kết với trường và lớp trước');
    const next = await app.say('p-unlinked', { payload: button(first.replies, 'Liên kết lớp') });
    expect(textOf(next.replies)).toContain('Bạn là:');
  });

  it('tells a teacher that pledges are for parents and students', async () => {
    await app.say('t-pledge', { ref: 'NTT-6A1' });
    await app.say('t-pledge', { payload: 'ROLE:teacher' });
    await app.say('t-pledge', { text: await inviteCode(app, { school: 'NTT', class: 'NTT-6A1' }) });
    const r = await app.say('t-pledge', { payload: 'FLOW:pledge' });
    expect(textOf(r.replies)).toContain('dành cho phụ huynh và học sinh');
  });

  it('rejects a name with digits and asks again', async () => {
    await linked('p-badname', 'parent', 'TP-5A');
    await app.say('p-badname', { payload: 'FLOW:pledge' });
    await app.say('p-badname', { payload: 'PLEDGE:SIGN' });
    const r = await app.say('p-badname', { text: 'An 123' });
    expect(textOf(r.replies)).toContain('Tên chỉ gồm chữ cái');
  });
});
