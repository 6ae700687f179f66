import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_ROUTES } from '../../../src/admin/routes.js';
import { startConsoleApp, type ConsoleApp } from '../helpers/console-app.js';
import { fixtureTip, type FixtureTip } from './tip-fixtures.js';

// The tips inbox pages, signed in as the world's accounts: the school's tip handler (school NTT), the office admin
// (office PGD-Q7-DEMO: NTT, TP and tips naming no school), and a system admin.

let c: ConsoleApp;
let own: FixtureTip;
let urgent: FixtureTip;
let sibling: FixtureTip;
let foreign: FixtureTip;
let schoolless: FixtureTip;

beforeAll(async () => {
  c = await startConsoleApp();
  const p = c.testDb.prisma;
  own = await fixtureTip(p, { schoolId: c.world.schools.own.id, description: 'NỘI-DUNG-1 Nhóm học sinh lớp 8 đánh nhau sau giờ học', place: 'Cổng sau trường', photo: true });
  urgent = await fixtureTip(p, { schoolId: c.world.schools.own.id, urgent: true, category: 'weapons', description: 'NỘI-DUNG-2 Có người mang dao vào trường' });
  sibling = await fixtureTip(p, { schoolId: c.world.schools.sibling.id, description: 'NỘI-DUNG-3 chuyện ở Tân Phong' });
  foreign = await fixtureTip(p, { schoolId: c.world.schools.foreign.id, description: 'NỘI-DUNG-4 chuyện ở phòng khác' });
  schoolless = await fixtureTip(p, { schoolId: null, category: 'online_scam', description: 'NỘI-DUNG-5 lừa đảo qua mạng' });
});
afterAll(async () => {
  await c?.close();
});

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&amp;/g, '&').replace(/\s+/g, ' ');
const tipRow = (id: string) => c.testDb.prisma.tip.findUniqueOrThrow({ where: { id } });
const views = (id: string) => c.testDb.prisma.auditLog.count({ where: { action: 'tip_viewed', targetId: id } });

describe('the inbox page', () => {
  it("shows the school's handler its tips, urgent unacknowledged first, with codes, categories and hours only", async () => {
    const a = await (await c.signedIn('tip_handler')).get('/admin/tips');
    expect(a.status).toBe(200);
    const urgentSection = a.text.indexOf('Tin báo khẩn cấp chờ xác nhận');
    expect(urgentSection).toBeGreaterThan(-1);
    expect(a.text.indexOf(urgent.code)).toBeGreaterThan(urgentSection);
    expect(a.text.indexOf(urgent.code)).toBeLessThan(a.text.indexOf(own.code));
    expect(a.text).toContain(`href="/admin/tips/${own.id}"`);
    for (const code of [sibling.code, foreign.code, schoolless.code]) expect(a.text).not.toContain(code);
    expect(a.text).not.toContain('NỘI-DUNG');
    expect(text(a.text)).toMatch(/Vũ khí, vật nổ, pháo Trường THCS Nguyễn Thị Thập Mới nhận \d{2}\/\d{2}\/\d{4}, \d{1,2}–\d{1,2} giờ/);
    // No minute anywhere: tip times are stored to the hour.
    expect(text(a.text)).not.toMatch(/\d{1,2}:\d{2}/);
  });

  it('shows the office admin the schools of the office and the tips naming no school, and filters them', async () => {
    const b = await c.signedIn('admin');
    const all = await b.get('/admin/tips');
    for (const code of [own.code, urgent.code, sibling.code, schoolless.code]) expect(all.text).toContain(code);
    expect(all.text).not.toContain(foreign.code);
    const none = await b.get('/admin/tips?school=none');
    expect(none.text).toContain(schoolless.code);
    expect(none.text).not.toContain(own.code);
    const scams = await b.get('/admin/tips?category=online_scam&status=all');
    expect(scams.text).toContain(schoolless.code);
    expect(scams.text).not.toContain(sibling.code);
    const outside = await b.get(`/admin/tips?school=${c.world.schools.foreign.id}`);
    expect(outside.status).toBe(200);
    expect(text(outside.text)).toContain('Trường đã chọn không thuộc phạm vi của bạn.');
    expect(outside.text).not.toContain(own.code);
  });

  it('answers a bad filter with a Vietnamese message, never a 5xx', async () => {
    const b = await c.signedIn('tip_handler');
    for (const q of ['status=xoá', 'category=%3Cscript%3E', 'urgency=1&urgency=2', 'before=abc', `school=${'x'.repeat(200)}`]) {
      const a = await b.get(`/admin/tips?${q}`);
      expect(a.status, q).toBe(400);
      expect(text(a.text), q).toContain('Bộ lọc chưa đúng');
      expect(a.text).not.toContain('<script>');
    }
  });

  it('refuses teachers and school admins', async () => {
    for (const who of ['teacher', 'school_admin'] as const) {
      expect((await (await c.signedIn(who)).get('/admin/tips')).status).toBe(403);
      expect((await (await c.signedIn(who)).get(`/admin/tips/${own.id}`)).status).toBe(403);
    }
  });
});

describe('a tip page', () => {
  it('shows the decrypted text, place and photo, and records each view in the audit log', async () => {
    const before = await views(own.id);
    const b = await c.signedIn('tip_handler');
    const a = await b.get(`/admin/tips/${own.id}`);
    expect(a.status).toBe(200);
    const t = text(a.text);
    expect(t).toContain('NỘI-DUNG-1 Nhóm học sinh lớp 8 đánh nhau sau giờ học');
    expect(t).toContain('Cổng sau trường');
    expect(t).toContain('họ chỉ thấy câu trả lời khi tự tra cứu bằng mã tin báo và PIN');
    expect(a.text).toContain(`<img src="/admin/tips/${own.id}/photos/${own.photoId}"`);
    expect(await views(own.id)).toBe(before + 1);
    const entry = await c.testDb.prisma.auditLog.findFirst({ where: { action: 'tip_viewed', targetId: own.id }, orderBy: { id: 'desc' } });
    expect(entry).toMatchObject({ staffId: c.world.accounts.tip_handler.id, targetType: 'tip', schoolId: c.world.schools.own.id, officeId: c.world.office.id });

    const photo = await b.send('GET', `/admin/tips/${own.id}/photos/${own.photoId}`);
    expect(photo.status).toBe(200);
    expect(photo.headers['content-type']).toBe('image/jpeg');
    expect(photo.headers['cache-control']).toBe('no-store');
    expect(photo.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'; sandbox");
    expect(photo.headers['x-content-type-options']).toBe('nosniff');
    expect(photo.text).not.toContain('GPSLatitude');
    expect(await views(own.id)).toBe(before + 2);
    expect((await b.get(`/admin/tips/${own.id}/photos/${urgent.id}`)).status).toBe(404);
  });

  it("answers 404 to the school's handler on every tips route for another school's tip, changing and recording nothing", async () => {
    const b = await c.signedIn('tip_handler');
    const tipRoutes = CONSOLE_ROUTES.filter((r) => r.path.startsWith('/admin/tips/:id'));
    expect(tipRoutes.length).toBe(7);
    for (const target of [sibling, foreign, schoolless]) {
      const rowBefore = await tipRow(target.id);
      const auditBefore = await c.testDb.prisma.auditLog.count({ where: { targetId: target.id } });
      for (const r of tipRoutes) {
        const path = r.path.replace(':id', target.id).replace(':photoId', own.photoId!);
        const bodies: Record<string, Record<string, string>> = {
          '/admin/tips/:id/triage': { category: 'theft', urgent: 'no', status: 'triaged', school: c.world.schools.own.id },
          '/admin/tips/:id/reply': { text: 'Trả lời thử' },
          '/admin/tips/:id/notes': { text: 'Ghi chú thử' },
          '/admin/tips/:id/close': { outcome: 'resolved' },
        };
        const a = r.method === 'GET' ? await b.get(path) : await b.post(path, bodies[r.path] ?? {});
        expect(a.status, `${r.method} ${r.path}`).toBe(404);
        expect(a.text).not.toContain('NỘI-DUNG');
      }
      expect(await tipRow(target.id)).toEqual(rowBefore);
      expect(await c.testDb.prisma.tipMessage.count({ where: { tipId: target.id } })).toBe(0);
      expect(await c.testDb.prisma.auditLog.count({ where: { targetId: target.id } })).toBe(auditBefore);
    }
  });
});

describe('the forms of a tip', () => {
  it('triages, moves the tip to another school of the office, and audits it', async () => {
    const tip = await fixtureTip(c.testDb.prisma, { schoolId: c.world.schools.own.id, category: 'other' });
    const b = await c.signedIn('admin');
    await b.get(`/admin/tips/${tip.id}`);
    const a = await b.post(`/admin/tips/${tip.id}/triage`, { category: 'fire_hazard', urgent: 'no', status: 'in_progress', school: c.world.schools.sibling.id });
    expect(a.status).toBe(303);
    expect(a.location).toBe(`/admin/tips/${tip.id}?done=triaged`);
    expect(await tipRow(tip.id)).toMatchObject({ category: 'fire_hazard', status: 'in_progress', schoolId: c.world.schools.sibling.id });
    expect(text((await b.get(a.location!)).text)).toContain('Đã lưu phân loại tin báo.');
    expect(await c.testDb.prisma.auditLog.count({ where: { action: 'tip_triaged', targetId: tip.id, schoolId: c.world.schools.sibling.id } })).toBe(1);
    // The school's handler may not send a tip out of their school, nor reach it once it is elsewhere.
    const h = await c.signedIn('tip_handler');
    expect((await h.get(`/admin/tips/${tip.id}`)).status).toBe(404);
    const mine = await fixtureTip(c.testDb.prisma, { schoolId: c.world.schools.own.id });
    await h.get(`/admin/tips/${mine.id}`);
    const refused = await h.post(`/admin/tips/${mine.id}/triage`, { category: 'theft', urgent: 'no', status: 'triaged', school: c.world.schools.sibling.id });
    expect(refused.status).toBe(400);
    expect(text(refused.text)).toContain('Trường đã chọn không thuộc phạm vi của bạn.');
    expect((await tipRow(mine.id)).schoolId).toBe(c.world.schools.own.id);
  });

  it('answers bad input on every form with a Vietnamese message and changes nothing', async () => {
    const tip = await fixtureTip(c.testDb.prisma, { schoolId: c.world.schools.own.id, urgent: false });
    const b = await c.signedIn('tip_handler');
    await b.get(`/admin/tips/${tip.id}`);
    const before = await tipRow(tip.id);
    const cases: [string, string, string][] = [
      ['triage', '', 'Vui lòng chọn một lĩnh vực trong danh sách.'],
      ['triage', 'category=bomb&urgent=no&status=triaged&school=none', 'Vui lòng chọn một lĩnh vực trong danh sách.'],
      ['triage', 'category=theft&category=drugs&urgent=no&status=triaged&school=none', 'Vui lòng chọn một lĩnh vực trong danh sách.'],
      ['triage', 'category=theft&urgent=maybe&status=closed&school=none', 'Vui lòng chọn mức độ.'],
      ['triage', `category=theft&urgent=no&status=triaged&school=${encodeURIComponent('<script>alert(1)</script>')}`, 'Trường không hợp lệ.'],
      ['reply', '', 'Vui lòng nhập câu trả lời.'],
      ['reply', 'text=%20%20%20', 'Vui lòng nhập câu trả lời.'],
      ['reply', `text=${'a'.repeat(2001)}`, 'Câu trả lời tối đa 2000 ký tự.'],
      ['reply', 'text=a&text=b', 'Vui lòng nhập câu trả lời.'],
      ['notes', '', 'Vui lòng nhập ghi chú.'],
      ['notes', `text=${'ê'.repeat(4001)}`, 'Ghi chú tối đa 4000 ký tự.'],
      ['close', '', 'Vui lòng chọn kết quả xử lý.'],
      ['close', 'outcome=prank', 'Vui lòng chọn kết quả xử lý.'],
      ['acknowledge', '', 'không phải tin khẩn cấp'],
    ];
    for (const [form, body, message] of cases) {
      const a = await b.send('POST', `/admin/tips/${tip.id}/${form}`, `${body}&_csrf=${encodeURIComponent(b.csrf)}`, { 'content-type': 'application/x-www-form-urlencoded', origin: c.url });
      expect(a.status, `${form} ${body.slice(0, 40)}`).toBeGreaterThanOrEqual(400);
      expect(a.status, `${form} ${body.slice(0, 40)}`).toBeLessThan(500);
      expect(text(a.text), `${form} ${body.slice(0, 40)}`).toContain(message);
      expect(a.text).not.toContain('<script>alert(1)');
    }
    expect(await tipRow(tip.id)).toEqual(before);
    expect(await c.testDb.prisma.tipMessage.count({ where: { tipId: tip.id } })).toBe(0);
    expect(await c.testDb.prisma.auditLog.count({ where: { targetId: tip.id, action: { not: 'tip_viewed' } } })).toBe(0);
  });

  it('keeps what was typed when a form is refused, escaped', async () => {
    const tip = await fixtureTip(c.testDb.prisma, { schoolId: c.world.schools.own.id });
    const b = await c.signedIn('tip_handler');
    await b.get(`/admin/tips/${tip.id}`);
    const a = await b.post(`/admin/tips/${tip.id}/notes`, { text: `<script>alert(1)</script>${'x'.repeat(4000)}` });
    expect(a.status).toBe(400);
    expect(a.text).toContain('&lt;script>alert(1)&lt;/script>');
    expect(a.text).not.toContain('<script>alert(1)');
  });

  it('stores a note shown to handlers only, a reply shown in the thread, acknowledges an urgent tip and closes a prank as spam', async () => {
    const tip = await fixtureTip(c.testDb.prisma, { schoolId: c.world.schools.own.id, urgent: true });
    const b = await c.signedIn('tip_handler');
    await b.get(`/admin/tips/${tip.id}`);
    expect((await b.post(`/admin/tips/${tip.id}/acknowledge`)).location).toBe(`/admin/tips/${tip.id}?done=acknowledged`);
    expect((await tipRow(tip.id)).acknowledgedAt).not.toBeNull();
    expect((await b.post(`/admin/tips/${tip.id}/acknowledge`)).location).toBe(`/admin/tips/${tip.id}?done=already_acknowledged`);
    expect((await b.post(`/admin/tips/${tip.id}/notes`, { text: 'Gọi bảo vệ kiểm tra <b>cổng sau</b>' })).location).toBe(`/admin/tips/${tip.id}?done=noted`);
    expect((await b.post(`/admin/tips/${tip.id}/reply`, { text: 'Cảm ơn bạn, nhà trường đang kiểm tra.' })).location).toBe(`/admin/tips/${tip.id}?done=replied_lookup`);
    const page = await b.get(`/admin/tips/${tip.id}?done=replied_lookup`);
    const t = text(page.text);
    expect(t).toContain('họ sẽ thấy câu trả lời khi tự tra cứu bằng mã tin báo và PIN.');
    expect(t).toContain('Cán bộ trả lời');
    expect(t).toContain('Cảm ơn bạn, nhà trường đang kiểm tra.');
    expect(t).toContain(`${c.world.accounts.tip_handler.name} ·`);
    expect(page.text).toContain('Gọi bảo vệ kiểm tra &lt;b>cổng sau&lt;/b>');
    expect((await b.post(`/admin/tips/${tip.id}/close`, { outcome: 'spam' })).location).toBe(`/admin/tips/${tip.id}?done=closed`);
    expect(await tipRow(tip.id)).toMatchObject({ status: 'closed', outcome: 'spam' });
    const closed = text((await b.get(`/admin/tips/${tip.id}`)).text);
    expect(closed).toContain('Đã đóng: Tin rác, tin báo sai sự thật hoặc trêu đùa');
    expect(closed).not.toContain('Lưu phân loại');
    const refused = await b.post(`/admin/tips/${tip.id}/close`, { outcome: 'resolved' });
    expect(refused.status).toBe(409);
    expect(text(refused.text)).toContain('Tin báo đã đóng nên không thay đổi được nữa.');
    const actions = (await c.testDb.prisma.auditLog.findMany({ where: { targetId: tip.id, action: { not: 'tip_viewed' } }, orderBy: { id: 'asc' } })).map((e) => e.action);
    expect(actions).toEqual(['tip_acknowledged', 'tip_note_added', 'tip_replied', 'tip_closed']);
  });
});
