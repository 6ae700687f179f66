// npm run zalo:groups -- list | link --group <id> --class <code> | create --class <code> [--name <text>] [--product gmf10|gmf50|gmf100|gmf1000]
// Zalo class groups (GMF): lists the OA's groups from the API and stores them, links one to a class, or creates one
// for a class where the OA's package allows. Needs the Zalo settings (ZALO_*). Works on DATABASE_URL, or on the
// embedded database in DATA_DIR (stop the server first: PGlite has one owner).
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { ZaloApi, zaloGroupsApi } from '../src/bot/channels/zalo/zalo-api.js';
import { ZaloTokens } from '../src/bot/channels/zalo/zalo-tokens.js';
import { loadConfig } from '../src/config.js';
import { createClassGroup, type CreateClassGroupOutcome } from '../src/services/groups/create-class-group.js';
import { linkGroupToClass } from '../src/services/groups/link-group-to-class.js';
import { syncZaloGroups } from '../src/services/groups/sync-zalo-groups.js';
import { GROUP_PRODUCT_TYPES, type GroupProductType, type ZaloCallFailure } from '../src/services/groups/zalo-groups-api.js';
import { openDatabase } from '../src/store/database.js';
import { pendingMigrations } from '../src/store/migrator.js';
import { createRepos } from '../src/store/repos.js';
import type { ZaloGroupRow } from '../src/store/zalo-group.repo.js';

const USAGE = `Usage:
  npm run zalo:groups -- list
  npm run zalo:groups -- link --group <group id> --class <class code>
  npm run zalo:groups -- create --class <class code> [--name <group name>] [--product ${GROUP_PRODUCT_TYPES.join('|')}]   (default gmf100)
`;

const HEALTH: Record<ZaloGroupRow['health'], string> = {
  ok: 'gửi được / ok',
  disabled: 'đã tắt nhắn tin nhóm / group messaging disabled',
  not_member: 'OA không còn trong nhóm / OA not in the group',
};

// What Zalo's codes mean for these calls. Group-specific codes besides −237/−403 are not documented (UNCONFIRMED):
// anything else is shown with Zalo's own message.
const CODES: Record<number, string> = {
  [-216]: 'Mã truy cập Zalo không hợp lệ: kiểm tra ZALO_ACCESS_TOKEN / ZALO_REFRESH_TOKEN. / The Zalo access token is invalid: check ZALO_ACCESS_TOKEN / ZALO_REFRESH_TOKEN.',
  [-220]: 'Mã truy cập Zalo đã hết hạn và không làm mới được. / The Zalo access token expired and could not be refreshed.',
  [-201]: 'Zalo từ chối tham số (OA có thể chưa được cấp quyền nhóm GMF: cần OA xác thực, gói Nâng cao hoặc Premium, quyền “quản lý nhóm”). / Zalo refused the parameters (the OA may lack GMF: a verified OA on the Advanced or Premium package with the group management permission).',
  [-32]: 'Vượt giới hạn gọi API của Zalo; thử lại sau ít phút. / Zalo rate limit; try again in a few minutes.',
  [-237]: 'Tính năng nhóm (GMF) của OA đang bị tắt hoặc đã hết hạn. / The OA’s group messaging (GMF) is disabled or expired.',
  [-403]: 'OA không có quyền với nhóm này. / The OA has no access to this group.',
};

function explain(f: ZaloCallFailure): string {
  const known = f.code !== null ? CODES[f.code] : undefined;
  return `${known ?? 'Zalo trả lỗi / Zalo answered an error'}${f.code !== null ? ` (mã / code ${f.code})` : ''}: ${f.detail}`;
}

function createFailure(out: Exclude<CreateClassGroupOutcome, { ok: true }>): string {
  switch (out.reason) {
    case 'unknown_class':
      return 'Không có lớp với mã này. / No class has this code.';
    case 'no_members':
      return 'Chưa có giáo viên đã xác minh của lớp này nhắn cho OA trên Zalo trong 7 ngày qua: Zalo chỉ thêm vào nhóm người đã quan tâm hoặc tương tác với OA. Nhờ giáo viên nhắn “GV <mã>” cho OA trên Zalo rồi chạy lại. / No verified teacher of this class wrote to the OA on Zalo in the last 7 days (Zalo adds only followers or recent contacts): have the teacher send “GV <code>” to the OA on Zalo, then run again.';
    case 'no_quota':
      return `OA không còn suất nhóm ${out.productType} còn trống (gói OA, mua thêm hoặc được tặng). Mua thêm suất GMF trên Zalo OA, hoặc thử --product khác. / The OA has no free ${out.productType} group asset (package, bought or granted): buy GMF quota, or try another --product.`;
    case 'api':
      return `${out.step === 'quota' ? 'Không đọc được hạn mức nhóm / Could not read the group quota' : 'Không tạo được nhóm / Could not create the group'}. ${explain(out.failure)}`;
  }
}

function fail(message: string, code = 1): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

let parsed;
try {
  parsed = parseArgs({ allowPositionals: true, options: { group: { type: 'string' }, class: { type: 'string' }, name: { type: 'string' }, product: { type: 'string' } }, strict: true });
} catch (err) {
  fail(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`, 2);
}
const [command] = parsed.positionals;
const args = parsed.values;
if (command !== 'list' && command !== 'link' && command !== 'create') fail(USAGE, 2);
if (command === 'link' && (!args.group || !args.class)) fail(USAGE, 2);
if (command === 'create' && (!args.class || (args.product !== undefined && !(GROUP_PRODUCT_TYPES as readonly string[]).includes(args.product)))) fail(USAGE, 2);

const config = loadConfig();
const settings = config.channels.zalo;
if (!settings && command !== 'link') fail('Zalo chưa được cấu hình: đặt các biến ZALO_* (xem .env.example). / Zalo is not configured: set the ZALO_* settings (see .env.example).');
/** Writes the message to stderr and gives the exit code (the database is still closed on the way out). */
function refuse(message: string): number {
  process.stderr.write(`${message}\n`);
  return 1;
}

const db = await openDatabase(config.database);
try {
  process.exitCode = await run();
} finally {
  await db.close();
}

async function run(): Promise<number> {
  const pending = await pendingMigrations(db);
  if (pending.length) return refuse(`Cơ sở dữ liệu chưa được cập nhật: chạy “npm run db:migrate” trước. / The database has pending migrations (${pending.join(', ')}): run npm run db:migrate first.`);
  const repos = createRepos(db.prisma);
  const now = new Date();
  const api = async () => {
    const zaloApi = new ZaloApi(settings!);
    const tokens = new ZaloTokens({ settings: settings!, repo: repos.tokens, alerts: repos.alerts, api: zaloApi, log: pino({ level: 'warn' }) });
    await tokens.init();
    return zaloGroupsApi(zaloApi, tokens);
  };
  if (command === 'list') {
    const out = await syncZaloGroups(repos, await api(), { accountId: settings!.oaId, now });
    if (!out.ok) return refuse(`Không lấy được danh sách nhóm. / Could not list the groups. ${explain(out.failure)}`);
    const classes = new Map<string, string>();
    for (const g of out.groups) {
      if (g.classId && !classes.has(g.classId)) classes.set(g.classId, (await repos.directory.getClass(g.classId))?.code ?? g.classId);
    }
    const lines = out.groups.map((g) => `${g.id}\t${g.name}\t${g.classId ? classes.get(g.classId) : '(chưa gắn lớp / no class)'}\t${HEALTH[g.health]}${g.healthCode ? ` [${g.healthCode}]` : ''}`);
    process.stdout.write(
      [`Nhóm của OA: ${out.groups.length} (mới ${out.added}, không còn trong danh sách ${out.unlisted}) / OA groups: ${out.groups.length} (new ${out.added}, no longer listed ${out.unlisted})`, ...lines, ''].join('\n'),
    );
    return 0;
  }
  if (command === 'link') {
    const out = await linkGroupToClass(repos, { groupId: args.group!, classCode: args.class! });
    if (!out.ok) {
      return refuse(out.reason === 'unknown_group'
        ? 'Không có nhóm này trong cơ sở dữ liệu: chạy “npm run zalo:groups -- list” trước. / Unknown group: run npm run zalo:groups -- list first.'
        : 'Không có lớp với mã này. / No class has this code.');
    }
    process.stdout.write(`Đã gắn nhóm “${out.groupName}” với lớp ${out.class.name} (${out.class.code}). / Linked group “${out.groupName}” to class ${out.class.code}.\n`);
    return 0;
  }
  const out = await createClassGroup(repos, await api(), { classCode: args.class!, accountId: settings!.oaId, ...(args.name ? { name: args.name } : {}), ...(args.product ? { productType: args.product as GroupProductType } : {}), now });
  if (!out.ok) return refuse(createFailure(out));
  process.stdout.write(
    [
      `Đã tạo nhóm “${out.name}” (${out.groupId}) cho lớp ${args.class}, ${out.members} giáo viên là thành viên đầu tiên.`,
      out.groupLink ? `Link tham gia để giáo viên gửi cho phụ huynh: ${out.groupLink}` : 'Zalo không trả link tham gia: xem trong Zalo OA Manager.',
      `Created group “${out.name}” (${out.groupId}) for class ${args.class}; join link: ${out.groupLink ?? '(not returned)'}`,
      '',
    ].join('\n'),
  );
  return 0;
}
