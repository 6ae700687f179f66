import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutMessage } from '../../../src/content/messages.schema.js';
import { button, textOf } from '../../helpers/app.js';
import { eventually } from '../../helpers/channels.js';
import { inviteCode } from '../../helpers/teachers.js';
import { seriousA11yProblems, SKIP_BROWSER, startJourneys, WAIT, withoutAxeInjection, type Journeys } from '../helpers/journeys.js';
import { startJourneyApp, type JourneyApp } from './journey-app.js';

/**
 * A teacher's school-wide broadcast from chat, approved in the console in headless Chromium: the teacher writes it
 * in the chat (it waits for the school's approval); a teacher of the school's console, who sees it, gets no approve
 * button and is refused when posting the approval anyway; the school admin signs in, finds it on the broadcasts page,
 * approves it, and the page and the database say it is approved and on its way; the teacher is told in chat.
 * axe-core runs on the broadcast's page before and after the decision, for both accounts.
 */

const TEXT = 'Sáng thứ Bảy 14/11 toàn trường diễn tập phòng cháy chữa cháy lúc 8 giờ, phụ huynh đưa con đến trước 7 giờ 30.';
const QUEUED = ['scheduled', 'expanding', 'expanded'];

// A whole journey: many steps, each with its own generous wait, on a machine shared with other tests.
const JOURNEY_TIMEOUT = 180_000;

describe.skipIf(SKIP_BROWSER)('a teacher’s chat broadcast approved in the console (headless Chromium)', () => {
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

  /** Everything the simulator has sent this chat user so far (what arrives outside their own turns included). */
  async function chatOf(user: string): Promise<OutMessage[]> {
    const res = await fetch(`${a.url}/api/simulator/messages?user=${encodeURIComponent(user)}&channel=zalo&after=0`);
    return ((await res.json()) as { replies: OutMessage[] }).replies;
  }

  /** A teacher verified in chat for the whole school NTT writes a broadcast to all its parents, "send now". */
  async function pendingFromChat(user: string): Promise<string> {
    const say = async (body: { text?: string; payload?: string }) => {
      const r = await a.app.say(user, body);
      expect(r.status).toBe(200);
      return r.replies;
    };
    await say({ text: 'xin chào' });
    await say({ payload: 'ROLE:teacher' });
    const verified = await say({ text: await inviteCode(a.app, { school: 'NTT' }) });
    expect(textOf(verified)).toContain('Xác minh thành công!');
    const last = verified.at(-1);
    if (last?.type === 'buttons' && last.buttons[0]?.payload.startsWith('CLASS:')) await say({ payload: last.buttons[0].payload });
    const start = await say({ text: 'gửi thông báo' });
    const roles = await say({ payload: button(start, 'Toàn trường') });
    const pledged = await say({ payload: button(roles, 'Phụ huynh') });
    const groups = await say({ payload: button(pledged, 'Tất cả') });
    await say({ payload: button(groups, 'Không') });
    const image = await say({ text: TEXT });
    const preview = await say({ payload: button(image, 'Không kèm ảnh') });
    expect(textOf(preview)).toContain('cần Ban giám hiệu duyệt trước khi gửi');
    const sent = await say({ payload: button(preview, 'Gửi ngay') });
    expect(textOf(sent)).toContain('đang chờ duyệt');
    const code = /TB-\d{5}/.exec(textOf(sent))?.[0];
    if (!code) throw new Error(`no broadcast code in ${textOf(sent)}`);
    return code;
  }

  it('the school admin approves it in the browser; a teacher of the school sees it but cannot approve it', async () => {
    const author = 'gv-toan-truong-journey';
    const code = await pendingFromChat(author);
    const p = a.app.db.prisma;
    const pending = await p.broadcast.findUniqueOrThrow({ where: { code } });
    expect(pending).toMatchObject({ status: 'pending_approval', needsApproval: true, approvedAt: null, decidedBy: null });
    const detail = `${a.url}/admin/broadcasts/${pending.id}`;
    const found: string[] = [];

    // A teacher of the school: the whole-school broadcast is on their list and its page opens, with no way to approve.
    const teacher = await j.open(1280);
    await j.signIn(teacher.page, 'teacher');
    await teacher.page.getByRole('navigation', { name: 'Chức năng' }).getByRole('link', { name: 'Thông báo' }).click();
    await teacher.page.getByRole('heading', { level: 1, name: 'Thông báo' }).waitFor(WAIT);
    const teacherRow = teacher.page.getByRole('row').filter({ has: teacher.page.getByRole('link', { name: code, exact: true }) });
    expect(await teacherRow.getByRole('cell').nth(1).innerText()).toBe('chờ duyệt');
    expect(await teacher.page.getByText('đang chờ bạn duyệt').count()).toBe(0);
    await Promise.all([teacher.page.waitForURL(detail, WAIT), teacherRow.getByRole('link', { name: code, exact: true }).click()]);
    await teacher.page.getByRole('heading', { level: 1, name: `Thông báo ${code}` }).waitFor(WAIT);
    await teacher.page.getByText('Cần ban giám hiệu duyệt trước khi gửi').waitFor(WAIT);
    expect(await teacher.page.getByRole('button', { name: 'Duyệt và gửi' }).count()).toBe(0);
    expect(await teacher.page.getByRole('button', { name: 'Từ chối' }).count()).toBe(0);
    found.push(...seriousA11yProblems(await j.axe(teacher.page)).map((x) => `teacher, pending: ${x}`));

    // Posting the approval anyway, from the page with this session's own CSRF token, is refused and changes nothing.
    const [refusal] = await Promise.all([
      teacher.page.waitForResponse((r) => r.url() === `${detail}/approve` && r.request().method() === 'POST', WAIT),
      teacher.page.evaluate((action) => {
        const form = document.createElement('form');
        form.method = 'post';
        form.action = action;
        const token = document.createElement('input');
        token.type = 'hidden';
        token.name = '_csrf';
        token.value = document.querySelector<HTMLMetaElement>('meta[name="csrf-token"]')!.content;
        form.append(token);
        document.body.append(form);
        form.submit();
      }, `${detail}/approve`),
    ]);
    expect(refusal.status()).toBe(403);
    await teacher.page.getByRole('heading', { level: 1, name: 'Không có quyền truy cập' }).waitFor(WAIT);
    found.push(...seriousA11yProblems(await j.axe(teacher.page)).map((x) => `teacher, refused: ${x}`));
    expect(await p.broadcast.findUniqueOrThrow({ where: { code } })).toMatchObject({ status: 'pending_approval', approvedAt: null, decidedBy: null });
    expect(await p.auditLog.count({ where: { targetId: pending.id } })).toBe(0);

    // The school admin: sign in, the broadcasts page says one is waiting for them, open it, approve.
    const admin = await j.open(1280);
    await j.signIn(admin.page, 'school_admin');
    await admin.page.getByRole('navigation', { name: 'Chức năng' }).getByRole('link', { name: 'Thông báo' }).click();
    await admin.page.getByRole('heading', { level: 1, name: 'Thông báo' }).waitFor(WAIT);
    await admin.page.getByText('Có 1 thông báo của giáo viên đang chờ bạn duyệt:').waitFor(WAIT);
    const adminRow = admin.page.getByRole('row').filter({ has: admin.page.getByRole('link', { name: code, exact: true }) });
    expect(await adminRow.getByRole('cell').nth(1).innerText()).toContain('chờ bạn duyệt');
    expect(await adminRow.getByRole('cell').nth(3).innerText()).toBe('Giáo viên (qua chat)');
    found.push(...seriousA11yProblems(await j.axe(admin.page)).map((x) => `school admin, list: ${x}`));
    await Promise.all([admin.page.waitForURL(detail, WAIT), adminRow.getByRole('link', { name: code, exact: true }).click()]);
    await admin.page.getByRole('heading', { level: 1, name: `Thông báo ${code}` }).waitFor(WAIT);
    await admin.page.getByText('Giáo viên, soạn trong chat').waitFor(WAIT);
    await admin.page.getByText(TEXT).first().waitFor(WAIT);
    found.push(...seriousA11yProblems(await j.axe(admin.page)).map((x) => `school admin, pending: ${x}`));
    await Promise.all([admin.page.waitForURL(`${detail}?saved=approved`, WAIT), admin.page.getByRole('button', { name: 'Duyệt và gửi' }).click()]);

    // The page says so: approved, no decision left to make, and a status on the way out.
    await admin.page.getByText('Đã duyệt: thông báo được gửi vào giờ đã hẹn').waitFor(WAIT);
    await admin.page.getByText(/^Đã duyệt lúc /).waitFor(WAIT);
    expect(await admin.page.getByRole('button', { name: 'Duyệt và gửi' }).count()).toBe(0);
    const status = await admin.page.locator('dl.facts dt', { hasText: 'Trạng thái' }).locator('xpath=following-sibling::dd[1]').innerText();
    expect(['đã lên lịch gửi', 'đang gửi', 'đã vào hàng gửi']).toContain(status);
    found.push(...seriousA11yProblems(await j.axe(admin.page)).map((x) => `school admin, approved: ${x}`));

    // The database: decided by this account, approved, queued (the expander may already have taken it).
    const approved = await p.broadcast.findUniqueOrThrow({ where: { code } });
    expect(approved.decidedBy).toBe(`staff:${a.accounts.school_admin.id}`);
    expect(approved.approvedAt).not.toBeNull();
    expect(QUEUED).toContain(approved.status);
    const audit = await p.auditLog.findMany({ where: { targetId: pending.id } });
    expect(audit.map((e) => [e.action, e.staffId])).toEqual([['broadcast_approved', a.accounts.school_admin.id]]);

    // The teacher who wrote it is told in their chat.
    await eventually(async () => (await chatOf(author)).some((m) => textOf([m]) === `Thông báo ${code} của thầy/cô đã được duyệt và sẽ được gửi theo lịch.`), 'the author told in chat');

    expect(found).toEqual([]);
    // The refused post is the one failed load the teacher's browser reports.
    expect(withoutAxeInjection(teacher.problems)).toEqual(['Failed to load resource: the server responded with a status of 403 (Forbidden)']);
    expect(withoutAxeInjection(admin.problems)).toEqual([]);
    await j.screenshot(admin.page, 'broadcast-approved');
  }, JOURNEY_TIMEOUT);
});
