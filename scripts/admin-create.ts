// npm run admin:create -- --email <e-mail> --name <name> [--role admin|school_admin|teacher|tip_handler]
//                         [--office <id|code>] [--school <id|code>] [--class <id|code>]
// Creates a console account and prints its generated password once (no prompt: CI has no terminal). Default role:
// admin; without --office an admin reaches every school. Works on DATABASE_URL, or on the embedded database in
// DATA_DIR (stop the server first: PGlite has one owner).
import { createConsoleStaff, type CreatedAccount } from '../src/services/staff/console-staff.js';
import { staffLinkKey } from '../src/services/notifications/staff-link-keys.js';
import { teacherInviteKey } from '../src/services/teachers/invite-keys.js';
import { refuse, scriptOptions, withMigratedDatabase } from './lib/staff-script.js';

const USAGE = [
  'Usage: npm run admin:create -- --email <e-mail> --name <name> [--role admin|school_admin|teacher|tip_handler] [--office <id|code>] [--school <id|code>] [--class <id|code>]',
  'Example: npm run admin:create -- --email admin@phong.edu.vn --name "Quản trị Phòng GD&ĐT" --office PGD-Q7',
  '',
].join('\n');

const REASONS: Record<Exclude<CreatedAccount, { ok: true }>['reason'], string> = {
  bad_email: 'E-mail không hợp lệ. / The e-mail address is not valid.',
  bad_name: 'Tên không hợp lệ (1–120 ký tự). / The name must be 1–120 printable characters.',
  email_taken: 'Đã có tài khoản với e-mail này. / An account with this e-mail address exists.',
  forbidden: 'Không được phép. / Not allowed.',
  bad_password: 'Mật khẩu quá ngắn. / The password is too short.',
  bad_role: 'Vai trò phải là admin, school_admin, teacher hoặc tip_handler. / --role must be admin, school_admin, teacher or tip_handler.',
  admin_takes_office_only: 'Quản trị viên chỉ nhận --office (hoặc không gì: toàn hệ thống). / An admin takes --office or nothing (every school).',
  needs_school: 'Quản trị trường cần --school. / A school_admin needs --school.',
  needs_class: 'Giáo viên cần --class. / A teacher needs --class.',
  needs_school_or_office: 'Cán bộ tiếp nhận tin báo cần --school hoặc --office. / A tip_handler needs --school or --office.',
  school_or_office_not_both: 'Chỉ dùng một trong --school và --office. / Give --school or --office, not both.',
  unknown_office: 'Không có phòng giáo dục này. / No office has this id or code.',
  unknown_school: 'Không có trường này. / No school has this id or code.',
  unknown_class: 'Không có lớp này. / No class has this id or code.',
  class_not_in_school: 'Lớp không thuộc trường đã nêu. / The class is not in that school.',
};

const args = scriptOptions(
  USAGE,
  { email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string', default: 'admin' }, office: { type: 'string' }, school: { type: 'string' }, class: { type: 'string' } },
  ['email', 'name'],
);

await withMigratedDatabase(async (db, config) => {
  const staff = createConsoleStaff({
    prisma: db.prisma,
    handleKey: config.tips.handleKey,
    linkKey: staffLinkKey(teacherInviteKey(config.appSecret)),
    sessions: { idleMs: config.admin.sessionIdleMs, maxMs: config.admin.sessionMaxMs },
  });
  const out = await staff.createAccount(null, { email: args.email, name: args.name, role: args.role, office: args.office ?? null, school: args.school ?? null, class: args.class ?? null }, new Date());
  if (!out.ok) return refuse(REASONS[out.reason]);
  process.stdout.write(
    [
      `Đã tạo tài khoản ${out.account.email} (${out.account.role}).`,
      `Mật khẩu: ${out.password}`,
      'Mật khẩu chỉ hiện một lần (hệ thống chỉ lưu dấu băm): hãy ghi lại rồi đăng nhập tại /admin/login.',
      '',
      `Created ${out.account.email} (${out.account.role}).`,
      `Password: ${out.password}`,
      'Shown once only (only its hash is stored): note it, then sign in at /admin/login.',
      '',
    ].join('\n'),
  );
});
