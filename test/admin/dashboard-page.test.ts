import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHART_MAX_ROWS, PledgeSection } from '../../src/admin/pages/dashboard/pledge-section.js';
import { renderFragment } from '../../src/admin/views/render.js';
import { startConsoleApp, type ConsoleApp } from './helpers/console-app.js';
import { seedConsoleFigures, type SeededFigures } from './helpers/console-figures.js';
import { captionsOf, dataImagesOf, rowWith, rowsWith, sectionOf } from './helpers/html.js';

// The dashboard page (/admin) over HTTP, signed in as each role, against figures written into the console world:
// what each role sees, that the numbers are the database's, that nothing names a pupil, a tipster or a token.

let c: ConsoleApp;
let f: SeededFigures;
beforeAll(async () => {
  c = await startConsoleApp();
  f = await seedConsoleFigures(c);
});
afterAll(async () => {
  await c?.close();
});

async function dashboard(who: Parameters<ConsoleApp['signedIn']>[0], query = '') {
  const b = await c.signedIn(who);
  const a = await b.get(`/admin${query}`);
  return a;
}

/** What no dashboard may ever show. */
function expectNothingPersonal(html: string): void {
  expect(html).not.toContain(f.pupilName);
  expect(html).not.toContain('Người Ngoài Danh Sách');
  expect(html).not.toContain('BI-MAT');
  expect(html).not.toContain('TOKEN-SECRET');
}

describe('the dashboard of an office admin', () => {
  it('counts pledges per school of the office against the roster, in a chart image and a table with a caption', async () => {
    const a = await dashboard('admin');
    expect(a.status).toBe(200);
    const pledges = sectionOf(a.text, 'cam-ket')!;
    expect(pledges).toContain(f.campaign.title);
    // Per school: valid pledges against the roster size (NTT: roster 8, parents 3 valid, students 2).
    expect(rowWith(pledges, f.schoolNames.own)).toEqual([f.schoolNames.own, '8', '3', '37,5%', '2', '25%']);
    expect(rowWith(pledges, f.schoolNames.sibling).slice(1, 4)).toEqual(['3', '1', '33,3%']);
    expect(rowsWith(pledges, f.schoolNames.foreign)).toEqual([]);
    expect(rowWith(pledges, 'Tổng cộng').slice(1, 3)).toEqual(['11', '4']);
    expect(captionsOf(pledges)).toContain(`Cam kết theo trường: ${f.campaign.title}`);
    // Each school links to its own view.
    expect(pledges).toContain(`href="/admin?school=${c.world.schools.own.id}"`);
    const [chart] = dataImagesOf(pledges);
    expect(chart?.type).toBe('image/svg+xml');
    expect(chart?.alt).toContain('Số liệu đầy đủ ở bảng');
    expect(chart?.content).toMatch(/^<svg /);
    expect(chart?.content).toContain(f.schoolNames.own);
    expect(chart?.content).toContain('3/8 (38 %)');
    expect(chart?.content).not.toContain('<script');
    expectNothingPersonal(a.text);
  });

  it('puts the urgent tips nobody acknowledged on top, with their codes linked to their pages, the office’s only', async () => {
    const a = await dashboard('admin');
    const tips = sectionOf(a.text, 'tin-bao')!;
    // Above the pledges while an urgent tip waits.
    expect(a.text.indexOf('id="tin-bao"')).toBeLessThan(a.text.indexOf('id="cam-ket"'));
    expect(tips).toContain('3 tin báo khẩn cấp');
    for (const t of [f.tips.ownUrgent, f.tips.siblingUrgent, f.tips.noSchoolUrgent]) expect(tips).toContain(`href="/admin/tips/${t.id}"`);
    expect(tips).not.toContain(f.tips.foreignUrgent.code);
    expect(rowWith(tips, f.tips.ownUrgent.code)).toEqual([f.tips.ownUrgent.code, 'Bạo lực học đường', f.schoolNames.own, expect.stringMatching(/^\d\d:00 \d\d\/\d\d\/\d{4}$/)]);
    expect(rowWith(tips, f.tips.noSchoolUrgent.code)[2]).toBe('Không nêu trường');
    // By status: 5 of the office's (own 4 of which 1 closed, sibling 1, no school 1 → new 4, closed 1).
    expect(rowWith(tips, 'Mới nhận')).toEqual(['Mới nhận', '4', '3', '3']);
    expect(rowWith(tips, 'Đã đóng')).toEqual(['Đã đóng', '1', '0', '0']);
    expect(rowWith(tips, 'Tổng cộng')).toEqual(['Tổng cộng', '5', '3', '3']);
    expectNothingPersonal(a.text);
  });

  it('lists the week’s broadcasts with their delivery figures', async () => {
    const a = await dashboard('admin');
    const b = sectionOf(a.text, 'thong-bao')!;
    const row = rowWith(b, f.broadcastCode);
    // 4 people of the school: 2 sent (2 delivered, 1 seen), 1 skipped (window closed), 1 still queued.
    expect(row.slice(2, 8)).toEqual(['Đã gửi', '4', '2', '2', '1', '1']);
    expect(row[8]).toContain('Bỏ qua 1: 1 quá thời hạn được nhắn');
  });

  it('shows channel health: the Zalo token’s expiry, the last webhook per channel, waiting sends, alerts, unhealthy groups', async () => {
    const a = await dashboard('admin');
    const h = sectionOf(a.text, 'kenh')!;
    expect(rowWith(h, 'zalo:oa-console-test')).toEqual(['zalo:oa-console-test', expect.any(String), 'Còn 40 phút', 'Chưa làm mới', 'Zalo -124: refresh token invalid']);
    expect(rowsWith(h, 'Zalo', { exact: true }).map((r) => r[2])).toEqual(['7 phút']);
    const messenger = rowsWith(h, 'Messenger', { exact: true });
    expect(messenger.map((r) => r.length === 3 && r[2])).toContain('1 giờ 35 phút');
    expect(messenger.some((r) => r[1] === 'chờ giới hạn tốc độ gửi' && r[2] === '1')).toBe(true);
    expect(h).toContain('Không làm mới được mã truy cập Zalo OA.');
    expect(rowWith(h, f.groupName).slice(1, 4)).toEqual([f.classNames.own, f.schoolNames.own, 'Nhóm đã tắt nhắn tin (mã -237)']);
    expectNothingPersonal(a.text);
  });

  it('narrows to one school of the office: its classes against their rosters', async () => {
    const a = await dashboard('admin', `?school=${c.world.schools.own.id}`);
    expect(a.status).toBe(200);
    expect(a.text).toContain(`Đang xem: <strong>${f.schoolNames.own}</strong>`);
    expect(a.text).toMatch(new RegExp(`<option value="${c.world.schools.own.id}" selected`));
    const pledges = sectionOf(a.text, 'cam-ket')!;
    // 6A1: roster 6, parents 2 on the roster (and 1 outside it), students 1.
    expect(rowWith(pledges, f.classNames.own)).toEqual([f.classNames.own, '6', '2', '33,3%', '1', '16,7%', '1 phụ huynh, 0 học sinh']);
    expect(rowWith(pledges, f.classNames.sameSchool).slice(1, 6)).toEqual(['2', '0', '0%', '1', '50%']);
    const tips = sectionOf(a.text, 'tin-bao')!;
    expect(tips).toContain(f.tips.ownUrgent.code);
    expect(tips).not.toContain(f.tips.siblingUrgent.code);
    expect(tips).not.toContain(f.tips.noSchoolUrgent.code);
  });

  it('answers 404 for a school of another office, and a plain Vietnamese 400 for a malformed filter', async () => {
    expect((await dashboard('admin', `?school=${c.world.schools.foreign.id}`)).status).toBe(404);
    expect((await dashboard('admin', `?school=${encodeURIComponent('<script>alert(1)</script>')}`)).status).toBe(404);
    for (const q of ['?school=a&school=b', `?school=${'x'.repeat(65)}`]) {
      const a = await dashboard('admin', q);
      expect(a.status, q).toBe(400);
      expect(a.text).toContain('Trường được chọn không hợp lệ.');
      expect(sectionOf(a.text, 'cam-ket')).toBeNull();
    }
  });
});

describe('the dashboard of the other roles', () => {
  it('gives a school admin their classes, tip counts without codes, and channel health', async () => {
    const a = await dashboard('school_admin');
    expect(a.status).toBe(200);
    expect(a.text).not.toContain('name="school"');
    const pledges = sectionOf(a.text, 'cam-ket')!;
    expect(rowWith(pledges, f.classNames.own).slice(1, 3)).toEqual(['6', '2']);
    expect(rowsWith(pledges, f.schoolNames.sibling)).toEqual([]);
    const tips = sectionOf(a.text, 'tin-bao')!;
    expect(tips).toContain('1 tin báo khẩn cấp');
    expect(tips).not.toContain(f.tips.ownUrgent.code);
    expect(tips).not.toContain('/admin/tips/');
    expect(rowWith(tips, 'Tổng cộng')).toEqual(['Tổng cộng', '3', '1', '1']);
    expect(sectionOf(a.text, 'kenh')).toContain('Mã truy cập Zalo OA');
    expectNothingPersonal(a.text);
  });

  it('gives a teacher only their class: its pledges, the broadcast counted over its pupils, its groups; no tips, no system health', async () => {
    const a = await dashboard('teacher');
    expect(a.status).toBe(200);
    const pledges = sectionOf(a.text, 'cam-ket')!;
    expect(rowWith(pledges, f.classNames.own).slice(1, 3)).toEqual(['6', '2']);
    expect(rowsWith(pledges, f.classNames.sameSchool)).toEqual([]);
    expect(sectionOf(a.text, 'tin-bao')).toBeNull();
    // The school-wide broadcast, over the 3 people of 6A1 only.
    expect(rowWith(sectionOf(a.text, 'thong-bao')!, f.broadcastCode).slice(3, 5)).toEqual(['3', '2']);
    const h = sectionOf(a.text, 'kenh')!;
    expect(h).toContain(f.groupName);
    expect(h).not.toContain('Mã truy cập Zalo OA');
    expect(h).not.toContain('Webhook');
    expectNothingPersonal(a.text);
  });

  it('gives a tip handler only the tips of their school', async () => {
    const a = await dashboard('tip_handler');
    expect(a.status).toBe(200);
    for (const id of ['cam-ket', 'thong-bao', 'kenh']) expect(sectionOf(a.text, id), id).toBeNull();
    const tips = sectionOf(a.text, 'tin-bao')!;
    expect(tips).toContain(`href="/admin/tips/${f.tips.ownUrgent.id}"`);
    for (const t of [f.tips.siblingUrgent, f.tips.noSchoolUrgent, f.tips.foreignUrgent]) expect(tips).not.toContain(t.code);
    expectNothingPersonal(a.text);
  });

  it('refuses a school outside the account for every role with the same 404', async () => {
    for (const who of ['school_admin', 'teacher', 'tip_handler'] as const) {
      for (const school of [c.world.schools.sibling.id, c.world.schools.foreign.id, 'khong-co']) {
        const a = await dashboard(who, `?school=${school}`);
        expect(a.status, `${who} ${school}`).toBe(404);
        expect(a.text).toContain('Không tìm thấy trang');
      }
    }
  });
});

describe('the pledge chart of a large office', () => {
  it(`draws the ${CHART_MAX_ROWS} schools furthest behind and keeps every school in the table`, () => {
    const rows = Array.from({ length: 45 }, (_, i) => ({
      id: `s${i}`,
      name: `Trường số ${i}`,
      schoolId: `s${i}`,
      rosterSize: 100,
      parents: { signed: i * 2, onRoster: null },
      students: { signed: i * 2, onRoster: null },
    }));
    const total = { rosterSize: 4500, parents: { signed: 1980, onRoster: null }, students: { signed: 1980, onRoster: null } };
    const html = renderFragment(PledgeSection({ result: { ok: true, campaign: { id: 'c', title: 'Chiến dịch' }, level: 'school', rows, total }, drillDown: false })!);
    const [chart] = dataImagesOf(html);
    expect(chart?.alt).toContain(`${CHART_MAX_ROWS} trường có tỉ lệ cam kết thấp nhất (trong 45 trường)`);
    expect(chart?.content).toContain('Trường số 0:');
    expect(chart?.content).toContain(`Trường số ${CHART_MAX_ROWS - 1}:`);
    expect(chart?.content).not.toContain(`Trường số ${CHART_MAX_ROWS}:`);
    expect(rowsWith(html, 'Trường số ').length).toBe(45);
  });
});
