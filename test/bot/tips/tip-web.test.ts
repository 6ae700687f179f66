import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { awayFromWindowEdge, postFrom } from './tip-helpers.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({}, { logLevel: 'debug' });
  // Follow-up lookups from this address are counted per clock hour: keep the whole file inside one.
  await awayFromWindowEdge(3600_000, 50_000);
});
afterAll(async () => {
  await app?.close();
});

const UA = 'TipFormTestAgent/9.9';
const post = (path: string, fields: Record<string, string>) =>
  fetch(`${app.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': UA }, body: new URLSearchParams(fields).toString() });

async function submit(description: string, extra: Record<string, string> = {}) {
  const res = await post('/tip', { category: 'school_violence', description, place: '', schoolId: '', urgent: 'no', ...extra });
  const html = await res.text();
  const m = /Mã tin báo: <strong>(TB-[A-Z0-9-]+)<\/strong>.*Mã PIN: <strong>(\d{4} \d{3} \d{3})<\/strong>/s.exec(html);
  return { res, html, code: m?.[1], pin: m?.[2] };
}

describe('the web tip form', () => {
  it('serves a phone-friendly Vietnamese form with emergency numbers, no cookies and a strict CSP', async () => {
    const res = await fetch(`${app.url}/tip`, { headers: { 'user-agent': UA } });
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    expect(html).toContain('name="viewport"');
    expect(html).toContain('<html lang="vi">');
    for (const n of ['113', '114', '115', '111']) expect(html).toContain(`tel:${n}`);
    expect(html).toContain('Có ai đang gặp nguy hiểm ngay lúc này không?');
    expect(html).toContain('Trường THCS Nguyễn Thị Thập');
    expect(html).not.toContain('<script');
  });

  it('stores a tip and shows its code and PIN once; the address and user agent are stored and logged nowhere', async () => {
    const { res, code, pin } = await submit('ZEBRA-7781 Nhóm học sinh lớp 9 bắt nạt một bạn sau giờ học ở công viên', { place: 'Công viên ZEBRA-7782', urgent: 'yes' });
    expect(res.status).toBe(200);
    expect(code).toMatch(/^TB-/);
    expect(pin).toMatch(/^\d{4} \d{3} \d{3}$/);
    const tip = await app.db.prisma.tip.findUniqueOrThrow({ where: { publicCode: code! } });
    expect(tip.urgent).toBe(true);
    expect(tip.replyHandleCipher).toBeNull();
    const tables = await app.db.prisma.$queryRawUnsafe<{ table_name: string }[]>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
    );
    for (const { table_name } of tables) {
      const rows = await app.db.prisma.$queryRawUnsafe<{ j: string }[]>(`SELECT row_to_json(t)::text AS j FROM "${table_name}" t`);
      for (const { j } of rows) {
        for (const needle of ['ZEBRA-7781', 'ZEBRA-7782', '127.0.0.1', UA]) expect(j.includes(needle), `${table_name}: ${j.slice(0, 120)}`).toBe(false);
      }
    }
    expect(await app.db.prisma.submissionWindow.count()).toBeGreaterThan(0);
    for (const line of app.logs.lines) for (const needle of ['ZEBRA', '127.0.0.1', UA, code!, pin!]) expect(line).not.toContain(needle);
  });

  it('re-shows the form with the problems and the typed values, escaped', async () => {
    const res = await post('/tip', { category: 'theft', description: '<b>ab</b>', urgent: '' });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('ít nhất 10 ký tự');
    expect(html).toContain('&lt;b&gt;ab&lt;/b&gt;');
    expect(html).not.toContain('<b>ab');
    expect(html).toContain('Bạn cho biết có ai đang gặp nguy hiểm không.');
  });

  it('follows up with code and PIN, and takes more information', async () => {
    const { code, pin } = await submit('Có người bán hàng cấm trước cổng trường vào buổi sáng');
    const wrong = await post('/tip/follow-up', { code: code!, pin: pin === '1111111111' ? '2222222222' : '1111111111' });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain('Mã tin báo hoặc PIN không đúng.');
    const ok = await post('/tip/follow-up', { code: code!.toLowerCase(), pin: pin! });
    const html = await ok.text();
    expect(html).toContain(`Tin báo ${code} (Bạo lực học đường)`);
    const grant = /name="grant" value="([^"]+)"/.exec(html)![1]!;
    const added = await post('/tip/follow-up/add', { grant, text: 'Bổ sung: thường lúc 6 giờ 30' });
    expect(await added.text()).toContain('Đã bổ sung vào tin báo');
    const forged = await post('/tip/follow-up/add', { grant: grant.slice(0, -3) + 'AAA', text: 'giả mạo' });
    expect(forged.status).toBe(400);
    const tip = await app.db.prisma.tip.findUniqueOrThrow({ where: { publicCode: code! }, include: { messages: true } });
    expect(tip.messages).toHaveLength(1);
  });

  it('lets three wrong PINs of one address through even when they arrive at once, then answers 429 with Retry-After; another address still gets in', async () => {
    const { code, pin } = await submit('Có người lạ hay đứng chờ học sinh ở cổng sau của trường');
    const digits = pin!.replace(/ /g, '');
    const wrongPins = Array.from({ length: 6 }, (_, i) => String(1_000_000_000 + i)).filter((p) => p !== digits);
    const answers = await Promise.all(wrongPins.map((p) => post('/tip/follow-up', { code: code!, pin: p })));
    expect(answers.map((a) => a.status).sort()).toEqual([400, 400, 400, ...Array(wrongPins.length - 3).fill(429)]);
    const blocked = answers.find((a) => a.status === 429)!;
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(blocked.headers.get('retry-after'))).toBeLessThanOrEqual(3600);
    expect(await blocked.text()).toMatch(/Bạn đã thử quá nhiều lần\. Vui lòng đợi \d+ phút nữa rồi thử lại\./);
    // The right PIN from the guessing address waits too (a wait says nothing about the PIN) …
    const right = await post('/tip/follow-up', { code: code!, pin: pin! });
    expect(right.status).toBe(429);
    expect(await right.text()).not.toContain(`Tin báo ${code}`);
    // … but the guesses do not keep the tipster out: from another address the right PIN works at once.
    const other = await postFrom(`${app.url}/tip/follow-up`, '127.0.0.2', new URLSearchParams({ code: code!, pin: pin! }).toString(), {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(other.status).toBe(200);
    expect(other.text).toContain(`Tin báo ${code}`);
    const rows = await app.db.prisma.attemptWindow.findMany();
    expect(rows.length).toBeGreaterThan(0);
    expect(JSON.stringify(rows)).not.toMatch(/127\.0\.0|TB-/);
  });

  it('answers a form with a field sent twice with the form again and a Vietnamese message, not a crash', async () => {
    const body = 'category=theft&description=' + encodeURIComponent('Mất xe đạp ở nhà xe sau giờ học') + '&place=a&place=b&urgent=no';
    const res = await fetch(`${app.url}/tip`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    expect(html).toContain('mục bị gửi trùng: Địa điểm');
    expect(html).toContain('<form method="post" action="/tip">');
    expect(html).toContain('Mất xe đạp ở nhà xe sau giờ học');
    const lookup = await fetch(`${app.url}/tip/follow-up`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'code=a&code=b&pin=1' });
    expect(lookup.status).toBe(400);
    expect(await lookup.text()).toContain('mục bị gửi trùng');
    const tooMany = Array.from({ length: 30 }, (_, i) => `f${i}=x`).join('&');
    const many = await fetch(`${app.url}/tip`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: tooMany });
    expect(many.status).toBe(400);
    expect(await many.text()).toContain('Biểu mẫu gửi lên không đọc được');
  });

  it('rate-limits submissions per address per day without storing the address', async () => {
    // Earlier tests in this file already sent some from the same address today: five in all are allowed.
    const used = (await app.db.prisma.tip.count()) as number;
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await submit(`Tin báo thử số ${i} để kiểm tra giới hạn gửi`)).res.status);
    expect(used).toBeLessThan(5);
    expect(statuses).toEqual([...Array(5 - used).fill(200), ...Array(1 + used).fill(429)]);
    const windows = await app.db.prisma.submissionWindow.findMany();
    expect(windows.every((w) => !w.key.includes('127.0.0.1'))).toBe(true);
  });
});
