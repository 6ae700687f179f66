import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, textOf, type TestApp } from '../helpers/app.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

async function onboard(user: string) {
  await app.say(user, { text: 'chào' });
  await app.say(user, { payload: 'ROLE:parent' });
  await app.say(user, { text: 'NTT-6A1' });
}

async function conversation(user: string) {
  const c = await app.db.prisma.contact.findFirstOrThrow({ where: { userId: user }, include: { conversation: true } });
  return c.conversation;
}

describe('global commands', () => {
  it.each(['huỷ', 'hủy', 'HUỶ', 'Huy', 'cancel'])('cancels the current step with "%s"', async (word) => {
    const user = `cancel-${word}`;
    await app.say(user, { text: 'chào' });
    await app.say(user, { payload: 'ROLE:parent' });
    const r = await app.say(user, { text: word });
    expect(textOf(r.replies)).toContain('Đã huỷ.');
  });

  it.each(['menu', 'MENU', 'Menu'])('opens the main menu from the middle of a flow with "%s"', async (word) => {
    const user = `menu-${word}`;
    await onboard(user);
    await app.say(user, { payload: 'FLOW:onboarding' });
    expect((await conversation(user))?.stepId).toBe('role');
    const r = await app.say(user, { text: word });
    expect(textOf(r.replies)).toContain('Bạn muốn làm gì?');
    expect((await conversation(user))?.flowId).toBe('menu');
  });

  it.each(['trợ giúp', 'tro giup', 'TRỢ GIÚP', 'help'])('shows help with "%s" and stays at the same step', async (word) => {
    const user = `help-${word}`;
    await app.say(user, { text: 'chào' });
    await app.say(user, { payload: 'ROLE:student' });
    const before = await conversation(user);
    const r = await app.say(user, { text: word });
    expect(textOf(r.replies)).toContain('113 (công an)');
    const after = await conversation(user);
    expect([after?.flowId, after?.stepId]).toEqual([before?.flowId, before?.stepId]);
  });

  it('switches to English and back', async () => {
    await onboard('lang');
    const en = await app.say('lang', { text: 'English' });
    expect(textOf(en.replies)).toContain('Switched to English.');
    expect(textOf(en.replies)).toContain('What would you like to do?');
    const vi = await app.say('lang', { text: 'tiếng việt' });
    expect(textOf(vi.replies)).toContain('Đã chuyển sang tiếng Việt.');
  });

  it('restarts politely when the stored state belongs to an older flow version', async () => {
    await onboard('stale');
    const c = await app.db.prisma.contact.findFirstOrThrow({ where: { userId: 'stale' } });
    await app.db.prisma.conversation.update({ where: { contactId: c.id }, data: { flowId: 'onboarding', stepId: 'class', version: 0 } });
    const r = await app.say('stale', { text: '6A1' });
    expect(r.status).toBe(200);
    expect(textOf(r.replies)).toContain('hệ thống vừa được cập nhật');
    expect((await conversation('stale'))?.stepId).toBe('role');
  });

  it('restarts politely when the stored step no longer exists', async () => {
    await onboard('gone');
    const c = await app.db.prisma.contact.findFirstOrThrow({ where: { userId: 'gone' } });
    await app.db.prisma.conversation.update({ where: { contactId: c.id }, data: { flowId: 'menu', stepId: 'removed-step', version: 1 } });
    const r = await app.say('gone', { text: 'xin chào' });
    expect(textOf(r.replies)).toContain('hệ thống vừa được cập nhật');
    expect(textOf(r.replies)).toContain('Bạn muốn làm gì?');
  });

  it('treats an expired conversation as none and answers from the menu', async () => {
    await onboard('expired');
    const c = await app.db.prisma.contact.findFirstOrThrow({ where: { userId: 'expired' } });
    await app.db.prisma.conversation.update({ where: { contactId: c.id }, data: { flowId: 'onboarding', stepId: 'code', expiresAt: new Date(Date.now() - 1000) } });
    const r = await app.say('expired', { text: 'tin tuyên truyền' });
    expect(textOf(r.replies)).toContain('Chọn chủ đề');
  });

  it('tells an onboarded contact it did not understand and shows the menu', async () => {
    await onboard('confused');
    const r = await app.say('confused', { text: 'asdfgh' });
    expect(textOf(r.replies)).toContain('Mình chưa hiểu ý bạn');
  });

  it('lets a parent browse a topic item by item, each naming its source', async () => {
    await onboard('reader');
    const topics = await app.say('reader', { payload: 'FLOW:content' });
    const traffic = topics.replies.find((r) => r.type === 'buttons');
    expect(traffic?.type === 'buttons' && traffic.buttons.some((b) => b.payload === 'TOPIC:traffic-safety')).toBe(true);
    const item = await app.say('reader', { payload: 'TOPIC:traffic-safety' });
    expect(textOf(item.replies)).toContain('Nguồn:');
    const next = await app.say('reader', { payload: 'NEXT' });
    expect(textOf(next.replies)).toContain('2/');
  });
});

describe('opt-out and opt-in', () => {
  const subscribed = async (user: string) => (await app.db.prisma.contact.findFirstOrThrow({ where: { userId: user } })).subscribed;

  it.each(['STOP', 'stop', 'DỪNG', 'dừng', 'Dung', 'HỦY ĐĂNG KÝ', 'huỷ đăng ký', 'huy dang ky'])('stops broadcasts with "%s" and confirms in one line', async (word) => {
    const user = `optout-${word}`;
    await onboard(user);
    const r = await app.say(user, { text: word });
    expect(r.replies).toHaveLength(1);
    expect(textOf(r.replies)).toContain('Đã dừng nhận thông báo và nhắc nhở.');
    expect(await subscribed(user)).toBe(false);
  });

  it.each(['BẮT ĐẦU', 'bat dau', 'START', 'start'])('resumes with "%s" and confirms in one line', async (word) => {
    const user = `optin-${word}`;
    await onboard(user);
    await app.say(user, { text: 'DỪNG' });
    const r = await app.say(user, { text: word });
    expect(r.replies).toHaveLength(1);
    expect(textOf(r.replies)).toContain('Đã đăng ký nhận lại thông báo');
    expect(await subscribed(user)).toBe(true);
  });

  it.each(['Đúng', 'đúng', 'Dũng', 'dùng'])('does not unsubscribe anyone who types "%s" (it folds to "dung" too)', async (word) => {
    const user = `not-optout-${word}`;
    await onboard(user);
    const r = await app.say(user, { text: word });
    expect(textOf(r.replies)).not.toContain('Đã dừng nhận thông báo');
    expect(await subscribed(user)).toBe(true);
  });

  it('keeps plain "huỷ" as cancel, not opt-out', async () => {
    await onboard('huy-not-stop');
    const r = await app.say('huy-not-stop', { text: 'huỷ' });
    expect(textOf(r.replies)).toContain('Đã huỷ.');
    expect(await subscribed('huy-not-stop')).toBe(true);
  });

  it('keeps answering after opt-out, and keeps the conversation where it was', async () => {
    await onboard('still-talks');
    await app.say('still-talks', { payload: 'FLOW:content' });
    await app.say('still-talks', { text: 'dừng' });
    const c = await app.db.prisma.contact.findFirstOrThrow({ where: { userId: 'still-talks' }, include: { conversation: true } });
    expect(c.conversation?.flowId).toBe('content');
    const r = await app.say('still-talks', { payload: 'TOPIC:drugs' });
    expect(textOf(r.replies)).toContain('Nguồn:');
  });
});
