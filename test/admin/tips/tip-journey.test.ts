import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chosenAccountPassword } from '../../../src/services/staff/account-password.js';
import { createStaffAccount } from '../../../src/services/staff/create-staff-account.js';
import { createRepos } from '../../../src/store/repos.js';
import { startTestApp, textOf, type TestApp } from '../../helpers/app.js';
import { eventually } from '../../helpers/channels.js';
import { submitTipInChat } from '../../bot/tips/tip-helpers.js';
import { Browser } from '../helpers/browser.js';

// The whole journey on the real app with its worker and dispatcher running: a tip sent in the simulator (and one
// from the web form), a handler who signs in to the console with a password, triages, answers, and the tipster who
// reads the answer with code and PIN (in the chat; on the web form).

let app: TestApp;
const HANDLER = { email: 'tin-bao.journey@console.test', password: 'mật-khẩu-hành-trình-2026' };
let schools: { ntt: string };

beforeAll(async () => {
  app = await startTestApp();
  const p = app.db.prisma;
  const office = await p.office.findUniqueOrThrow({ where: { code: 'PGD-Q7-DEMO' } });
  schools = { ntt: (await p.school.findUniqueOrThrow({ where: { code: 'NTT' } })).id };
  // Office level: chat tips that name no school reach office-level handlers first.
  const out = await createStaffAccount(createRepos(p), { email: HANDLER.email, name: 'Cán bộ tiếp nhận Phòng', role: 'tip_handler', office: office.id }, (await chosenAccountPassword(HANDLER.password))!, { actor: null, now: new Date() });
  if (!out.ok) throw new Error(out.reason);
});
afterAll(async () => {
  await app?.close();
});

async function signIn(): Promise<Browser> {
  const b = new Browser(app.url);
  await b.get('/admin/login');
  const a = await b.post('/admin/login', { email: HANDLER.email, password: HANDLER.password });
  expect(a.status).toBe(303);
  return b;
}

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&amp;/g, '&').replace(/\s+/g, ' ');

describe('a tip from chat to answer', () => {
  it('is triaged and answered in the console, the tipster is told in chat and reads the answer with code and PIN', async () => {
    const user = 'journey-tipster-30417';
    const { code, pin } = await submitTipInChat(app, user, { parts: ['Có người bán ma tuý gần cổng trường vào buổi tối'], place: 'Hẻm sau trường THCS Nguyễn Thị Thập', consent: true });

    const b = await signIn();
    const inbox = await b.get('/admin/tips');
    expect(inbox.status).toBe(200);
    const id = new RegExp(`href="/admin/tips/([0-9a-f-]{36})" class="code">${code}<`).exec(inbox.text)?.[1];
    expect(id, 'the tip in the inbox').toBeDefined();
    expect(inbox.text).not.toContain('ma tuý gần cổng');
    expect(inbox.text).not.toContain(user);

    const detail = await b.get(`/admin/tips/${id}`);
    const t = text(detail.text);
    expect(t).toContain('Có người bán ma tuý gần cổng trường vào buổi tối');
    expect(t).toContain('Hẻm sau trường THCS Nguyễn Thị Thập');
    expect(t).toContain('Người gửi đồng ý nhận thông báo qua chat');
    expect(detail.text).not.toContain(user);

    const triaged = await b.post(`/admin/tips/${id}/triage`, { category: 'drugs', urgent: 'no', status: 'in_progress', school: schools.ntt });
    expect(triaged.location).toBe(`/admin/tips/${id}?done=triaged`);
    expect(await app.db.prisma.tip.findUniqueOrThrow({ where: { id: id! } })).toMatchObject({ status: 'in_progress', schoolId: schools.ntt });

    const lastBefore = (await app.db.prisma.delivery.aggregate({ _max: { id: true } }))._max.id ?? 0n;
    const answered = await b.post(`/admin/tips/${id}/reply`, { text: 'Cảm ơn bạn. Công an phường đã được báo và đang theo dõi khu vực này.' });
    expect(answered.location).toBe(`/admin/tips/${id}?done=replied_chat`);
    expect(text((await b.get(answered.location!)).text)).toContain('báo cho người gửi qua chat rằng có trả lời mới');
    // The notice to the tipster's chat is sent by the dispatcher, then anonymised like every tip-flow message.
    await eventually(async () => {
      const d = await app.db.prisma.delivery.findFirst({ where: { id: { gt: lastBefore }, inboundEventId: null }, orderBy: { id: 'desc' } });
      return d?.status === 'sent' && d.recipient === '' && d;
    }, 'the reply notice sent and anonymised');

    await app.say(user, { payload: 'FLOW:tip_followup' });
    await app.say(user, { text: code });
    const status = await app.say(user, { text: pin });
    const seen = textOf(status.replies);
    expect(seen).toContain('Công an phường đã được báo và đang theo dõi khu vực này.');
    expect(seen).toContain('đang xử lý');

    const actions = (await app.db.prisma.auditLog.findMany({ where: { targetId: id! }, orderBy: { id: 'asc' } })).map((e) => e.action);
    expect(actions).toEqual(['tip_viewed', 'tip_triaged', 'tip_replied', 'tip_viewed']);
  });
});

describe('a tip from the web form to answer', () => {
  it('is answered in the console and the tipster reads it by looking the code up on the web form', async () => {
    const form = { category: 'school_violence', description: 'Một nhóm học sinh lớp 9 thường chặn đánh bạn ở nhà xe', place: '', schoolId: schools.ntt, urgent: 'yes' };
    const sent = await fetch(`${app.url}/tip`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });
    const html = await sent.text();
    const m = /Mã tin báo: <strong>(TB-[A-Z0-9-]+)<\/strong>.*Mã PIN: <strong>(\d{4} \d{3} \d{3})<\/strong>/s.exec(html);
    expect(m, 'code and PIN shown').not.toBeNull();
    const [, code, pin] = m!;

    const b = await signIn();
    const inbox = await b.get('/admin/tips?urgency=urgent');
    const urgentAt = inbox.text.indexOf('Tin báo khẩn cấp chờ xác nhận');
    expect(urgentAt).toBeGreaterThan(-1);
    expect(inbox.text.indexOf(code!)).toBeGreaterThan(urgentAt);
    const id = (await app.db.prisma.tip.findUniqueOrThrow({ where: { publicCode: code! } })).id;
    await b.get(`/admin/tips/${id}`);
    expect((await b.post(`/admin/tips/${id}/acknowledge`)).location).toBe(`/admin/tips/${id}?done=acknowledged`);
    const answered = await b.post(`/admin/tips/${id}/reply`, { text: 'Nhà trường đã bố trí bảo vệ ở nhà xe từ hôm nay.' });
    expect(answered.location).toBe(`/admin/tips/${id}?done=replied_lookup`);

    const lookup = await fetch(`${app.url}/tip/follow-up`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ code: code!, pin: pin! }).toString() });
    expect(lookup.status).toBe(200);
    expect(await lookup.text()).toContain('Nhà trường đã bố trí bảo vệ ở nhà xe từ hôm nay.');
  });
});
