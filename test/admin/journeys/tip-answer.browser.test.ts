import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousA11yProblems, SKIP_BROWSER, startJourneys, WAIT, withoutAxeInjection, type Journeys } from '../helpers/journeys.js';
import { SimulatorPage, startJourneyApp, type JourneyApp } from './journey-app.js';

/**
 * A tip answered in the console and read in the simulator, both halves in headless Chromium: an anonymous tipster
 * sends a tip in the web simulator (/simulator) and notes its code and PIN; the school's tip handler signs in, opens
 * it from the tips inbox and answers it; the tipster's chat shows the notice that an answer is waiting (no code, no
 * text), they check the tip with its code and PIN and read the handler's words. Nothing that could tell the handler
 * who the tipster is shows on the console's pages. axe-core runs on the simulator page and on the tip after the answer.
 */

const DESCRIPTION = 'Chiều nào cũng có hai thanh niên lạ mời học sinh lớp 8 hút thuốc lá điện tử có mùi lạ ở quán nước đối diện cổng sau.';
const PLACE = 'Quán nước đối diện cổng sau trường';
// Quotes, an ampersand and a less-than sign: what the handler typed must come back as typed, escaped on the way.
const ANSWER = 'Cảm ơn bạn đã báo. Nhà trường đã báo Công an phường Tân Phong & cử bảo vệ trực ở cổng sau từ 16 giờ; bạn đừng tự “đối chất” với họ nhé <3';

// A whole journey: many steps, each with its own generous wait, on a machine shared with other tests.
const JOURNEY_TIMEOUT = 180_000;

describe.skipIf(SKIP_BROWSER)('a tip answered in the console, read in the simulator (headless Chromium)', () => {
  let a: JourneyApp;
  let j: Journeys;
  beforeAll(async () => {
    a = await startJourneyApp();
    j = await startJourneys(a.console);
  });
  afterAll(async () => {
    await j?.close();
    await a?.close();
  });

  it('the handler answers the tip in the console and the tipster reads that answer with the code and PIN', async () => {
    // The tipster, on a phone-sized simulator.
    const phone = await j.open(360, 740);
    await phone.page.goto(`${a.url}/simulator`);
    const chat = new SimulatorPage(phone.page);
    const user = await chat.user();
    expect(user).toMatch(/^sim-[a-z0-9]+$/);
    const simulatorA11y = seriousA11yProblems(await j.axe(phone.page));

    // A parent who first links their child's class (as the bot asks of everyone), then reports from the menu.
    const roles = await chat.type('xin chào', 'Bạn là:');
    await chat.press(roles, 'Phụ huynh', 'Con bạn học trường nào?');
    const menu = await chat.type('NTT-6A1', 'Bạn muốn làm gì?');
    const categories = await chat.press(menu, 'Tố giác tội phạm', 'Bạn muốn báo về việc gì?');
    await chat.press(categories, 'Ma tuý', 'kể');
    const more = await chat.type(DESCRIPTION, 'Đã ghi lại.');
    await chat.press(more, 'Xong', 'Sự việc xảy ra ở đâu?');
    const schools = await chat.type(PLACE, 'Sự việc có liên quan đến trường nào không?');
    const danger = await chat.press(schools, a.school.name, 'Có ai đang gặp nguy hiểm ngay lúc này không?');
    const consent = await chat.press(danger, 'Không', 'Bạn có đồng ý nhận phản hồi ẩn danh qua kênh chat này không?');
    const summary = await chat.press(consent, 'Có', 'Tóm tắt tin báo:');
    expect(await summary.innerText()).toContain(`• Trường: ${a.school.name}`);
    const sent = await chat.press(summary, 'Gửi tin báo', 'Đã gửi tin báo. Cảm ơn bạn!');
    const m = /Mã tin báo: (TB-[A-Z0-9]{4}-[A-Z0-9]{4})\nMã PIN: (\d{4} \d{3} \d{3})/.exec(await sent.innerText());
    expect(m, 'the code and PIN shown once').not.toBeNull();
    const [, code, pin] = m!;

    // What could tell the handler who sent it: the chat user id, its contact, its conversation lane, the sealed handle.
    const p = a.app.db.prisma;
    const tip = await p.tip.findUniqueOrThrow({ where: { publicCode: code! } });
    expect(tip).toMatchObject({ schoolId: a.school.id, category: 'drugs', status: 'new' });
    expect(tip.replyHandleCipher, 'the tipster agreed to replies in chat').not.toBeNull();
    const contact = await p.contact.findFirstOrThrow({ where: { userId: user } });
    const identifying = [user, contact.id, tip.replyHandleCipher!];

    // The handler, on a laptop: sign in, the tips inbox, the tip.
    const desk = await j.open(1280);
    await j.signIn(desk.page, 'tip_handler');
    await desk.page.getByRole('navigation', { name: 'Chức năng' }).getByRole('link', { name: 'Tin báo' }).click();
    await desk.page.getByRole('heading', { level: 1, name: 'Hộp tin báo' }).waitFor(WAIT);
    const shown: string[] = [await desk.page.content()];
    await Promise.all([desk.page.waitForURL(`${a.url}/admin/tips/${tip.id}`, WAIT), desk.page.getByRole('link', { name: code!, exact: true }).click()]);
    await desk.page.getByRole('heading', { level: 1, name: `Tin báo ${code}` }).waitFor(WAIT);
    await desk.page.getByText(DESCRIPTION).waitFor(WAIT);
    await desk.page.getByText(PLACE, { exact: true }).waitFor(WAIT);
    shown.push(await desk.page.content());

    await desk.page.getByLabel('Trả lời người báo tin').fill(ANSWER);
    await Promise.all([desk.page.waitForURL(`${a.url}/admin/tips/${tip.id}?done=replied_chat`, WAIT), desk.page.getByRole('button', { name: 'Gửi trả lời' }).click()]);
    await desk.page.getByText('Đã lưu câu trả lời và báo cho người gửi qua chat rằng có trả lời mới').waitFor(WAIT);
    const thread = desk.page.locator('ol.tip-thread li.tip-msg-handler .tip-text');
    expect(await thread.allInnerTexts()).toEqual([ANSWER]);
    shown.push(await desk.page.content());
    const deskA11y = seriousA11yProblems(await j.axe(desk.page));

    for (const [i, html] of shown.entries()) for (const x of identifying) expect(html.includes(x), `page ${i} shows ${x}`).toBe(false);

    // The tipster's chat: the notice arrives by itself (the page polls), and says neither the code nor the answer.
    const notice = await chat.arrives(0, 'Có phản hồi mới cho tin báo bạn đã gửi.');
    const noticeText = await notice.innerText();
    expect(noticeText).not.toContain(code);
    expect(noticeText).not.toContain('Công an phường');
    await chat.press(notice, 'Tra cứu tin báo', 'Nhập mã tin báo của bạn');
    await chat.type(code!, 'Nhập mã PIN gồm 10 chữ số');
    const status = await chat.type(pin!, `Tin báo ${code} (Ma tuý)`);
    expect(await status.innerText()).toContain('mới nhận, đang chờ xem xét');
    const reply = await chat.arrives(0, 'Phản hồi của cán bộ');
    // The handler's exact words, after the date of the hour it was written.
    expect(await reply.innerText()).toMatch(new RegExp(`^Phản hồi của cán bộ \\([^)]+\\): ${ANSWER.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));

    // The console audited the two views and the answer; the answer is stored once, from the handler.
    const actions = (await p.auditLog.findMany({ where: { targetId: tip.id }, orderBy: { id: 'asc' } })).map((e) => e.action);
    expect(actions).toEqual(['tip_viewed', 'tip_replied', 'tip_viewed']);
    expect(await p.tipMessage.count({ where: { tipId: tip.id, author: 'handler' } })).toBe(1);

    expect(simulatorA11y, 'the simulator page').toEqual([]);
    expect(deskA11y, 'the answered tip').toEqual([]);
    expect(withoutAxeInjection(desk.problems)).toEqual([]);
    expect(withoutAxeInjection(phone.problems)).toEqual([]);
    await j.screenshot(phone.page, 'simulator-tip-answer');
  }, JOURNEY_TIMEOUT);
});
