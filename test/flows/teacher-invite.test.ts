import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeTeacherCode, newTeacherCode } from '../../src/content/teacher-code.js';
import { matchShortcut } from '../../src/flows/commands.js';
import { button, startTestApp, textOf, type TestApp } from '../helpers/app.js';
import { inviteCode } from '../helpers/teachers.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

async function contactOf(userId: string) {
  return app.db.prisma.contact.findFirstOrThrow({ where: { userId }, include: { class: true, school: true, conversation: true } });
}

async function onboard(user: string, role: 'parent' | 'student', classCode: string) {
  await app.say(user, { text: 'chào' });
  await app.say(user, { payload: `ROLE:${role}` });
  const done = await app.say(user, { text: classCode });
  expect(textOf(done.replies)).toContain('Xong!');
}

/** A code of the right shape that no invite has (a fresh random one: 1 in 10^12 to be someone's). */
function wrongCode(): string {
  return newTeacherCode();
}

function hasButton(replies: Awaited<ReturnType<TestApp['say']>>['replies'], title: string): boolean {
  return replies.some((r) => r.type === 'buttons' && r.buttons.some((b) => b.title === title));
}

describe('teacher invite codes in chat', () => {
  it('makes a teacher of the school and class of a valid "GV <code>", and opens the leaderboard', async () => {
    await onboard('gv-ok', 'parent', 'TP-3A');
    const code = await inviteCode(app, { school: 'NTT', class: 'NTT-6A1' });
    const r = await app.say('gv-ok', { text: `gv ${code.slice(3).toLowerCase().replace(/-/g, ' ')}` });
    const said = textOf(r.replies);
    expect(said).toContain('Xác minh thành công! Thầy/cô đã là giáo viên lớp 6A1 – Trường THCS Nguyễn Thị Thập.');
    expect(said).toContain('xem bảng xếp hạng câu đố');
    expect(said).toContain('Mã lớp 6A1 để phụ huynh, học sinh liên kết: NTT-6A1');
    const c = await contactOf('gv-ok');
    expect([c.role, c.school?.code, c.class?.code]).toEqual(['teacher', 'NTT', 'NTT-6A1']);
    const invite = await app.db.prisma.teacherInvite.findFirstOrThrow({ where: { usedByContactId: c.id } });
    expect(invite.usedAt).not.toBeNull();
    // Neither the invite row nor the conversation keeps the code in clear.
    expect(JSON.stringify(invite)).not.toContain(code.slice(3, 6));
    expect(JSON.stringify(c.conversation?.data ?? {})).not.toContain(code.slice(3, 6));

    const menu = await app.say('gv-ok', { text: 'menu' });
    const board = await app.say('gv-ok', { payload: button(menu.replies, 'Bảng xếp hạng') });
    expect(textOf(board.replies)).toContain('Trường THCS Nguyễn Thị Thập');
    expect(textOf(board.replies)).not.toContain('dành cho');
  });

  it('accepts the code in the middle of another conversation', async () => {
    await onboard('gv-mid', 'student', 'NTT-7A1');
    await app.say('gv-mid', { payload: 'FLOW:quiz' });
    const code = await inviteCode(app, { school: 'NTT', class: 'NTT-7A1' });
    const r = await app.say('gv-mid', { text: code });
    expect(textOf(r.replies)).toContain('Xác minh thành công!');
    expect((await contactOf('gv-mid')).role).toBe('teacher');
  });

  it('takes a code typed inside the anonymous tip flow as the tipster\'s text, not as a verification', async () => {
    await onboard('gv-tip', 'parent', 'NTT-6A1');
    await app.say('gv-tip', { payload: 'FLOW:tip' });
    await app.say('gv-tip', { payload: 'CAT:theft' });
    const code = await inviteCode(app, { school: 'NTT', class: 'NTT-6A1' });
    const r = await app.say('gv-tip', { text: code });
    expect(textOf(r.replies)).not.toContain('Xác minh thành công!');
    const c = await contactOf('gv-tip');
    expect(c.role).toBe('parent');
    expect(c.conversation?.flowId).toBe('tip');
    expect(await app.db.prisma.teacherInvite.count({ where: { usedByContactId: c.id } })).toBe(0);
    await app.say('gv-tip', { text: 'huỷ' });
    expect(textOf((await app.say('gv-tip', { text: code })).replies)).toContain('Xác minh thành công!');
  });

  it('refuses a code a second time, for another contact', async () => {
    const code = await inviteCode(app, { school: 'NTT', class: 'NTT-8A1' });
    await onboard('gv-first', 'parent', 'NTT-8A1');
    await onboard('gv-second', 'parent', 'NTT-8A1');
    expect(textOf((await app.say('gv-first', { text: code })).replies)).toContain('Xác minh thành công!');
    const again = await app.say('gv-second', { text: code });
    expect(textOf(again.replies)).toContain('Mã giáo viên này đã được dùng');
    const second = await contactOf('gv-second');
    expect(second.role).toBe('parent');
    const menu = await app.say('gv-second', { text: 'menu' });
    expect(hasButton(menu.replies, 'Bảng xếp hạng')).toBe(false);
  });

  it('refuses an expired code', async () => {
    const code = await inviteCode(app, { school: 'NTT', class: 'NTT-9A1', days: 1, now: new Date(Date.now() - 2 * 24 * 3600_000) });
    await onboard('gv-late', 'parent', 'NTT-9A1');
    const r = await app.say('gv-late', { text: code });
    expect(textOf(r.replies)).toContain('Mã giáo viên này đã hết hạn');
    expect((await contactOf('gv-late')).role).toBe('parent');
  });

  it('gives a self-declared teacher without a code the student features and the how-to, not the leaderboard', async () => {
    await app.say('gv-none', { text: 'chào' });
    const ask = await app.say('gv-none', { payload: 'ROLE:teacher' });
    expect(textOf(ask.replies)).toContain('Chưa có mã: thầy/cô liên hệ Ban giám hiệu');
    expect((await contactOf('gv-none')).role).toBeNull();
    const schools = await app.say('gv-none', { payload: button(ask.replies, 'Tiếp tục là học sinh') });
    expect(textOf(schools.replies)).toContain('Bạn học trường nào?');
    await app.say('gv-none', { text: 'NTT-6A2' });
    expect((await contactOf('gv-none')).role).toBe('student');
    const menu = await app.say('gv-none', { text: 'menu' });
    expect(hasButton(menu.replies, 'Bảng xếp hạng')).toBe(false);
    expect(hasButton(menu.replies, 'Câu đố')).toBe(true);
    const board = await app.say('gv-none', { text: 'xếp hạng' });
    expect(textOf(board.replies)).toContain('dành cho thầy cô');
    expect(textOf(board.replies)).not.toContain('Lớp ');
  });

  it('keeps the class of a QR ref for a contact who tapped "Giáo viên" and then goes on as a parent', async () => {
    await app.say('gv-qr', { ref: 'NTT-8A1' });
    const ask = await app.say('gv-qr', { payload: 'ROLE:teacher' });
    const done = await app.say('gv-qr', { payload: button(ask.replies, 'Tiếp tục là phụ huynh') });
    expect(textOf(done.replies)).toContain('lớp 8A1');
    expect((await contactOf('gv-qr')).role).toBe('parent');
  });

  it('keeps teacher features from a contact whose role says teacher but who never sent a code', async () => {
    await onboard('gv-legacy', 'parent', 'NTT-6A1');
    const c = await contactOf('gv-legacy');
    await app.db.prisma.contact.update({ where: { id: c.id }, data: { role: 'teacher' } });
    const menu = await app.say('gv-legacy', { text: 'menu' });
    expect(hasButton(menu.replies, 'Bảng xếp hạng')).toBe(false);
    const board = await app.say('gv-legacy', { text: 'bảng xếp hạng' });
    expect(textOf(board.replies)).toContain('dành cho giáo viên đã xác minh');
    expect(textOf(board.replies)).not.toContain('Lớp ');
  });

  it('does not carry a verification to another school', async () => {
    await onboard('gv-move', 'parent', 'NTT-6A1');
    await app.say('gv-move', { text: await inviteCode(app, { school: 'NTT', class: 'NTT-6A1' }) });
    const roles = await app.say('gv-move', { text: 'đổi lớp' });
    const schools = await app.say('gv-move', { payload: button(roles.replies, 'Giáo viên') });
    expect(textOf(schools.replies)).toContain('Thầy/cô công tác ở trường nào?');
    await app.say('gv-move', { text: 'TP-2A' });
    const board = await app.say('gv-move', { text: 'xếp hạng' });
    expect(textOf(board.replies)).toContain('dành cho giáo viên đã xác minh');
  });

  it('asks a school-wide code\'s teacher for the class', async () => {
    await app.say('gv-school', { text: 'chào' });
    await app.say('gv-school', { text: 'gv' });
    const r = await app.say('gv-school', { text: await inviteCode(app, { school: 'TP' }) });
    expect(textOf(r.replies)).toContain('Xác minh thành công! Thầy/cô đã là giáo viên của Trường Tiểu học Tân Phong.');
    expect(textOf(r.replies)).toContain('Thầy/cô chọn lớp');
    const done = await app.say('gv-school', { payload: button(r.replies, '4A') });
    expect(textOf(done.replies)).toContain('lớp 4A – Trường Tiểu học Tân Phong');
    const c = await contactOf('gv-school');
    expect([c.role, c.class?.code]).toEqual(['teacher', 'TP-4A']);
  });

  it('lets a school-wide code\'s teacher pick the class later and go straight to broadcasting', async () => {
    await app.say('gv-later', { text: 'chào' });
    await app.say('gv-later', { text: 'gv' });
    const r = await app.say('gv-later', { text: await inviteCode(app, { school: 'TP' }) });
    const later = await app.say('gv-later', { payload: button(r.replies, 'Chọn lớp sau') });
    expect(textOf(later.replies)).toContain('gõ “gửi thông báo”');
    const c = await contactOf('gv-later');
    expect([c.role, c.class]).toEqual(['teacher', null]);
    const start = await app.say('gv-later', { text: 'gửi thông báo' });
    expect(textOf(start.replies)).toContain('Trường Tiểu học Tân Phong: thầy/cô muốn gửi thông báo cho ai?');
  });

  it('refuses the 6th wrong code of the hour with the wait, even when it is right', async () => {
    // The limit is per clock hour: if the hour turns during the tries, the count splits; then run it again.
    for (let round = 0; round < 2; round++) {
      const user = `gv-guess-${round}`;
      await onboard(user, 'parent', 'NTT-7A1');
      const hour = Math.floor(Date.now() / 3600_000);
      for (let i = 0; i < 5; i++) expect(textOf((await app.say(user, { text: `GV ${wrongCode().slice(3)}` })).replies)).toContain('Mã giáo viên này không đúng');
      const code = await inviteCode(app, { school: 'NTT', class: 'NTT-7A1' });
      const sixth = await app.say(user, { text: code });
      if (Math.floor(Date.now() / 3600_000) !== hour) continue;
      expect(textOf(sixth.replies)).toMatch(/Thầy\/cô đã nhập sai mã quá nhiều lần\. Vui lòng thử lại sau \d+ phút\./);
      const c = await contactOf(user);
      expect(c.role).toBe('parent');
      expect(await app.db.prisma.teacherInvite.count({ where: { usedByContactId: c.id } })).toBe(0);
      // The throttle rows name neither the contact nor the code.
      const keys = (await app.db.prisma.attemptWindow.findMany()).map((w) => w.key).join(' ');
      expect(keys).not.toContain(c.id);
      return;
    }
    throw new Error('the clock hour turned in both rounds');
  });

  it('writes one demo teacher code for class NTT-6A1 into demo-accounts.txt, and it works in chat', async () => {
    const file = readFileSync(path.join(app.config.dataDir, 'demo-accounts.txt'), 'utf8');
    const code = /^teacher-code\tNTT-6A1\t(GV-\S+)\t\(expires \d{4}-\d{2}-\d{2}\)$/m.exec(file)?.[1];
    expect(code).toBeDefined();
    await onboard('gv-demo', 'parent', 'TP-1A');
    expect(textOf((await app.say('gv-demo', { text: code! })).replies)).toContain('giáo viên lớp 6A1 – Trường THCS Nguyễn Thị Thập');
  });

  it('does not count text that is not shaped like a code, and says what a code looks like', async () => {
    await app.say('gv-shape', { text: 'chào' });
    await app.say('gv-shape', { payload: 'ROLE:teacher' });
    for (let i = 0; i < 6; i++) expect(textOf((await app.say('gv-shape', { text: 'mã của tôi là 12345' })).replies)).toContain('Đây chưa phải mã giáo viên');
    const r = await app.say('gv-shape', { text: await inviteCode(app, { school: 'NTT', class: 'NTT-9A1' }) });
    expect(textOf(r.replies)).toContain('Xác minh thành công!');
  });
});

describe('the shape of a teacher code', () => {
  it('reads a code typed with any case, spaces, dashes or stray diacritics', () => {
    const code = newTeacherCode();
    expect(code).toMatch(/^GV-[2-9BCFGHJKMNPQRSTVXZ]{3}-[2-9BCFGHJKMNPQRSTVXZ]{3}-[2-9BCFGHJKMNPQRSTVXZ]{3}$/);
    expect(normalizeTeacherCode(code.toLowerCase().replace(/-/g, ' '))).toBe(code);
    expect(normalizeTeacherCode(code.slice(3))).toBe(code);
    expect(normalizeTeacherCode('gv: 7kq-m3p-xb9')).toBe('GV-7KQ-M3P-XB9');
    expect(normalizeTeacherCode('GV-7KQ-M3P-XB0')).toBeNull();
    expect(normalizeTeacherCode('GV-AKQ-M3P-XB9')).toBeNull();
  });

  it('takes only the exact shape for "GV <code>" from anywhere, never a sentence about a teacher', () => {
    expect(matchShortcut({ kind: 'text', text: 'GV 7KQ M3P XB9' })).toEqual({ flowId: 'onboarding', stepId: 'teacher' });
    for (const text of ['GV lớp 6A1 đánh học sinh', 'gv', 'giáo viên', '7KQM3PXB9', 'gv chủ nhiệm']) {
      expect(matchShortcut({ kind: 'text', text })).toBeNull();
    }
  });
});
