// npm run invite -- --school <code> [--class <code>] [--days N]: creates a single-use teacher code and prints it once.
// Works on DATABASE_URL, or on the embedded database in DATA_DIR (stop the server first: PGlite has one owner).
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { createTeacherInvite, DEFAULT_INVITE_DAYS, MAX_INVITE_DAYS, type CreateInviteOutcome } from '../src/services/teachers/create-invite.js';
import { teacherInviteKey } from '../src/services/teachers/invite-keys.js';
import { openDatabase } from '../src/store/database.js';
import { pendingMigrations } from '../src/store/migrator.js';
import { inTransaction } from '../src/store/repos.js';

const USAGE = `Usage: npm run invite -- --school <school code> [--class <class code>] [--days N]   (N: 1-${MAX_INVITE_DAYS}, default ${DEFAULT_INVITE_DAYS})
Example: npm run invite -- --school NTT --class NTT-6A1 --days 14\n`;

const REASONS: Record<Exclude<CreateInviteOutcome, { ok: true }>['reason'], string> = {
  unknown_school: 'Không có trường với mã này. / No school has this code.',
  unknown_class: 'Không có lớp với mã này. / No class has this code.',
  class_in_other_school: 'Lớp này thuộc trường khác. / This class belongs to another school.',
  invalid_days: `Số ngày phải từ 1 đến ${MAX_INVITE_DAYS}. / --days must be 1 to ${MAX_INVITE_DAYS}.`,
  no_free_code: 'Không tạo được mã, hãy chạy lại. / Could not draw a free code, run again.',
};

let args;
try {
  args = parseArgs({ options: { school: { type: 'string' }, class: { type: 'string' }, days: { type: 'string' } }, strict: true }).values;
} catch (err) {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
  process.exit(2);
}
if (!args.school || (args.days !== undefined && !/^\d+$/.test(args.days))) {
  process.stderr.write(USAGE);
  process.exit(2);
}

const config = loadConfig();
const db = await openDatabase(config.database);
try {
  const pending = await pendingMigrations(db);
  if (pending.length) {
    process.stderr.write(`Cơ sở dữ liệu chưa được cập nhật: chạy “npm run db:migrate” trước. / The database has pending migrations (${pending.join(', ')}): run npm run db:migrate first.\n`);
    process.exit(1);
  }
  const key = teacherInviteKey(config.appSecret);
  const out = await inTransaction(db.prisma, (repos) =>
    createTeacherInvite(repos, key, { schoolCode: args.school!, classCode: args.class, days: args.days === undefined ? undefined : Number(args.days), now: new Date() }),
  );
  if (!out.ok) {
    process.stderr.write(`${REASONS[out.reason]}\n`);
    process.exitCode = 1;
  } else {
    const where = out.class ? `${out.class.name} – ${out.school.name}` : out.school.name;
    const until = out.expiresAt.toLocaleString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', dateStyle: 'short', timeStyle: 'short' });
    process.stdout.write(
      [
        `Mã giáo viên: ${out.code}`,
        `Dành cho: ${where}. Dùng một lần, hết hạn lúc ${until} (giờ Việt Nam).`,
        `Gửi mã riêng cho giáo viên; giáo viên nhắn “GV ${out.code.slice(3)}” cho trợ lý trên Zalo hoặc Messenger.`,
        `Mã chỉ hiện một lần: hệ thống không lưu mã, chỉ lưu dấu băm.`,
        '',
        `Teacher code: ${out.code}`,
        `For: ${where}. Single use, expires ${out.expiresAt.toISOString()}.`,
        `Give it to the teacher privately; they send “GV ${out.code.slice(3)}” to the assistant on Zalo or Messenger.`,
        'Shown once only: the code itself is not stored, only its keyed hash.',
        '',
      ].join('\n'),
    );
  }
} finally {
  await db.close();
}
