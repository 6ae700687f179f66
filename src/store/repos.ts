import type { Db, DirectQuery, PrismaClient } from './database.js';
import { ContactRepo } from './contact.repo.js';
import { ConversationRepo } from './conversation.repo.js';
import { DirectoryRepo, type SchoolListCache } from './directory.repo.js';
import { InboxRepo } from './inbox.repo.js';
import { OutboxRepo } from './outbox.repo.js';
import { AlertRepo } from './alert.repo.js';
import { PlatformTokenRepo } from './platform-token.repo.js';
import { RateWindowRepo } from './rate-window.repo.js';
import { HealthRepo } from './health.repo.js';
import { PledgeRepo } from './pledge.repo.js';
import { QuizRepo } from './quiz.repo.js';
import { TipRepo } from './tip.repo.js';
import { StaffRepo } from './staff.repo.js';
import { ThrottleRepo } from './tip-throttle.repo.js';
import { TipTraceRepo } from './tip-trace.repo.js';
import { TeacherInviteRepo } from './teacher-invite.repo.js';
import { TurnRepo } from './turn.repo.js';
import { ZaloGroupRepo } from './zalo-group.repo.js';
import { StaffNotificationRepo } from './staff-notification.repo.js';
import { AudienceRepo } from './audience.repo.js';
import { BroadcastRepo } from './broadcast.repo.js';
import { ReminderRepo } from './reminder.repo.js';
import { RosterRepo } from './roster.repo.js';
import { SchoolAdminRepo } from './school-admin.repo.js';
import { StaffSessionRepo } from './staff-session.repo.js';
import { AuditRepo } from './audit.repo.js';
import { ConsoleListRepo } from './console-lists.repo.js';
import { TipInboxRepo } from './tip-inbox.repo.js';
import { PledgeReportRepo } from './pledge-report.repo.js';
import { DashboardRepo } from './dashboard.repo.js';
import { ReportRepo } from './report.repo.js';

/** Every repository, bound to one client or one transaction. */
export interface Repos {
  inbox: InboxRepo;
  outbox: OutboxRepo;
  contacts: ContactRepo;
  conversations: ConversationRepo;
  directory: DirectoryRepo;
  alerts: AlertRepo;
  tokens: PlatformTokenRepo;
  rateWindows: RateWindowRepo;
  health: HealthRepo;
  pledges: PledgeRepo;
  quiz: QuizRepo;
  tips: TipRepo;
  staff: StaffRepo;
  throttle: ThrottleRepo;
  tipTraces: TipTraceRepo;
  teacherInvites: TeacherInviteRepo;
  turns: TurnRepo;
  zaloGroups: ZaloGroupRepo;
  staffNotifications: StaffNotificationRepo;
  audience: AudienceRepo;
  broadcasts: BroadcastRepo;
  reminders: ReminderRepo;
  rosters: RosterRepo;
  schoolAdmin: SchoolAdminRepo;
  staffSessions: StaffSessionRepo;
  audit: AuditRepo;
  consoleLists: ConsoleListRepo;
  tipInbox: TipInboxRepo;
  pledgeReports: PledgeReportRepo;
  dashboard: DashboardRepo;
  reports: ReportRepo;
}

/** What repositories of one process share across transactions. */
export interface SharedCaches {
  schools?: SchoolListCache;
  /** The statement path outside Prisma (database.ts): only for repositories that are not bound to a transaction. */
  direct?: DirectQuery;
}

/** Binds the repositories to a client or a transaction (`shared`: the process's caches, if any). */
export function createRepos(db: Db, shared: SharedCaches = {}): Repos {
  return {
    inbox: new InboxRepo(db, undefined, shared.direct),
    outbox: new OutboxRepo(db, shared.direct),
    contacts: new ContactRepo(db),
    conversations: new ConversationRepo(db),
    directory: new DirectoryRepo(db, shared.schools, shared.direct),
    alerts: new AlertRepo(db),
    tokens: new PlatformTokenRepo(db),
    rateWindows: new RateWindowRepo(db, shared.direct),
    health: new HealthRepo(db),
    pledges: new PledgeRepo(db),
    quiz: new QuizRepo(db),
    tips: new TipRepo(db),
    staff: new StaffRepo(db),
    throttle: new ThrottleRepo(db),
    tipTraces: new TipTraceRepo(db),
    teacherInvites: new TeacherInviteRepo(db),
    turns: new TurnRepo(db, shared.direct),
    zaloGroups: new ZaloGroupRepo(db),
    staffNotifications: new StaffNotificationRepo(db),
    audience: new AudienceRepo(db),
    broadcasts: new BroadcastRepo(db),
    reminders: new ReminderRepo(db),
    rosters: new RosterRepo(db),
    schoolAdmin: new SchoolAdminRepo(db),
    staffSessions: new StaffSessionRepo(db),
    audit: new AuditRepo(db),
    consoleLists: new ConsoleListRepo(db),
    tipInbox: new TipInboxRepo(db),
    pledgeReports: new PledgeReportRepo(db),
    dashboard: new DashboardRepo(db),
    reports: new ReportRepo(db),
  };
}

/** Runs `fn` in one transaction with repositories bound to it; everything commits or nothing does. */
export async function inTransaction<T>(prisma: PrismaClient, fn: (repos: Repos) => Promise<T>, shared: SharedCaches = {}): Promise<T> {
  // Never the direct path inside a transaction: it runs on a connection of its own, outside it.
  const { direct: _outside, ...caches } = shared;
  return prisma.$transaction((tx) => fn(createRepos(tx, caches)));
}

/** Thrown by the repositories of `createReadOnlyRepos` when something would write: run the work in a transaction. */
export class WriteNeedsTransaction extends Error {
  constructor(what: string) {
    super(`${what} writes: run it in a transaction`);
    this.name = 'WriteNeedsTransaction';
  }
}

// Prisma model methods that only read.
const READS = new Set(['findUnique', 'findUniqueOrThrow', 'findFirst', 'findFirstOrThrow', 'findMany', 'count', 'aggregate', 'groupBy']);
// A raw statement that starts with SELECT and takes no row locks cannot write (our SQL calls no functions that write);
// nor can one that starts with WITH and holds no data-modifying statement.
const READ_SQL = /^\s*SELECT\b/i;
const WITH_SQL = /^\s*WITH\b/i;
const WRITE_WORDS = /\b(INSERT|UPDATE|DELETE|MERGE|TRUNCATE)\b/i;
const LOCKING_SQL = /\bFOR\s+(UPDATE|NO\s+KEY\s+UPDATE|SHARE|KEY\s+SHARE)\b/i;

/**
 * Repositories over `db` that may only read: any write (a model write, `$executeRaw`, or raw SQL that is not a plain
 * SELECT) calls `onWrite` and throws `WriteNeedsTransaction` before reaching the database. A turn that turns out to
 * write is then run again in a transaction; one that only reads needs none.
 */
export function createReadOnlyRepos(db: Db, onWrite: () => void, shared: SharedCaches = {}): Repos {
  const refuse = (what: string): never => {
    onWrite();
    throw new WriteNeedsTransaction(what);
  };
  const models = new Map<string | symbol, unknown>();
  const guarded = new Proxy(db, {
    get(target, prop, receiver) {
      if (prop === '$queryRaw') {
        return (query: TemplateStringsArray | { strings: readonly string[] }, ...values: unknown[]) =>
          isReadSql('strings' in query ? query.strings.join('?') : query.join('?')) ? target.$queryRaw(query as TemplateStringsArray, ...values) : refuse('$queryRaw');
      }
      if (prop === '$queryRawUnsafe') {
        return (sql: string, ...values: unknown[]) => (isReadSql(sql) ? target.$queryRawUnsafe(sql, ...values) : refuse('$queryRawUnsafe'));
      }
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof prop === 'string' && prop.startsWith('$')) return typeof value === 'function' ? (..._args: unknown[]) => refuse(prop) : value;
      if (value === null || typeof value !== 'object') return value;
      let model = models.get(prop);
      if (!model) {
        const delegate = value as Record<string, (...args: unknown[]) => unknown>;
        model = new Proxy(delegate, {
          get: (d, method) => (typeof method === 'string' && READS.has(method) ? (...args: unknown[]) => d[method]!(...args) : (..._args: unknown[]) => refuse(`${String(prop)}.${String(method)}`)),
        });
        models.set(prop, model);
      }
      return model;
    },
  });
  // Only the turn's read and the directory's class reads (they only read) may take the direct path here: every
  // other statement goes through the guard.
  const { direct, ...caches } = shared;
  const repos = createRepos(guarded, caches);
  if (direct) {
    repos.turns = new TurnRepo(guarded, direct, { directWrites: false });
    repos.directory = new DirectoryRepo(guarded, caches.schools, direct);
  }
  return repos;
}

function isReadSql(sql: string): boolean {
  return (READ_SQL.test(sql) || (WITH_SQL.test(sql) && !WRITE_WORDS.test(sql))) && !LOCKING_SQL.test(sql);
}
