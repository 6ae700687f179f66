import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../../src/content/catalogue.js';
import { staffBroadcastMessages } from '../../../src/services/broadcasts/staff-broadcast-messages.js';
import { itemMessages, typedMessages } from '../../../src/flows/broadcast-message.js';
import { BroadcastFixtures } from '../../services/broadcasts/fixtures.js';
import type { Browser } from '../helpers/browser.js';
import { startConsoleApp, type ConsoleApp } from '../helpers/console-app.js';

// Composing a broadcast in the console: the form, its preview on each channel with the reach forecast, then "Gửi";
// the audience must lie in the account's scope, bad input gets a Vietnamese message, and nothing is stored until the
// person sends the draft whose forecast they saw.

const HOUR = 3600_000;
const DAY = 24 * HOUR;
let c: ConsoleApp;
let fx: BroadcastFixtures;
const catalogue = loadCatalogue();

/** Moves the test clock forward to the next `hour`:00 in Vietnam (UTC+7), so quiet hours do not depend on when tests run. */
function advanceToVnHour(hour: number): void {
  const now = c.clock.now().getTime();
  let t = Math.floor((now + 7 * HOUR) / DAY) * DAY + hour * HOUR - 7 * HOUR;
  while (t <= now) t += DAY;
  c.clock.advance(t - now);
}

beforeAll(async () => {
  c = await startConsoleApp();
  fx = new BroadcastFixtures(c.testDb.prisma);
  advanceToVnHour(10);
  const now = c.clock.now().getTime();
  const own = c.world.classes.own.id;
  const school = c.world.schools.own.id;
  // Class 6A1: a parent who wrote an hour ago on Zalo, one who opted out, one who never wrote; a student on
  // Messenger two days ago (outside its 24 h window) and one an hour ago.
  await fx.contact({ channel: 'zalo', role: 'parent', schoolId: school, classId: own, wrote: new Date(now - HOUR) });
  await fx.contact({ channel: 'zalo', role: 'parent', schoolId: school, classId: own, wrote: new Date(now - HOUR), subscribed: false });
  await fx.contact({ channel: 'zalo', role: 'parent', schoolId: school, classId: own, wrote: null });
  await fx.contact({ channel: 'messenger', role: 'student', schoolId: school, classId: own, wrote: new Date(now - 2 * DAY) });
  await fx.contact({ channel: 'messenger', role: 'student', schoolId: school, classId: own, wrote: new Date(now - HOUR) });
});
afterAll(async () => {
  await c?.close();
});

const broadcasts = () => c.testDb.prisma.broadcast.count();

type Form = Record<string, string | string[]>;
/** A url-encoded form with repeated fields for checkbox groups (the Browser helper takes single values). */
async function post(b: Browser, path: string, form: Form) {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(form)) for (const x of Array.isArray(v) ? v : [v]) body.append(k, x);
  body.append('_csrf', b.csrf);
  const a = await b.send('POST', path, body.toString(), { 'content-type': 'application/x-www-form-urlencoded', origin: c.url });
  const token = /<meta name="csrf-token" content="([^"]*)"/.exec(a.text)?.[1];
  if (token) b.csrf = token;
  return a;
}

/** The hidden fields of the "Gửi" form of a preview page. */
function sendForm(html: string): Form {
  const form = /<form method="post" action="\/admin\/broadcasts" [^>]*>([\s\S]*?)<\/form>/.exec(html)?.[1] ?? '';
  const out: Form = {};
  for (const m of form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) {
    const [name, raw] = [m[1]!, m[2]!.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')];
    if (name === '_csrf') continue;
    const prev = out[name];
    out[name] = prev === undefined ? raw : [...(Array.isArray(prev) ? prev : [prev]), raw];
  }
  return out;
}

async function signedIn(who: 'admin' | 'school_admin' | 'teacher' | 'system_admin'): Promise<Browser> {
  const b = await c.signedIn(who);
  await b.get('/admin/broadcasts/new');
  return b;
}

describe('composing a broadcast', () => {
  it('previews it on each channel with the reach forecast, storing nothing, then sends it on "Gửi"', async () => {
    const b = await signedIn('school_admin');
    const before = await broadcasts();
    const form = { classes: c.world.classes.own.id, roles: ['parent', 'student'], source: 'text', text: 'Họp phụ huynh lúc 19:00 thứ Sáu tại phòng 6A1.', when: 'now' };
    const shown = await post(b, '/admin/broadcasts/preview', form);
    expect(shown.status).toBe(200);
    expect(shown.text).toContain('Họp phụ huynh lúc 19:00 thứ Sáu tại phòng 6A1.');
    expect(shown.text).toContain('— Thông báo của Trường THCS Nguyễn Thị Thập.');
    expect(shown.text).toContain('Gõ “DỪNG” nếu không muốn nhận thông báo nữa.');
    expect(shown.text).toContain('Dự báo số người nhận');
    expect(shown.text).toContain('5 người trong nhóm nhận.');
    // Zalo: one now, one opted out, one never wrote; Messenger: one now, one outside the 24-hour window.
    const zalo = /<td>Zalo<\/td><td>1<\/td><td>0<\/td><td>0<\/td><td>([^<]*)<\/td>/.exec(shown.text)?.[1];
    expect(zalo?.split('; ').sort()).toEqual(['1 chưa từng nhắn tin với trang', '1 đã tắt nhận thông báo']);
    expect(shown.text).toMatch(/<td>Messenger<\/td><td>1<\/td><td>0<\/td><td>0<\/td><td>1 quá 24 giờ chưa nhắn tin<\/td>/);
    expect(await broadcasts()).toBe(before);

    const sent = await post(b, '/admin/broadcasts', sendForm(shown.text));
    expect(sent.status).toBe(303);
    const id = /\/admin\/broadcasts\/([^?]+)/.exec(sent.location ?? '')![1]!;
    const row = await c.testDb.prisma.broadcast.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: 'scheduled', needsApproval: false, createdByStaffId: c.world.accounts.school_admin.id, createdByContactId: null });
    expect(row.audience).toMatchObject({ schoolIds: [], classIds: [c.world.classes.own.id], roles: ['parent', 'student'], onlyUnpledged: false, includeGroups: false });
    expect(row.sendAt.getTime()).toBe(c.clock.now().getTime());
    const page = await b.get(sent.location!);
    expect(page.text).toContain('Đã tạo thông báo.');
    expect(page.text).toContain(row.code);
    const [entry] = await c.testDb.prisma.auditLog.findMany({ where: { action: 'broadcast_created', targetId: id } });
    expect(entry).toMatchObject({ staffId: c.world.accounts.school_admin.id, schoolId: c.world.schools.own.id, detail: { code: row.code, classes: 1, roles: 'parent,student' } });
  });

  it('schedules it at a Vietnam date and time, and says when in the preview', async () => {
    const b = await signedIn('admin');
    const tomorrow = new Date(c.clock.now().getTime() + DAY + 7 * HOUR);
    const date = tomorrow.toISOString().slice(0, 10);
    const form = { schools: c.world.schools.own.id, roles: 'parent', source: 'text', text: 'Nhắc đội mũ bảo hiểm.', when: 'later', date, time: '07:30' };
    const shown = await post(b, '/admin/broadcasts/preview', form);
    expect(shown.status).toBe(200);
    const [y, m, d] = date.split('-');
    expect(shown.text).toContain(`Hẹn gửi lúc 07:30 ${d}/${m}/${y} (giờ Việt Nam).`);
    expect(shown.text).toContain('Hẹn giờ gửi thông báo');
    const sent = await post(b, '/admin/broadcasts', sendForm(shown.text));
    expect(sent.status).toBe(303);
    const id = /\/admin\/broadcasts\/([^?]+)/.exec(sent.location ?? '')![1]!;
    const row = await c.testDb.prisma.broadcast.findUniqueOrThrow({ where: { id } });
    expect(row.sendAt.toISOString()).toBe(`${date}T00:30:00.000Z`);
    expect(row.audience).toMatchObject({ schoolIds: [c.world.schools.own.id], classIds: [] });
  });

  it('signs a teacher’s broadcast as the class teacher’s, and sends a reviewed catalogue item as the chat shows it', async () => {
    const b = await signedIn('teacher');
    const item = catalogue.items().find((i) => !i.needsReview && i.audience.includes('parent'))!;
    const shown = await post(b, '/admin/broadcasts/preview', { classes: c.world.classes.own.id, roles: 'parent', onlyUnpledged: 'on', source: 'item', item: item.id, when: 'now' });
    expect(shown.status).toBe(200);
    expect(shown.text).toContain('— Thông báo của giáo viên lớp 6A1, Trường THCS Nguyễn Thị Thập.');
    expect(shown.text).toContain(item.title.toUpperCase().replace(/&/g, '&amp;'));
    expect(shown.text).toContain('Ký cam kết ngay');
    const sent = await post(b, '/admin/broadcasts', sendForm(shown.text));
    expect(sent.status).toBe(303);
  });

  it('asks to look at the preview again when the draft changed after it, storing nothing', async () => {
    const b = await signedIn('school_admin');
    const shown = await post(b, '/admin/broadcasts/preview', { classes: c.world.classes.own.id, roles: 'parent', source: 'text', text: 'Bản một', when: 'now' });
    const before = await broadcasts();
    const changed = { ...sendForm(shown.text), text: 'Bản hai, chưa xem trước' };
    const a = await post(b, '/admin/broadcasts', changed);
    expect(a.status).toBe(409);
    expect(a.text).toContain('Nội dung hoặc người nhận đã thay đổi so với bản xem trước');
    expect(a.text).toContain('Bản hai, chưa xem trước');
    expect(await broadcasts()).toBe(before);
  });
});

describe('what a console account may address', () => {
  it('answers 404 to a teacher for another class, the whole school or another school, storing nothing', async () => {
    const b = await signedIn('teacher');
    const page = await b.get('/admin/broadcasts/new');
    expect(page.text).toContain('Lớp 6A1 – Trường THCS Nguyễn Thị Thập');
    expect(page.text).not.toContain('Lớp 6A2');
    expect(page.text).not.toContain('Cả trường');
    const before = await broadcasts();
    const audiences: Form[] = [{ classes: c.world.classes.sameSchool.id }, { schools: c.world.schools.own.id }, { classes: c.world.classes.foreign.id }];
    for (const audience of audiences) {
      for (const path of ['/admin/broadcasts/preview', '/admin/broadcasts']) {
        const a = await post(b, path, { ...audience, roles: 'parent', source: 'text', text: 'Thông báo', when: 'now' });
        expect(a.status, `${path} ${JSON.stringify(audience)}`).toBe(404);
      }
    }
    expect(await broadcasts()).toBe(before);
  });

  it('answers 404 to a school admin for another school of the office', async () => {
    const b = await signedIn('school_admin');
    const a = await post(b, '/admin/broadcasts/preview', { schools: c.world.schools.sibling.id, roles: 'parent', source: 'text', text: 'Thông báo', when: 'now' });
    expect(a.status).toBe(404);
  });

  it('lets an office admin list a school’s classes and address schools of the office', async () => {
    const b = await signedIn('admin');
    const page = await b.get(`/admin/broadcasts/new?school=${c.world.schools.sibling.id}`);
    expect(page.text).toContain('Cả trường: Trường Tiểu học Tân Phong');
    expect(page.text).toContain('Lớp 1A – Trường Tiểu học Tân Phong');
    const a = await post(b, '/admin/broadcasts/preview', { schools: [c.world.schools.own.id, c.world.schools.sibling.id], roles: ['parent', 'teacher', 'staff'], source: 'text', text: 'Thông báo chung', when: 'now' });
    expect(a.status).toBe(200);
    expect(a.text).toContain('— Thông báo của Trường THCS Nguyễn Thị Thập, Trường Tiểu học Tân Phong.');
  });
});

describe('bad input on the compose form', () => {
  const own = () => c.world.classes.own.id;
  it.each([
    ['no text', () => ({ classes: own(), roles: 'parent', source: 'text', text: '   ', when: 'now' }), 'Vui lòng nhập nội dung thông báo.'],
    ['a text too long', () => ({ classes: own(), roles: 'parent', source: 'text', text: 'a'.repeat(1501), when: 'now' }), 'Nội dung dài quá 1.500 ký tự.'],
    ['no school or class', () => ({ roles: 'parent', source: 'text', text: 'Thông báo', when: 'now' }), 'Chọn ít nhất một trường hoặc lớp'],
    ['no one to receive it', () => ({ classes: own(), source: 'text', text: 'Thông báo', when: 'now' }), 'Chọn ít nhất một trường hoặc lớp, và ít nhất một đối tượng nhận'],
    ['an unknown role', () => ({ classes: own(), roles: 'hacker', source: 'text', text: 'Thông báo', when: 'now' }), 'Đối tượng nhận không hợp lệ.'],
    ['only the unpledged among teachers', () => ({ classes: own(), roles: 'teacher', onlyUnpledged: 'on', source: 'text', text: 'Thông báo', when: 'now' }), 'chỉ dùng khi gửi cho phụ huynh hoặc học sinh'],
    ['a time in the past', () => ({ classes: own(), roles: 'parent', source: 'text', text: 'Thông báo', when: 'later', date: '2020-01-01', time: '07:00' }), 'Thời điểm gửi đã qua.'],
    ['a time too far ahead', () => ({ classes: own(), roles: 'parent', source: 'text', text: 'Thông báo', when: 'later', date: new Date(c.clock.now().getTime() + 70 * DAY).toISOString().slice(0, 10), time: '07:00' }), 'Chỉ hẹn giờ được trong vòng 60 ngày tới.'],
    ['a date that does not exist', () => ({ classes: own(), roles: 'parent', source: 'text', text: 'Thông báo', when: 'later', date: '2027-02-30', time: '07:00' }), 'Ngày giờ gửi không hợp lệ.'],
    ['a schedule without a time', () => ({ classes: own(), roles: 'parent', source: 'text', text: 'Thông báo', when: 'later', date: '2027-02-03' }), 'Chọn ngày và giờ gửi (giờ Việt Nam).'],
    ['an unknown item', () => ({ classes: own(), roles: 'parent', source: 'item', item: 'khong-co', when: 'now' }), 'Chọn một tin trong danh sách.'],
    ['an item awaiting review', () => ({ classes: own(), roles: 'parent', source: 'item', item: catalogue.items().find((i) => i.needsReview)!.id, when: 'now' }), 'Tin này đang chờ kiểm tra'],
    ['an unknown send choice', () => ({ classes: own(), roles: 'parent', source: 'text', text: 'Thông báo', when: 'sometime' }), 'Chọn gửi ngay hoặc hẹn giờ.'],
    ['a text sent twice', () => ({ classes: own(), roles: 'parent', source: 'text', text: ['Một', 'Hai'], when: 'now' }), 'Chưa gửi được'],
  ])('answers %s with a Vietnamese message and stores nothing', async (_why, form, message) => {
    const b = await signedIn('school_admin');
    const before = await broadcasts();
    for (const path of ['/admin/broadcasts/preview', '/admin/broadcasts']) {
      const a = await post(b, path, form() as Form);
      expect(a.status, path).toBe(400);
      expect(a.text, path).toContain(message);
    }
    expect(await broadcasts()).toBe(before);
  });

  it('keeps HTML in the text as text: shown escaped in the preview', async () => {
    const b = await signedIn('school_admin');
    const a = await post(b, '/admin/broadcasts/preview', { classes: own(), roles: 'parent', source: 'text', text: '<script>alert(1)</script> họp lớp', when: 'now' });
    expect(a.status).toBe(200);
    expect(a.text).toContain('&lt;script>alert(1)&lt;/script> họp lớp');
    expect(a.text).not.toContain('<script>alert(1)');
  });

  it('is refused to tip handlers', async () => {
    const b = await c.signedIn('tip_handler');
    expect((await b.get('/admin/broadcasts/new')).status).toBe(403);
  });
});

describe('the console’s broadcast messages', () => {
  it('are what the chat sends for the same text or item and sender', () => {
    const item = catalogue.items().find((i) => i.sourceUrl) ?? catalogue.items()[0]!;
    for (const pledgeButton of [false, true]) {
      expect(staffBroadcastMessages({ text: 'Họp phụ huynh.' }, { kind: 'school', name: 'Trường A' }, { pledgeButton })).toEqual(typedMessages('Họp phụ huynh.', null, { kind: 'school', schoolName: 'Trường A' }, { pledgeButton }));
      expect(staffBroadcastMessages({ text: 'Họp phụ huynh.' }, { kind: 'class', className: '6A1', schoolName: 'Trường A' }, { pledgeButton })).toEqual(
        typedMessages('Họp phụ huynh.', null, { kind: 'class', className: '6A1', schoolName: 'Trường A' }, { pledgeButton }),
      );
      expect(staffBroadcastMessages({ item }, { kind: 'school', name: 'Trường A' }, { pledgeButton })).toEqual(itemMessages(item, { kind: 'school', schoolName: 'Trường A' }, { pledgeButton }));
    }
  });
});
