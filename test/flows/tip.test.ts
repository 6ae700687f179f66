import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { button, startTestApp, textOf, type TestApp } from '../helpers/app.js';
import { awayFromWindowEdge, onboard, submitTipInChat } from '../bot/tips/tip-helpers.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

const conversationOf = async (userId: string) => {
  const c = await app.db.prisma.contact.findFirstOrThrow({ where: { userId }, include: { conversation: true } });
  return c.conversation;
};

describe('the anonymous tip flow in chat', () => {
  it('opens with one honest line about the platform and the web form, then the eight categories', async () => {
    await onboard(app, 'tip-notice');
    const { replies } = await app.say('tip-notice', { payload: button((await app.say('tip-notice', { text: 'menu' })).replies, 'Tố giác tội phạm') });
    const all = textOf(replies);
    expect(all).toContain('cuộc trò chuyện này đi qua Zalo');
    expect(all).toContain('/tip');
    const cats = replies.find((r) => r.type === 'buttons');
    expect(cats?.type === 'buttons' && cats.buttons.map((b) => b.title)).toEqual([
      'Ma tuý', 'Bạo lực học đường', 'Trộm cắp', 'Vũ khí, vật nổ, pháo', 'Nguy cơ cháy nổ', 'Lừa đảo qua mạng', 'Nguy hiểm giao thông', 'Việc khác',
    ]);
    const messenger = await app.say('tip-notice-m', { payload: 'FLOW:tip' }, 'messenger');
    expect(textOf(messenger.replies)).toContain('Facebook Messenger');
  });

  it('coaches for what, where, when, who and evidence, and takes several messages before “Xong”', async () => {
    await app.say('tip-coach', { payload: 'FLOW:tip' });
    const coach = await app.say('tip-coach', { payload: 'CAT:theft' });
    const t = textOf(coach.replies);
    for (const w of ['Chuyện gì', 'Ở đâu', 'Khi nào', 'Ai liên quan', 'bằng chứng']) expect(t).toContain(w);
    const early = await app.say('tip-coach', { payload: 'DONE' });
    expect(textOf(early.replies)).toContain('Bạn chưa kể sự việc');
    await app.say('tip-coach', { text: 'Mất xe đạp ở nhà xe' });
    await app.say('tip-coach', { text: 'Chiều thứ Hai, khoảng 17 giờ' });
    const place = await app.say('tip-coach', { payload: 'DONE' });
    expect(textOf(place.replies)).toContain('Sự việc xảy ra ở đâu?');
    await app.say('tip-coach', { text: 'Nhà xe phía sau trường' });
    await app.say('tip-coach', { payload: 'SKIP' });
    await app.say('tip-coach', { payload: 'NO' });
    const summary = await app.say('tip-coach', { payload: 'NO' });
    const s = textOf(summary.replies);
    expect(s).toContain('Mất xe đạp ở nhà xe\nChiều thứ Hai, khoảng 17 giờ');
    expect(s).toContain('Địa điểm: Nhà xe phía sau trường');
    expect(s).toContain('Loại: Trộm cắp');
    await app.say('tip-coach', { text: 'huỷ' });
  });

  it('submits: code and PIN once, the tip stored encrypted with no link to the contact, the draft gone', async () => {
    await onboard(app, 'tip-submit');
    const beforeTip = await conversationOf('tip-submit');
    const secret = 'Có người bán thuốc lắc trước cổng trường lúc tan học';
    const { code, pin } = await submitTipInChat(app, 'tip-submit', { parts: [secret], place: 'Cổng sau' });
    expect(code).toMatch(/^TB-[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}$/);
    expect(pin).toMatch(/^\d{4} \d{3} \d{3}$/);
    const tip = await app.db.prisma.tip.findUniqueOrThrow({ where: { publicCode: code } });
    expect(tip.pinLength).toBe(10);
    expect(tip.createdAt.getTime() % 3600_000).toBe(0);
    expect(tip.descriptionCipher.startsWith('v1.')).toBe(true);
    expect(tip.descriptionCipher).not.toContain('thuốc');
    expect(tip.pinHash).toMatch(/^\$argon2/);
    expect(tip.replyHandleCipher).toBeNull();
    expect(tip.category).toBe('drugs');
    // The draft is gone: the conversation is back exactly as it was before the tip flow began.
    expect(await conversationOf('tip-submit')).toEqual(beforeTip);
  });

  it('wipes the draft on “huỷ” at any step', async () => {
    await onboard(app, 'tip-cancel');
    const beforeTip = await conversationOf('tip-cancel');
    await app.say('tip-cancel', { payload: 'FLOW:tip' });
    await app.say('tip-cancel', { payload: 'CAT:school_violence' });
    await app.say('tip-cancel', { text: 'Bản nháp bí mật về vụ đánh nhau' });
    expect(JSON.stringify((await conversationOf('tip-cancel'))?.data)).toContain('Bản nháp bí mật');
    const cancelled = await app.say('tip-cancel', { text: 'Huỷ' });
    expect(textOf(cancelled.replies)).toContain('Đã huỷ.');
    expect(textOf(cancelled.replies)).toContain('Bạn muốn làm gì?');
    // The conversation goes back to what it was before the tip flow (no row stamped with that moment), draft and all.
    expect(await conversationOf('tip-cancel')).toEqual(beforeTip);
    expect(textOf((await app.say('tip-cancel', { text: '1' })).replies)).not.toContain('Đã huỷ.');
    // "menu" and another flow's button replace the draft too.
    await app.say('tip-cancel', { payload: 'FLOW:tip' });
    await app.say('tip-cancel', { payload: 'CAT:theft' });
    await app.say('tip-cancel', { text: 'Nháp thứ hai' });
    expect(JSON.stringify((await conversationOf('tip-cancel'))?.data)).toContain('Nháp thứ hai');
    await app.say('tip-cancel', { payload: 'FLOW:content' });
    expect(JSON.stringify(await conversationOf('tip-cancel'))).not.toContain('Nháp thứ hai');
  });

  it('shows 113/114/115/111 at once when someone is in danger, and raises the urgent alert on submit', async () => {
    await app.say('tip-urgent', { payload: 'FLOW:tip' });
    await app.say('tip-urgent', { payload: 'CAT:weapons' });
    await app.say('tip-urgent', { text: 'Một nhóm mang dao đứng chờ trước cổng' });
    await app.say('tip-urgent', { payload: 'DONE' });
    await app.say('tip-urgent', { payload: 'SKIP' });
    await app.say('tip-urgent', { payload: 'SKIP' });
    const danger = await app.say('tip-urgent', { text: 'có' });
    const t = textOf(danger.replies);
    for (const n of ['113', '114', '115', '111']) expect(t).toContain(n);
    const summary = await app.say('tip-urgent', { payload: 'NO' });
    expect(textOf(summary.replies)).toContain('Khẩn cấp: Có');
    await app.say('tip-urgent', { payload: 'SEND' });
    const alerts = await app.db.prisma.systemAlert.findMany({ where: { kind: 'urgent_tip', resolvedAt: null } });
    expect(alerts).toHaveLength(1);
    // Stamped to the hour like the tip itself: the alert must not date the tipster's turn.
    expect(alerts[0]!.createdAt.getTime() % 3_600_000).toBe(0);
    const tip = await app.db.prisma.tip.findFirstOrThrow({ where: { category: 'weapons' } });
    expect(tip.urgent).toBe(true);
  });

  it('asks again when consent is unclear: silence is not consent', async () => {
    await app.say('tip-consent', { payload: 'FLOW:tip' });
    await app.say('tip-consent', { payload: 'CAT:other' });
    await app.say('tip-consent', { text: 'Chuyện khác' });
    await app.say('tip-consent', { payload: 'DONE' });
    await app.say('tip-consent', { payload: 'SKIP' });
    await app.say('tip-consent', { payload: 'SKIP' });
    await app.say('tip-consent', { payload: 'NO' });
    const unclear = await app.say('tip-consent', { text: 'để mình nghĩ' });
    expect(textOf(unclear.replies)).toContain('Bạn có đồng ý nhận phản hồi ẩn danh');
    await app.say('tip-consent', { text: 'huy' });
  });
});

describe('tip follow-up in chat', () => {
  it('keeps the typed code sealed in the conversation row while it waits for the PIN', async () => {
    const { code } = await submitTipInChat(app, 'tip-seal', { parts: ['Có nhóm người lạ tụ tập sau cổng trường buổi tối'] });
    await onboard(app, 'tip-seal-other', 'messenger');
    await app.say('tip-seal-other', { text: 'tra cứu tin báo' }, 'messenger');
    await app.say('tip-seal-other', { text: code }, 'messenger');
    const row = JSON.stringify(await conversationOf('tip-seal-other'));
    expect(row).toContain('"stepId":"pin"');
    expect(row.toUpperCase()).not.toContain(code.toUpperCase());
    expect(row.replace(/[^A-Z0-9]/gi, '').toUpperCase()).not.toContain(code.replace(/-/g, '').toUpperCase());
  });

  it('shows the status after code + PIN, and adds information encrypted', async () => {
    const { code, pin } = await submitTipInChat(app, 'tip-follow', { parts: ['Có người hút thuốc lá điện tử trong nhà vệ sinh'] });
    await onboard(app, 'tip-follow-other', 'messenger');
    const beforeFollowUp = await conversationOf('tip-follow-other');
    const menu = await app.say('tip-follow-other', { text: 'tra cứu tin báo' }, 'messenger');
    expect(textOf(menu.replies)).toContain('Nhập mã tin báo');
    await app.say('tip-follow-other', { text: code.toLowerCase().replace(/-/g, ' ') }, 'messenger');
    const view = await app.say('tip-follow-other', { text: pin }, 'messenger');
    expect(textOf(view.replies)).toContain(`Tin báo ${code} (Ma tuý)`);
    expect(textOf(view.replies)).toContain('mới nhận, đang chờ xem xét');
    expect(textOf(view.replies)).toContain('Chưa có phản hồi');
    await app.say('tip-follow-other', { payload: 'ADD' }, 'messenger');
    const added = await app.say('tip-follow-other', { text: 'Thường vào giờ ra chơi thứ Sáu' }, 'messenger');
    expect(textOf(added.replies)).toContain('Đã bổ sung');
    const tip = await app.db.prisma.tip.findUniqueOrThrow({ where: { publicCode: code }, include: { messages: true } });
    expect(tip.messages).toHaveLength(1);
    expect(tip.messages[0]!.author).toBe('tipster');
    expect(tip.messages[0]!.bodyCipher).not.toContain('ra chơi');
    // Leaving the follow-up puts the conversation back rather than stamping it with that moment.
    const menu2 = await app.say('tip-follow-other', { payload: 'CMD:MENU' }, 'messenger');
    expect(textOf(menu2.replies)).toContain('Bạn muốn làm gì?');
    expect(await conversationOf('tip-follow-other')).toEqual(beforeFollowUp);
  });

  it('answers the same for an unknown code and a wrong PIN; after three wrong PINs that chat waits, while the owner gets in', async () => {
    const { code, pin } = await submitTipInChat(app, 'tip-lock', { parts: ['Xe máy chạy lạng lách trước cổng trường'] });
    const guess = async (user: string, c: string, p: string) => {
      await app.say(user, { payload: 'FLOW:tip_followup' });
      await app.say(user, { text: c });
      return textOf((await app.say(user, { text: p })).replies);
    };
    expect(await guess('tip-lock-x', 'TB-2222-3333', '1234 567 890')).toContain('Mã tin báo hoặc PIN không đúng.');
    const wrongPin = pin === '0000 000 000' ? '0000 000 001' : '0000 000 000';
    const answers: string[] = [];
    for (let i = 0; i < 4; i++) answers.push(await guess('tip-lock-x', code, wrongPin));
    expect(answers.slice(0, 3).every((a) => a.includes('Mã tin báo hoặc PIN không đúng.'))).toBe(true);
    expect(answers[3]).toMatch(/Bạn đã thử quá nhiều lần\. Vui lòng đợi 1 phút nữa rồi thử lại\./);
    // The right PIN from the guessing chat waits too: a wait, not an answer about the PIN.
    expect(await guess('tip-lock-x', code, pin)).toContain('Bạn đã thử quá nhiều lần');
    // The tipster's own chat is not kept out by someone else's guesses.
    expect(await guess('tip-lock', code, pin)).toContain(`Tin báo ${code}`);
  });

  it('limits lookups per chat to ten an hour, whatever the codes', async () => {
    await awayFromWindowEdge(3600_000, 30_000);
    const answers: string[] = [];
    for (let i = 0; i < 11; i++) {
      await app.say('tip-scan', { payload: 'FLOW:tip_followup' });
      await app.say('tip-scan', { text: `TB-2345-${'ABCDEFGHJKM'[i]}789` });
      answers.push(textOf((await app.say('tip-scan', { text: '1234567890' })).replies));
    }
    expect(answers.slice(0, 10).every((a) => a.includes('Mã tin báo hoặc PIN không đúng.'))).toBe(true);
    expect(answers[10]).toMatch(/Bạn đã thử quá nhiều lần\. Vui lòng đợi \d+ phút nữa rồi thử lại\./);
  });

  it('keeps a tip sent before the longer PINs working with its 6-digit PIN', async () => {
    const { hash } = await import('@node-rs/argon2');
    await app.db.prisma.tip.create({
      data: { publicCode: 'TB-KQWE-RT23', pinHash: await hash('482173'), pinLength: 6, category: 'theft', descriptionCipher: 'v1.a.b.c' },
    });
    await app.say('tip-legacy', { payload: 'FLOW:tip_followup' });
    await app.say('tip-legacy', { text: 'TB-KQWE-RT23' });
    expect(textOf((await app.say('tip-legacy', { text: '482 173' })).replies)).toContain('Tin báo TB-KQWE-RT23 (Trộm cắp)');
  });
});
