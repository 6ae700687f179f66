// The staff console at a province's size (issue 10): seeds BENCH_CONSOLE_SCHOOLS schools (300) of one office,
// BENCH_CONSOLE_CLASSES classes (10 000), BENCH_CONSOLE_CONTACTS contacts (500 000: parents on Zalo, students on
// Messenger), 35 roster pupils a class, their pledges, 6 000 tips, 200 000 webhook events, Zalo groups, quiz attempts and
// BENCH_CONSOLE_DELIVERIES outbox rows (1 000 000: 70 % of them the rows of school-wide broadcasts over ten weeks, the rest
// replies) with multi-row INSERT … SELECT generate_series, then times in-process, 20 runs each after a warm-up:
// the dashboard of an office admin (every school), of one school's admin, each of its sections alone, the tips inbox
// (src/services/tips/list-tips.ts) of the office and of a school, and the periodic report of the office for a
// quarter. Prints EXPLAIN ANALYZE of every dashboard statement (the plans go to bench/results/console-explain-*.txt).
// PostgreSQL only: DATABASE_URL names the server; the data goes into a fresh schema of the database
// BENCH_CONSOLE_DATABASE (default `bench_console`, created if missing), dropped at the end (BENCH_CONSOLE_KEEP=1 keeps
// it), so the test suite's database is never touched. Run alone with `tsx bench/console-province.ts`, or as phase
// `console` of `npm run bench`.
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { channelHealth } from '../src/services/dashboard/channel-health.js';
import { dashboardFigures } from '../src/services/dashboard/dashboard-figures.js';
import { pledgeProgressFigures } from '../src/services/dashboard/pledge-progress-figures.js';
import { tipFigures } from '../src/services/dashboard/tip-figures.js';
import { weekBroadcasts } from '../src/services/dashboard/week-broadcasts.js';
import { reportFigures } from '../src/services/reports/report-figures.js';
import type { StaffScope } from '../src/services/staff/staff-scope.js';
import { listTips } from '../src/services/tips/list-tips.js';
import { listTipInbox } from '../src/services/tips/list-tip-inbox.js';
import { listPledgeOverview } from '../src/services/pledges/list-pledge-overview.js';
import { classPledgeStatus } from '../src/services/pledges/class-pledge-status.js';
import { openDatabase, splitSchema, type Database, type Db } from '../src/store/database.js';
import { Prisma } from '../src/store/generated/client.js';
import { applyMigrations } from '../src/store/migrator.js';
import { createRepos } from '../src/store/repos.js';
import { directParams } from '../src/store/sql-text.js';
import { percentile } from './stats.js';

const int = (name: string, fallback: number) => {
  const v = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(v) || v <= 0) throw new Error(`${name} must be a positive integer`);
  return v;
};

/** Sizes of the seeded province. */
export interface ProvinceSize {
  schools: number;
  classes: number;
  contacts: number;
  deliveries: number;
  rosterPerClass: number;
  tips: number;
  events: number;
  quizzes: number;
}

/** A timed series: median, 95th percentile and max of `runs` calls, in ms. */
export interface Timing {
  runs: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

/** What the phase measured. */
export interface ConsoleProvinceResult {
  size: ProvinceSize;
  rows: Record<string, number>;
  seedSeconds: number;
  timings: Record<string, Timing>;
  /** Each dashboard statement of the office admin's dashboard, its server-side execution time (EXPLAIN ANALYZE). */
  explain: { statement: string; executionMs: number }[];
  explainFile: string;
}

export function provinceSize(): ProvinceSize {
  return {
    schools: int('BENCH_CONSOLE_SCHOOLS', 300),
    classes: int('BENCH_CONSOLE_CLASSES', 10_000),
    contacts: int('BENCH_CONSOLE_CONTACTS', 500_000),
    deliveries: int('BENCH_CONSOLE_DELIVERIES', 1_000_000),
    rosterPerClass: int('BENCH_CONSOLE_ROSTER', 35),
    tips: int('BENCH_CONSOLE_TIPS', 6_000),
    events: int('BENCH_CONSOLE_EVENTS', 200_000),
    quizzes: int('BENCH_CONSOLE_QUIZZES', 100_000),
  };
}

const RUNS = 20;
const NOW_SQL = `'${new Date().toISOString()}'::timestamp`;

/** The statements that fill the province, in order; each is one INSERT … SELECT. */
function seedStatements(n: ProvinceSize): [string, string][] {
  const { schools: S, classes: C, contacts: K, rosterPerClass: R } = n;
  const perSchool = Math.max(1, Math.floor(K / S));
  // Broadcasts to whole schools (parents and students) make 70 % of the outbox; the rest are replies.
  const broadcasts = Math.max(1, Math.round((0.7 * n.deliveries) / perSchool));
  const replies = Math.max(0, n.deliveries - broadcasts * perSchool);
  const schoolOfClass = (c: string) => `((${c})::bigint * ${S} / ${C})`;
  const classOfContact = (k: string) => `((${k})::bigint * ${C} / ${K})`;
  return [
    ['offices', `INSERT INTO "Office" ("id", "code", "name") VALUES ('office-1', 'SO-BENCH', 'Sở Giáo dục và Đào tạo (bench)'), ('office-2', 'PHONG-KHAC', 'Phòng GD&ĐT khác')`],
    ['schools', `INSERT INTO "School" ("id", "officeId", "code", "name", "level")
      SELECT 'sch-' || s, 'office-1', 'S' || s, 'Trường THCS số ' || s, 'THCS' FROM generate_series(0, ${S - 1}) s`],
    ['classes', `INSERT INTO "Class" ("id", "schoolId", "name", "grade", "schoolYear", "code")
      SELECT 'cls-' || c, 'sch-' || ${schoolOfClass('c')}, (6 + c % 4) || 'A' || c, 6 + c % 4, '2026-2027', 'L' || c FROM generate_series(0, ${C - 1}) c`],
    ['contacts', `INSERT INTO "Contact" ("id", "channel", "accountId", "userId", "role", "schoolId", "classId", "subscribed", "lastInteractionAt", "createdAt", "updatedAt")
      SELECT 'con-' || k, CASE WHEN k % 2 = 0 THEN 'zalo' ELSE 'messenger' END, CASE WHEN k % 2 = 0 THEN 'oa' ELSE 'page' END, 'u' || k,
        CASE WHEN k % 2 = 0 THEN 'parent' ELSE 'student' END, 'sch-' || ${schoolOfClass(classOfContact('k'))}, 'cls-' || ${classOfContact('k')},
        k % 33 <> 0, ${NOW_SQL} - (k % 720) * interval '1 hour', ${NOW_SQL} - interval '120 days', ${NOW_SQL}
      FROM generate_series(0, ${K - 1}) k`],
    ['roster', `INSERT INTO "RosterEntry" ("id", "classId", "studentName", "studentKey")
      SELECT 're-' || c || '-' || i, 'cls-' || c, 'Học sinh ' || i, 'hoc sinh ' || i FROM generate_series(0, ${C - 1}) c, generate_series(1, ${R}) i`],
    ['campaigns', `INSERT INTO "Campaign" ("id", "slug", "title", "startsOn", "endsOn", "active") VALUES
      ('camp-0', 'bench-old', 'Chiến dịch cũ', ${NOW_SQL} - interval '400 days', ${NOW_SQL} - interval '300 days', false),
      ('camp-1', 'bench-now', 'Tháng an toàn giao thông', ${NOW_SQL} - interval '60 days', ${NOW_SQL} + interval '30 days', true)`],
    // About 60 % of pupils have a parent pledge and 50 % a student one; 2 % withdrawn; 3 % signed for a name not on
    // the roster.
    ['pledges', `INSERT INTO "Pledge" ("id", "campaignId", "templateId", "audience", "schoolId", "classId", "studentName", "studentKey", "receiptCode", "consentAt", "withdrawnAt", "confirmedAt", "updatedAt")
      SELECT 'pl-' || a.audience || '-' || c || '-' || i, 'camp-1', 't', a.audience, 'sch-' || ${schoolOfClass('c')}, 'cls-' || c, 'Học sinh ' || i,
        CASE WHEN (c + i) % 33 = 0 THEN 'ngoai danh sach ' || i ELSE 'hoc sinh ' || i END, 'R-' || a.audience || '-' || c || '-' || i,
        ${NOW_SQL} - ((c * 7 + i * 13) % 1440) * interval '1 hour', CASE WHEN (c * 3 + i) % 50 = 0 THEN ${NOW_SQL} - interval '1 day' END,
        CASE WHEN a.audience = 'student' AND (c + i) % 3 = 0 THEN ${NOW_SQL} - interval '2 days' END, ${NOW_SQL}
      FROM generate_series(0, ${C - 1}) c, generate_series(1, ${R}) i, (VALUES ('parent'), ('student')) a(audience)
      WHERE (a.audience = 'parent' AND (c * 7 + i * 13) % 10 < 6) OR (a.audience = 'student' AND (c * 3 + i * 7) % 10 < 5)`],
    ['tips', `INSERT INTO "Tip" ("id", "publicCode", "pinHash", "category", "urgent", "status", "outcome", "schoolId", "descriptionCipher", "pinLength", "acknowledgedAt", "createdAt", "closedAt")
      SELECT 'tip-' || t, 'TB-' || lpad(t::text, 8, '0'), 'x',
        (ARRAY['drugs','school_violence','theft','weapons','fire_hazard','online_scam','traffic','other'])[1 + t % 8], t % 50 = 1,
        (ARRAY['new','triaged','in_progress','closed','closed'])[1 + t % 5], CASE WHEN t % 5 >= 3 THEN (ARRAY['resolved','referred','no_action','duplicate','spam'])[1 + t % 7 % 5] END,
        CASE WHEN t % 40 = 0 THEN NULL ELSE 'sch-' || (t % ${S}) END, 'v1.x', 10,
        CASE WHEN t % 100 = 1 THEN date_trunc('hour', ${NOW_SQL}) END, date_trunc('hour', ${NOW_SQL} - (t % 2160) * interval '1 hour'),
        CASE WHEN t % 5 >= 3 THEN date_trunc('hour', ${NOW_SQL} - (t % 2160) * interval '1 hour' + interval '2 days') END
      FROM generate_series(0, ${n.tips - 1}) t`],
    ['broadcasts', `INSERT INTO "Broadcast" ("id", "code", "campaignId", "audience", "message", "status", "sendAt", "source", "audienceSize", "expansionCursor", "expandedAt", "createdAt")
      SELECT 'bc-' || b, 'TB-' || lpad(b::text, 5, '0'), 'camp-1',
        jsonb_build_object('schoolIds', jsonb_build_array('sch-' || (b % ${S})), 'classIds', '[]'::jsonb, 'roles', '["parent","student"]'::jsonb, 'onlyUnpledged', false, 'includeGroups', false),
        '[{"type":"text","text":"Thông báo (bench)"}]'::jsonb, 'expanded', ${NOW_SQL} - (b * 70 * 24 / ${broadcasts}) * interval '1 hour',
        CASE WHEN b % 5 = 0 THEN 'reminder:bench' END, ${perSchool}, 'done', ${NOW_SQL} - (b * 70 * 24 / ${broadcasts}) * interval '1 hour', ${NOW_SQL} - (b * 70 * 24 / ${broadcasts}) * interval '1 hour'
      FROM generate_series(0, ${broadcasts - 1}) b`],
    // A broadcast's rows: every contact of its school; 80 % sent (60 % delivered, 40 % seen), 10 % skipped for a
    // closed window, 2 % failed, the rest still queued.
    ['deliveries (broadcasts)', `INSERT INTO "Delivery" ("contactId", "channel", "accountId", "recipient", "laneKey", "message", "kind", "idempotencyKey", "broadcastId", "status", "outcome", "notBefore", "createdAt", "sentAt", "deliveredAt", "seenAt")
      SELECT c."id", c."channel", c."accountId", c."userId", c."channel" || ':' || c."accountId" || ':' || c."userId", '{"type":"text","text":"Thông báo (bench)"}'::jsonb, 'bulk',
        'broadcast:' || b."id" || ':' || c."id" || ':0', b."id",
        CASE WHEN h < 80 THEN 'sent' WHEN h < 90 THEN 'skipped' WHEN h < 92 THEN 'failed' ELSE 'pending' END,
        CASE WHEN h < 80 THEN 'sent' WHEN h < 90 THEN 'window_closed' WHEN h < 92 THEN 'user_unavailable' END,
        b."sendAt", b."sendAt", CASE WHEN h < 80 THEN b."sendAt" + interval '1 minute' END,
        CASE WHEN h < 60 THEN b."sendAt" + interval '2 minutes' END, CASE WHEN h < 40 THEN b."sendAt" + interval '1 hour' END
      FROM "Broadcast" b JOIN "Contact" c ON c."schoolId" = b."audience" -> 'schoolIds' ->> 0,
        LATERAL (SELECT abs(hashtext(b."id" || c."id")) % 100 AS h) hh`],
    // Replies: sent over the last 90 days; one in 200 waiting on the rate limit.
    ['deliveries (replies)', `INSERT INTO "Delivery" ("contactId", "channel", "accountId", "recipient", "laneKey", "message", "kind", "status", "outcome", "notBefore", "createdAt", "sentAt", "deliveredAt")
      SELECT 'con-' || k, CASE WHEN k % 2 = 0 THEN 'zalo' ELSE 'messenger' END, CASE WHEN k % 2 = 0 THEN 'oa' ELSE 'page' END, 'u' || k,
        CASE WHEN k % 2 = 0 THEN 'zalo:oa:u' ELSE 'messenger:page:u' END || k, '{"type":"text","text":"Trả lời (bench)"}'::jsonb, 'reply',
        CASE WHEN g % 200 = 0 THEN 'pending' ELSE 'sent' END, CASE WHEN g % 200 = 0 THEN 'rate_limited' ELSE 'sent' END,
        CASE WHEN g % 200 = 0 THEN ${NOW_SQL} + interval '1 second' ELSE ${NOW_SQL} - (g % 2160) * interval '1 hour' END,
        ${NOW_SQL} - (g % 2160) * interval '1 hour', CASE WHEN g % 200 <> 0 THEN ${NOW_SQL} - (g % 2160) * interval '1 hour' END,
        CASE WHEN g % 3 = 0 AND g % 200 <> 0 THEN ${NOW_SQL} - (g % 2160) * interval '1 hour' END
      FROM generate_series(1, ${replies}) g, LATERAL (SELECT (g::bigint * 7919) % ${K} AS k) kk`],
    ['webhook events', `INSERT INTO "InboundEvent" ("channel", "accountId", "dedupeKey", "laneKey", "status", "receivedAt", "availableAt", "processedAt")
      SELECT CASE WHEN g % 2 = 0 THEN 'zalo' ELSE 'messenger' END, 'acc', 'e' || g, 'lane:' || (g % 5000), 'done',
        ${NOW_SQL} - (g % 10080) * interval '1 minute', ${NOW_SQL} - (g % 10080) * interval '1 minute', ${NOW_SQL} - (g % 10080) * interval '1 minute'
      FROM generate_series(1, ${n.events}) g`],
    ['zalo groups', `INSERT INTO "ZaloGroup" ("id", "accountId", "name", "classId", "health", "healthCode", "healthAt", "updatedAt")
      SELECT 'grp-' || c, 'oa', 'Nhóm lớp ' || c, 'cls-' || c, CASE WHEN c % 60 = 0 THEN 'disabled' WHEN c % 61 = 0 THEN 'not_member' ELSE 'ok' END,
        CASE WHEN c % 60 = 0 THEN '-237' WHEN c % 61 = 0 THEN '-403' END, ${NOW_SQL} - (c % 100) * interval '1 hour', ${NOW_SQL}
      FROM generate_series(0, ${C - 1}, 3) c`],
    ['quiz attempts', `INSERT INTO "QuizAttempt" ("id", "contactId", "schoolId", "topic", "score", "total", "completedAt")
      SELECT 'qa-' || g, 'con-' || k, 'sch-' || ${schoolOfClass(classOfContact('k'))}, (ARRAY['traffic-safety','drugs','school-violence','online-scams'])[1 + g % 4],
        g % 6, 5, ${NOW_SQL} - (g % 2160) * interval '1 hour'
      FROM generate_series(1, ${n.quizzes}) g, LATERAL (SELECT (g::bigint * 104729) % ${K} AS k) kk`],
    ['platform token', `INSERT INTO "PlatformToken" ("id", "accessToken", "refreshToken", "expiresAt", "updatedAt") VALUES ('zalo:bench', 'a', 'r', ${NOW_SQL} + interval '20 hours', ${NOW_SQL})`],
  ];
}

/** The bench database on the server of DATABASE_URL (created if missing) with a fresh schema for this run. */
async function openBenchDatabase(): Promise<{ db: Database; url: string; drop(): Promise<void> }> {
  const server = process.env.DATABASE_URL;
  if (!server) throw new Error('the console bench needs PostgreSQL: set DATABASE_URL');
  const name = process.env.BENCH_CONSOLE_DATABASE ?? 'bench_console';
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error('BENCH_CONSOLE_DATABASE: lower-case letters, digits and _ only');
  const admin = new pg.Client({ connectionString: splitSchema(server).url });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const u = new URL(splitSchema(server).url);
  u.pathname = `/${name}`;
  const schema = `console_${randomBytes(4).toString('hex')}`;
  u.searchParams.set('schema', schema);
  const url = u.toString();
  const db = await openDatabase({ kind: 'postgres', url });
  await applyMigrations(db);
  return {
    db,
    url,
    async drop() {
      await db.close();
      if (process.env.BENCH_CONSOLE_KEEP === '1') return;
      const c = new pg.Client({ connectionString: splitSchema(url).url });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await c.end();
    },
  };
}

async function time(runs: number, fn: () => Promise<unknown>): Promise<Timing> {
  await fn();
  await fn();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    await fn();
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  ms.sort((a, b) => a - b);
  const r = (x: number) => Math.round(x * 10) / 10;
  return { runs, p50Ms: r(percentile(ms, 0.5)), p95Ms: r(percentile(ms, 0.95)), maxMs: r(ms.at(-1) ?? 0) };
}

/** A client that remembers every raw statement it runs, so each can be EXPLAINed afterwards. */
function recording(db: Db): { db: Db; statements: Prisma.Sql[] } {
  const statements: Prisma.Sql[] = [];
  const proxy = new Proxy(db, {
    get(target, prop, receiver) {
      if (prop === '$queryRaw') {
        return (strings: TemplateStringsArray, ...values: unknown[]) => {
          statements.push(Prisma.sql(strings, ...values));
          return target.$queryRaw(strings, ...values);
        };
      }
      return Reflect.get(target, prop, receiver);
    },
  });
  return { db: proxy, statements };
}

/** Seeds the province, times the console's reads, and EXPLAINs the office dashboard's statements. */
export async function runConsoleProvince(log: (line: string) => void = () => {}): Promise<ConsoleProvinceResult> {
  const size = provinceSize();
  const bench = await openBenchDatabase();
  try {
    const { db } = bench;
    const t0 = Date.now();
    for (const [what, sql] of seedStatements(size)) {
      const s = Date.now();
      const n = await db.prisma.$executeRawUnsafe(sql);
      log(`  seeded ${what}: ${n} rows in ${((Date.now() - s) / 1000).toFixed(1)} s`);
    }
    // Autovacuum would get there on its own; VACUUM sets the visibility map the index-only scans need, ANALYZE the
    // statistics the planner needs.
    const s = Date.now();
    await db.prisma.$executeRawUnsafe('VACUUM ANALYZE');
    log(`  VACUUM ANALYZE in ${((Date.now() - s) / 1000).toFixed(1)} s`);
    const seedSeconds = Math.round((Date.now() - t0) / 100) / 10;
    const rows: Record<string, number> = {};
    for (const table of ['School', 'Class', 'Contact', 'RosterEntry', 'Pledge', 'Tip', 'Broadcast', 'Delivery', 'InboundEvent', 'ZaloGroup', 'QuizAttempt']) {
      const [r] = await db.prisma.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS "n" FROM "${table}"`);
      rows[table] = r?.n ?? 0;
    }
    log(`  rows: ${Object.entries(rows).map(([k, v]) => `${k} ${v}`).join(', ')}`);

    const repos = createRepos(db.prisma);
    const now = new Date();
    const schoolIds = Array.from({ length: size.schools }, (_, i) => `sch-${i}`);
    const office: StaffScope = { staffId: 'bench-office', role: 'admin', officeId: 'office-1', schoolIds, classIds: 'all' };
    const school: StaffScope = { staffId: 'bench-school', role: 'school_admin', officeId: null, schoolIds: ['sch-7'], classIds: 'all' };
    // The quarter of today in Vietnam (UTC+7 all year).
    const vnNow = new Date(now.getTime() + 7 * 3600_000);
    const quarter = { kind: 'quarter', year: vnNow.getUTCFullYear(), quarter: Math.floor(vnNow.getUTCMonth() / 3) + 1 };
    const timings: Record<string, Timing> = {};
    const measure = async (name: string, fn: () => Promise<unknown>, runs = RUNS) => {
      timings[name] = await time(runs, fn);
      log(`  ${name.padEnd(34)} p50 ${String(timings[name].p50Ms).padStart(7)} ms   p95 ${String(timings[name].p95Ms).padStart(7)} ms   max ${String(timings[name].maxMs).padStart(7)} ms   (${runs} runs)`);
    };
    const check = async () => {
      const out = await dashboardFigures(repos, office, now);
      if (!out.ok || !out.figures.pledges.ok || !out.figures.tips.ok || !out.figures.broadcasts.ok || !out.figures.health.ok) throw new Error('the office dashboard did not answer');
      log(`  office dashboard: ${out.figures.pledges.rows.length} schools, roster ${out.figures.pledges.total.rosterSize}, parents ${out.figures.pledges.total.parents.signed} / students ${out.figures.pledges.total.students.signed} signed; ${out.figures.tips.total} tips (${out.figures.tips.urgentWaiting} urgent waiting); ${out.figures.broadcasts.broadcasts.length} broadcasts this week, ${out.figures.broadcasts.broadcasts.reduce((n, b) => n + b.figures.audienceSize, 0)} recipients`);
    };
    await check();
    await measure('dashboard.office', () => dashboardFigures(repos, office, now));
    await measure('dashboard.school', () => dashboardFigures(repos, school, now));
    await measure('dashboard.office.pledges', () => pledgeProgressFigures(repos, office));
    await measure('dashboard.office.tips', () => tipFigures(repos, office));
    await measure('dashboard.office.broadcasts', () => weekBroadcasts(repos, office, now));
    await measure('dashboard.office.health', () => channelHealth(repos, office, now));
    await measure('tipsInbox.office', () => listTips(repos, { kind: 'office', schoolIds }, { limit: 100 }));
    await measure('tipsInbox.school', () => listTips(repos, { kind: 'school', schoolId: 'sch-7' }, { limit: 100 }));
    // The console's own pages (src/services/tips/list-tip-inbox.ts, src/services/pledges/): what /admin/tips and
    // /admin/pledges ask for, for the office admin, a school's handler and admin, and one class of that school.
    const handler: StaffScope = { staffId: 'bench-handler', role: 'tip_handler', officeId: null, schoolIds: ['sch-7'], classIds: [] };
    await measure('console.tipsInbox.office', () => listTipInbox(repos, office));
    await measure('console.tipsInbox.school', () => listTipInbox(repos, handler));
    await measure('console.tipsInbox.office.filtered', () => listTipInbox(repos, office, { status: 'all', category: 'drugs', school: 'sch-7' }));
    await measure('console.pledges.office', () => listPledgeOverview(repos, office));
    await measure('console.pledges.school', () => listPledgeOverview(repos, school));
    await measure('console.pledges.class', () => classPledgeStatus(repos, school, `cls-${Math.ceil((7 * size.classes) / size.schools)}`));
    await measure('report.office.quarter', () => reportFigures(repos, office, { unit: { kind: 'office', officeId: 'office-1' }, period: quarter }, now), 3);
    await measure('report.school.quarter', () => reportFigures(repos, school, { unit: { kind: 'school', schoolId: 'sch-7' }, period: quarter }, now), 5);

    // Every statement of the office dashboard, run once more through a recording client, then EXPLAINed.
    const rec = recording(db.prisma);
    const recorded = createRepos(rec.db);
    await pledgeProgressFigures(recorded, office);
    await tipFigures(recorded, office);
    await weekBroadcasts(recorded, office, now);
    await channelHealth(recorded, office, now);
    const explain: ConsoleProvinceResult['explain'] = [];
    const plans: string[] = [];
    for (const q of rec.statements) {
      const lines = await db.direct<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${q.text}`, q.values);
      const plan = lines.map((l) => l['QUERY PLAN']).join('\n');
      const executionMs = Number(/Execution Time: ([\d.]+) ms/.exec(plan)?.[1] ?? NaN);
      const statement = q.text.replace(/\s+/g, ' ').trim().slice(0, 90);
      explain.push({ statement, executionMs });
      plans.push(`-- ${executionMs} ms\n${q.text.trim()}\n-- values: ${JSON.stringify(directParams(q.values)).slice(0, 300)}\n${plan}\n`);
    }
    explain.sort((a, b) => b.executionMs - a.executionMs);
    for (const e of explain) log(`  EXPLAIN ${String(e.executionMs).padStart(8)} ms  ${e.statement}`);
    const dir = path.join(import.meta.dirname, 'results');
    mkdirSync(dir, { recursive: true });
    const explainFile = path.join(dir, `console-explain-${new Date().toISOString().replace(/[:.]/g, '-')}.txt`);
    writeFileSync(explainFile, plans.join('\n'));
    return { size, rows, seedSeconds, timings, explain, explainFile };
  } finally {
    await bench.drop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runConsoleProvince((line) => console.log(line)).then(
    (r) => {
      const dir = path.join(import.meta.dirname, 'results');
      const file = path.join(dir, `console-postgres-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
      writeFileSync(file, JSON.stringify(r, null, 2) + '\n');
      console.log(`seeded in ${r.seedSeconds} s; figures written to ${path.relative(process.cwd(), file)}, plans to ${path.relative(process.cwd(), r.explainFile)}`);
      process.exit(0);
    },
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
