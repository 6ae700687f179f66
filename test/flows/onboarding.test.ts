import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  return app.db.prisma.contact.findFirstOrThrow({ where: { userId }, include: { class: true, school: true } });
}

describe('onboarding through the real pipeline', () => {
  it('greets a new parent and asks for their role with three buttons', async () => {
    const { status, replies } = await app.say('p-greet', { text: 'xin chào' });
    expect(status).toBe(200);
    expect(textOf(replies)).toContain('Xin chào');
    const roles = replies.find((r) => r.type === 'buttons');
    expect(roles?.type === 'buttons' && roles.buttons.map((b) => b.title)).toEqual(['Phụ huynh', 'Học sinh', 'Giáo viên']);
  });

  it('links a parent to a class chosen with buttons, then shows the main menu', async () => {
    const first = await app.say('p-buttons', { text: 'hi' });
    const schools = await app.say('p-buttons', { payload: button(first.replies, 'Phụ huynh') });
    expect(textOf(schools.replies)).toContain('Con bạn học trường nào?');
    const classes = await app.say('p-buttons', { payload: button(schools.replies, 'Trường THCS Nguyễn Thị Thập') });
    const done = await app.say('p-buttons', { payload: button(classes.replies, '6A1') });
    expect(textOf(done.replies)).toContain('Xong! Bạn đã liên kết với lớp 6A1 – Trường THCS Nguyễn Thị Thập.');
    expect(textOf(done.replies)).toContain('Bạn muốn làm gì?');
    const c = await contactOf('p-buttons');
    expect([c.role, c.class?.name, c.school?.code]).toEqual(['parent', '6A1', 'NTT']);
  });

  it('accepts a typed school name and class name without diacritics or case', async () => {
    await app.say('s-typed', { text: 'chào' }, 'messenger');
    await app.say('s-typed', { text: 'HOC SINH' }, 'messenger');
    const cls = await app.say('s-typed', { text: 'nguyen thi thap' }, 'messenger');
    expect(textOf(cls.replies)).toContain('Trường THCS Nguyễn Thị Thập: bạn chọn lớp');
    const done = await app.say('s-typed', { text: 'lớp 7a1' }, 'messenger');
    expect(textOf(done.replies)).toContain('lớp 7A1');
    const c = await contactOf('s-typed');
    expect([c.role, c.class?.code, c.channel, c.accountId]).toEqual(['student', 'NTT-7A1', 'simulator', 'messenger']);
  });

  it('links with a class code typed at the school step', async () => {
    await app.say('p-code', { text: 'alo' });
    await app.say('p-code', { payload: 'ROLE:parent' });
    const done = await app.say('p-code', { text: 'tp-3a' });
    expect(textOf(done.replies)).toContain('lớp 3A – Trường Tiểu học Tân Phong');
  });

  it('asks again when a class code is wrong, and keeps the conversation at that step', async () => {
    await app.say('p-badcode', { text: 'alo' });
    const schools = await app.say('p-badcode', { payload: 'ROLE:parent' });
    await app.say('p-badcode', { payload: button(schools.replies, 'Nhập mã lớp') });
    const wrong = await app.say('p-badcode', { text: 'XYZ-9Z9' });
    expect(textOf(wrong.replies)).toContain('Mã lớp “XYZ-9Z9” chưa đúng');
    const right = await app.say('p-badcode', { text: 'NTT-9A1' });
    expect(textOf(right.replies)).toContain('lớp 9A1');
  });

  it('skips the school question when the contact arrives through a QR ref carrying a class code', async () => {
    const first = await app.say('p-qr', { ref: 'NTT-8A1' });
    expect(textOf(first.replies)).toContain('Bạn là:');
    const done = await app.say('p-qr', { payload: 'ROLE:parent' });
    expect(textOf(done.replies)).toContain('lớp 8A1');
  });

  it('accepts the number of a button instead of tapping it', async () => {
    await app.say('p-number', { text: 'chào' });
    const schools = await app.say('p-number', { text: '1' });
    expect(textOf(schools.replies)).toContain('Con bạn học trường nào?');
    expect((await contactOf('p-number')).role).toBe('parent');
  });

  it('asks a contact who taps "Giáo viên" for a teacher code, and links a verified teacher to the class of the code', async () => {
    await app.say('t-1', { text: 'chào' });
    const ask = await app.say('t-1', { text: 'giáo viên' });
    expect(textOf(ask.replies)).toContain('mã giáo viên do nhà trường cấp');
    expect((await contactOf('t-1')).role).toBeNull();
    const code = await inviteCode(app, { school: 'NTT', class: 'NTT-6A2' });
    const done = await app.say('t-1', { text: code.toLowerCase() });
    expect(textOf(done.replies)).toContain('Xác minh thành công! Thầy/cô đã là giáo viên lớp 6A2 – Trường THCS Nguyễn Thị Thập.');
    const c = await contactOf('t-1');
    expect([c.role, c.class?.code]).toEqual(['teacher', 'NTT-6A2']);
  });

  it('lets a contact without a teacher code go on as a parent and link a class', async () => {
    await app.say('t-nocode', { text: 'chào' });
    const ask = await app.say('t-nocode', { payload: 'ROLE:teacher' });
    const schools = await app.say('t-nocode', { payload: button(ask.replies, 'Tiếp tục là phụ huynh') });
    expect(textOf(schools.replies)).toContain('Con bạn học trường nào?');
    const done = await app.say('t-nocode', { text: 'NTT-6A2' });
    expect(textOf(done.replies)).toContain('lớp 6A2');
    expect(textOf(done.replies)).not.toContain('tài khoản giáo viên');
    expect((await contactOf('t-nocode')).role).toBe('parent');
  });

  it('finds several schools for a vague name and lets the user pick one', async () => {
    await app.say('p-vague', { text: 'chào' });
    await app.say('p-vague', { payload: 'ROLE:parent' });
    const many = await app.say('p-vague', { text: 'trường' });
    expect(textOf(many.replies)).toContain('Có vài trường khớp với “trường”');
    const none = await app.say('p-vague', { text: 'Trường ABC không có' });
    expect(textOf(none.replies)).toContain('Mình chưa tìm thấy trường nào');
  });
});
