// npm run staff:link -- --email <staff e-mail>: issues a single-use code (valid 24 h) that links a staff account's chat:
// the person sends "NV <code>" to the assistant on Zalo or Messenger, and approvals and urgent-tip alerts go there.
// Works on DATABASE_URL, or on the embedded database in DATA_DIR (stop the server first: PGlite has one owner).
import { createStaffLinkCode, type CreateLinkCodeOutcome } from '../src/services/notifications/create-staff-link-code.js';
import { staffLinkKey } from '../src/services/notifications/staff-link-keys.js';
import { teacherInviteKey } from '../src/services/teachers/invite-keys.js';
import { inTransaction } from '../src/store/repos.js';
import { refuse, scriptOptions, withMigratedDatabase } from './lib/staff-script.js';

const USAGE = 'Usage: npm run staff:link -- --email <staff e-mail>\nExample: npm run staff:link -- --email tin-bao@demo.local\n';

const REASONS: Record<Exclude<CreateLinkCodeOutcome, { ok: true }>['reason'], string> = {
  unknown_account: 'Không có tài khoản cán bộ với e-mail này. / No staff account has this e-mail address.',
  no_free_code: 'Không tạo được mã, hãy chạy lại. / Could not draw a free code, run again.',
};

const args = scriptOptions(USAGE, { email: { type: 'string' } }, ['email']);

await withMigratedDatabase(async (db, config) => {
  const key = staffLinkKey(teacherInviteKey(config.appSecret));
  const out = await inTransaction(db.prisma, (repos) => createStaffLinkCode(repos, key, { email: args.email, now: new Date() }));
  if (!out.ok) return refuse(REASONS[out.reason]);
  const until = out.expiresAt.toLocaleString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', dateStyle: 'short', timeStyle: 'short' });
  process.stdout.write(
    [
      `Mã liên kết chat: ${out.code}`,
      `Cho tài khoản: ${out.account.name} (${args.email}). Dùng một lần, hết hạn lúc ${until} (giờ Việt Nam); mã cũ chưa dùng của tài khoản này hết hiệu lực.`,
      `Người dùng tài khoản nhắn “NV ${out.code.slice(3)}” cho trợ lý trên Zalo hoặc Messenger, từ chat muốn nhận thông báo.`,
      'Mã chỉ hiện một lần: hệ thống không lưu mã, chỉ lưu dấu băm.',
      '',
      `Chat link code: ${out.code}`,
      `For: ${out.account.name} (${args.email}). Single use, expires ${out.expiresAt.toISOString()}; an earlier unused code of this account stops working.`,
      `From the chat that should receive notifications, send “NV ${out.code.slice(3)}” to the assistant on Zalo or Messenger.`,
      'Shown once only: the code itself is not stored, only its keyed hash.',
      '',
    ].join('\n'),
  );
});
