import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAudit } from '../../src/services/audit/record-audit.js';
import { hashStaffLinkCode, staffLinkKey } from '../../src/services/notifications/staff-link-keys.js';
import { teacherInviteKey } from '../../src/services/teachers/invite-keys.js';
import { createRepos } from '../../src/store/repos.js';
import { startConsoleApp, type ConsoleApp } from './helpers/console-app.js';

let c: ConsoleApp;
beforeAll(async () => {
  c = await startConsoleApp();
});
afterAll(async () => {
  await c?.close();
});

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('the profile page', () => {
  it.each([
    ['admin', 'Quản trị viên', 'Phòng Giáo dục và Đào tạo Quận 7 (dữ liệu mẫu): 2 trường trực thuộc.'],
    ['system_admin', 'Quản trị viên', 'Toàn bộ hệ thống: mọi phòng giáo dục và mọi trường.'],
    ['school_admin', 'Quản trị trường', 'Trường THCS Nguyễn Thị Thập: mọi lớp của trường.'],
    ['teacher', 'Giáo viên', 'Lớp 6A1, Trường THCS Nguyễn Thị Thập.'],
    ['tip_handler', 'Cán bộ tiếp nhận tin báo', 'Tin báo của Trường THCS Nguyễn Thị Thập.'],
  ] as const)('says who %s is and what they reach, in words', async (who, role, scope) => {
    const a = await (await c.signedIn(who)).get('/admin/profile');
    expect(a.status).toBe(200);
    const t = text(a.text);
    expect(t).toContain(`Họ tên ${c.world.accounts[who].name}`);
    expect(t).toContain(`Vai trò ${role}`);
    expect(t).toContain(`Phạm vi ${scope}`);
  });

  it('makes a chat link code shown once, with the instruction, that the chat can redeem; recorded in the audit log', async () => {
    const b = await c.signedIn('tip_handler');
    const a = await b.post('/admin/profile/link-code');
    expect(a.status).toBe(200);
    const code = /Mã liên kết của bạn: <strong class="code">(NV-[A-Z0-9]{3}-[A-Z0-9]{3}-[A-Z0-9]{3})<\/strong>/.exec(a.text)?.[1];
    expect(code).toBeDefined();
    expect(text(a.text)).toContain(`Gửi NV ${code!.slice(3)} cho trang Zalo/Messenger của chương trình`);
    const stored = await c.testDb.prisma.staffUser.findUniqueOrThrow({ where: { id: c.world.accounts.tip_handler.id } });
    expect(stored.linkCodeHash).toBe(hashStaffLinkCode(staffLinkKey(teacherInviteKey(c.app.config.appSecret)), code!));
    expect((await b.get('/admin/profile')).text).not.toContain(code!);
    expect(await c.testDb.prisma.auditLog.count({ where: { action: 'link_code_created', staffId: c.world.accounts.tip_handler.id } })).toBe(1);
  });
});

describe('the navigation', () => {
  it('shows each role only what it may use', async () => {
    const navOf = async (who: 'admin' | 'teacher' | 'tip_handler') => {
      const html = (await (await c.signedIn(who)).get('/admin')).text;
      return [...(/<nav class="mainnav"[^>]*>([\s\S]*?)<\/nav>/.exec(html)?.[1] ?? '').matchAll(/href="([^"]+)"/g)].map((m) => m[1]);
    };
    expect(await navOf('admin')).toEqual(['/admin', '/admin/schools', '/admin/pledges', '/admin/tips', '/admin/content', '/admin/broadcasts', '/admin/reminders', '/admin/reports', '/admin/audit', '/admin/staff', '/admin/profile']);
    expect(await navOf('teacher')).toEqual(['/admin', '/admin/schools', '/admin/pledges', '/admin/content', '/admin/broadcasts', '/admin/reminders', '/admin/profile']);
    expect(await navOf('tip_handler')).toEqual(['/admin', '/admin/tips', '/admin/reports', '/admin/profile']);
  });
});

describe('the audit page', () => {
  beforeAll(async () => {
    const repos = createRepos(c.testDb.prisma);
    const at = c.clock.now();
    await recordAudit(repos, { staffId: null, action: 'tip_viewed', targetType: 'tip', targetId: 'foreign-tip', schoolId: c.world.schools.foreign.id, at });
    for (let i = 0; i < 55; i++) await recordAudit(repos, { staffId: c.world.accounts.tip_handler.id, action: 'export_downloaded', targetType: 'export', targetId: `own-${i}`, schoolId: c.world.schools.own.id, detail: { rows: i }, at });
  });

  it('shows an office admin the entries of their office, fifty at a time, and none of another office', async () => {
    const b = await c.signedIn('admin');
    const first = await b.get('/admin/audit?action=export_downloaded');
    expect(first.status).toBe(200);
    expect(first.text.match(/<tr><td>/g)?.length).toBe(50);
    expect(first.text).toContain('rows: 54');
    expect(first.text).toContain('Tiếp nhận tin báo NTT (kiểm thử)');
    const older = /href="(\/admin\/audit\?[^"]+)">Xem các mục cũ hơn/.exec(first.text)?.[1]?.replace(/&amp;/g, '&');
    expect(older).toMatch(/action=export_downloaded&before=\d+/);
    const second = await b.get(older!);
    expect(second.text.match(/<tr><td>/g)?.length).toBe(5);
    expect(second.text).not.toContain('Xem các mục cũ hơn');
    const all = (await b.get('/admin/audit?action=tip_viewed')).text;
    expect(all).not.toContain('foreign-');
    expect(all).toContain('Chưa có mục nào.');
  });

  it('shows a system admin every entry', async () => {
    const a = await (await c.signedIn('system_admin')).get('/admin/audit?action=tip_viewed');
    expect(a.text).toContain('tip foreign-');
    expect(a.text).toContain('Không rõ tài khoản');
  });

  it('answers a bad filter with a Vietnamese message and 400', async () => {
    const b = await c.signedIn('admin');
    const a = await b.get('/admin/audit?action=drop_tables');
    expect(a.status).toBe(400);
    expect(a.text).toContain('Hành động không có trong danh sách.');
    expect((await b.get('/admin/audit?before=abc')).text).toContain('Vị trí trang không hợp lệ.');
  });
});
