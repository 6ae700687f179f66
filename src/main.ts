import { randomBytes } from 'node:crypto';
import { writeFileSync, mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { hostname } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Channel, ChannelId } from './bot/channels/channel.js';
import { simulatorChannel } from './bot/channels/simulator/simulator-channel.js';
import { simulatorRoutes } from './bot/channels/simulator/simulator.routes.js';
import { MessengerApi } from './bot/channels/messenger/messenger-api.js';
import { createMessengerChannel } from './bot/channels/messenger/messenger-channel.js';
import { messengerRoutes } from './bot/channels/messenger/messenger.routes.js';
import { ZaloApi } from './bot/channels/zalo/zalo-api.js';
import { createZaloChannel } from './bot/channels/zalo/zalo-channel.js';
import { ZaloTokens } from './bot/channels/zalo/zalo-tokens.js';
import { zaloRoutes } from './bot/channels/zalo/zalo.routes.js';
import { RateLimiter } from './bot/rate-limiter.js';
import { OpenAiAnswerer } from './bot/answers/openai-answerer.js';
import type { Router } from 'express';
import { Dispatcher } from './bot/dispatcher.js';
import { BroadcastExpander, expansionChunkSize } from './bot/broadcast-expander.js';
import { createBroadcasts } from './services/broadcasts/broadcasts.js';
import { createHttpApp } from './bot/http/app.js';
import { healthRoutes, type Readiness } from './bot/http/health.routes.js';
import { metricsRoutes } from './bot/http/metrics.routes.js';
import { Metrics, type QueueSample } from './bot/metrics/metrics.js';
import { INGEST_BUSY_REQUESTS, InboxWorker } from './bot/inbox-worker.js';
import { TableStatistics } from './bot/table-statistics.js';
import type { FlushInfo } from './bot/ingest-batcher.js';
import { Ingest } from './bot/ingest.js';
import { Signals } from './bot/signals.js';
import { reminderJob, Scheduler } from './bot/scheduler.js';
import { urgentTipAlertJob } from './services/notifications/notify-urgent-tips.js';
import { loadCampaignCalendar } from './content/calendar/calendar.js';
import { seedCampaignCalendar } from './services/reminders/seed-calendar.js';
import { createContactKeyer } from './bot/log-keys.js';
import { TurnProcessor } from './bot/turn-processor.js';
import { pledgeRoutes } from './bot/pledges/pledge.routes.js';
import { seedPledgeTemplates } from './services/pledges/seed-pledge-templates.js';
import { createTeacherInvite } from './services/teachers/create-invite.js';
import { teacherInviteKey } from './services/teachers/invite-keys.js';
import { tipWebRoutes } from './bot/channels/web/tip-web.routes.js';
import { tipHandlerRoutes } from './bot/http/tip-handler.routes.js';
import { loadConfig, type Config } from './config.js';
import { loadCatalogue, type Catalogue } from './content/catalogue.js';
import { loadPledgeTemplates } from './content/pledge-templates.js';
import { loadQuizzes, type Quizzes } from './content/quizzes.js';
import { AppError } from './errors.js';
import { createFlowEngine } from './flows/index.js';
import { createLogger, type Logger } from './logger.js';
import { openDatabase, type Database } from './store/database.js';
import { seedDemoData } from './store/demo-seed.repo.js';
import { InboxRepo } from './store/inbox.repo.js';
import { applyMigrations, pendingMigrations } from './store/migrator.js';
import { createRepos, inTransaction } from './store/repos.js';
import { createStaff } from './services/staff/staff.js';
import { createTips } from './services/tips/tips.js';
import { createConsoleTips } from './services/tips/console-tips.js';
import { createConsolePledges } from './services/pledges/console-pledges.js';
import { GROUP_RECIPIENT_PREFIX, recordDeliveryGroupHealth } from './services/groups/record-group-health.js';
import type { FetchImage } from './services/tips/download-image.js';
import { adminRoutes } from './admin/admin-routes.js';
import type { AdminDeps } from './admin/admin-deps.js';
import { createConsoleAudit } from './services/audit/audit.js';
import { consoleCsrfKey } from './services/staff/console-keys.js';
import { createConsoleStaff } from './services/staff/console-staff.js';
import { staffLinkKey } from './services/notifications/staff-link-keys.js';
import { createConsoleDashboard } from './services/dashboard/console-dashboard.js';
import { createConsoleReports } from './services/reports/console-reports.js';
import type { DeadlineRegion } from './services/reports/report-deadlines.js';
import { createConsoleSchools } from './services/schools/console-schools.js';
import { createConsoleBroadcasts } from './services/broadcasts/console-broadcasts.js';

/** A running server and what tests need to reach into it. */
export interface RunningApp {
  url: string;
  port: number;
  /** The listening HTTP server (its request listener is the express app). */
  server: Server;
  db: Database;
  config: Config;
  signals: Signals;
  /** The node-cron tick's jobs (reminders first); register more with `scheduler.register`, tests call `tick(now)`. */
  scheduler: Scheduler;
  /** What /metrics shows (tests read counters without scraping). */
  metrics: Metrics;
  stop(): Promise<void>;
}

/** Options for tests: an already open database, a logger, or no background loops. */
export interface StartOptions {
  db?: Database;
  log?: Logger;
  /** Start the inbox worker and dispatcher (default true). */
  background?: boolean;
  /** Fetches tip photos from platform addresses (tests: a double); default HTTPS only, 5 MB, 5 s. */
  fetchImage?: FetchImage;
  /** Start the scheduler's node-cron tick (default: yes, except with NODE_ENV=test, whose tests call `tick(now)`). */
  scheduler?: boolean;
  /**
   * The time the dispatcher's policies (quiet hours, reply windows), its due checks, broadcast expansion and the
   * scheduler go by (default the wall clock). Tests set it to 21:59 in Vietnam; it must not run behind the wall clock.
   */
  clock?: () => Date;
  /** The metrics to count into (default: a fresh registry for this app). */
  metrics?: Metrics;
}

/** Composition root: migrates, seeds the demo once, wires the pipeline and listens. */
export async function startApp(config: Config, opts: StartOptions = {}): Promise<RunningApp> {
  const log = opts.log ?? createLogger(config.log);
  const catalogue = loadCatalogue();
  const pledgeTemplates = loadPledgeTemplates();
  const quizzes = loadQuizzes();
  const calendar = loadCampaignCalendar();
  const db = opts.db ?? (await openDatabase(config.database));
  const applied = await applyMigrations(db);
  if (applied.length) log.info({ applied }, 'migrations applied');
  if (config.appSecretSource === 'generated-file') log.warn('APP_SECRET is not set: using a key generated in DATA_DIR (fine for the demo, not for production)');
  if (config.tips.keySource === 'generated-file') log.warn('TIP_ENCRYPTION_KEY / TIP_HANDLE_KEY are not set: using keys generated in DATA_DIR (fine for the demo, not for production; losing them makes stored tips unreadable)');
  if (config.seedDemo) {
    // With the demo, one teacher code for class NTT-6A1, so a tester can become a verified teacher in chat ("GV <code>").
    const { accounts, invite } = await db.prisma.$transaction(async (tx) => {
      const seeded = await seedDemoData(tx);
      const code = seeded ? await createTeacherInvite(createRepos(tx), teacherInviteKey(config.appSecret), { schoolCode: 'NTT', classCode: 'NTT-6A1', days: 30, now: new Date() }) : null;
      return { accounts: seeded, invite: code };
    });
    if (accounts) {
      const file = path.join(config.dataDir, 'demo-accounts.txt');
      mkdirSync(config.dataDir, { recursive: true });
      const inviteLine = invite?.ok ? [`teacher-code\tNTT-6A1\t${invite.code}\t(expires ${invite.expiresAt.toISOString().slice(0, 10)})`] : [];
      writeFileSync(file, [...accounts.map((a) => `${a.role}\t${a.email}\t${a.password}`), ...inviteLine].join('\n') + '\n', { mode: 0o600 });
      log.info({ file }, 'demo data seeded; console accounts written to this file');
    }
  }
  if (config.seedDemo) {
    // Idempotent, every boot: template versions added after the demo was first seeded still arrive.
    const pledgeSeed = await seedPledgeTemplates(createRepos(db.prisma).pledges, pledgeTemplates);
    if (pledgeSeed.created) log.info({ created: pledgeSeed.created }, 'pledge templates seeded');
    // The campaign calendar's reminders, upserted by slug at every boot.
    const calendarSeed = await seedCampaignCalendar(createRepos(db.prisma), calendar, new Date());
    if (calendarSeed.created || calendarSeed.updated || calendarSeed.skipped.length) log.info(calendarSeed, 'campaign calendar seeded');
  }

  const owner = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  // The worker's and dispatcher's claims and outcomes take the direct path (outside Prisma's query pipeline).
  const repos = createRepos(db.prisma, { direct: db.direct });
  const signals = new Signals();
  const metrics = opts.metrics ?? new Metrics();
  const contactKey = createContactKeyer(config.appSecret);
  const engine = createFlowEngine({ ttlHours: config.conversationTtlHours });
  // Absolute base of links sent in chats (certificate images); the port is known only once listening.
  let publicUrl = config.publicBaseUrl ?? '';
  const answerer = config.openai ? new OpenAiAnswerer(config.openai, log.child({ component: 'answers' })) : undefined;
  const tips = createTips({ prisma: db.prisma, ...config.tips, webFormUrl: `${config.publicBaseUrl ?? ''}/tip`, ...(opts.fetchImage ? { fetchImage: opts.fetchImage } : {}) });
  const processor = new TurnProcessor({ publicUrl: () => publicUrl, prisma: db.prisma, engine, catalogue, quizzes, log, ...(answerer ? { answerer } : {}), tips, teacherInviteKey: teacherInviteKey(config.appSecret), direct: db.direct, broadcasts: createBroadcasts({ zaloQuietHours: config.channels.zalo?.quietHours }), metrics });
  // The webhook insert skips Prisma's query pipeline (and on the embedded database goes ahead of queued turns).
  // The queue tables' planner statistics are refreshed as events arrive (table-statistics.ts): the embedded database
  // has no autovacuum, and PostgreSQL's comes a minute or more into a burst, while the inbox claim planned with
  // statistics from before it reads every pending event per candidate. Without the outbox's, a 30-minute soak on the
  // embedded database checked each reply's lane by walking its history.
  const STATISTICS_MIN_INTERVAL_MS = 10_000;
  const statistics = [
    new TableStatistics(() => repos.inbox.refreshStatistics(), log.child({ component: 'statistics', table: 'InboundEvent' }), { every: 1000, minIntervalMs: STATISTICS_MIN_INTERVAL_MS }),
    new TableStatistics(() => repos.outbox.refreshStatistics(), log.child({ component: 'statistics', table: 'Delivery' }), { every: 5000, minIntervalMs: STATISTICS_MIN_INTERVAL_MS }),
  ];
  const ingest = new Ingest({
    inbox: new InboxRepo(db.prisma, db.ingestQuery),
    signals,
    batch: { maxEvents: config.ingest.batchMax, waitMs: config.ingest.batchWaitMs },
    onFlush: (flush: FlushInfo) => statistics.forEach((s) => s.count(flush.events)),
    metrics,
  });
  const limiter = new RateLimiter(repos.rateWindows, metrics);
  const channels = new Map<ChannelId, Channel>();
  const routers: Router[] = [];
  const timers: NodeJS.Timeout[] = [];
  if (config.simulatorEnabled) channels.set('simulator', simulatorChannel);
  if (config.channels.messenger) {
    const settings = config.channels.messenger;
    channels.set('messenger', createMessengerChannel({ settings, api: new MessengerApi(settings), limiter }));
    routers.push(messengerRoutes({ settings, ingest, log: log.child({ channel: 'messenger' }), metrics }));
  }
  let zaloTokens: ZaloTokens | undefined;
  if (config.channels.zalo) {
    const settings = config.channels.zalo;
    const api = new ZaloApi(settings);
    const tokens = new ZaloTokens({ settings, repo: repos.tokens, alerts: repos.alerts, api, log: log.child({ channel: 'zalo' }) });
    await tokens.init();
    zaloTokens = tokens;
    channels.set('zalo', createZaloChannel({ settings, api, tokens, limiter }));
    routers.push(zaloRoutes({ settings, ingest, outbox: repos.outbox, log: log.child({ channel: 'zalo' }), metrics }));
    // Refresh ahead of expiry even when nothing is being sent (refresh tokens themselves expire after 3 months).
    timers.push(setInterval(() => void tokens.current().catch((err: unknown) => log.error({ err }, 'zalo token check failed')), 15 * 60_000).unref());
  }
  log.info({ channels: [...channels.keys()] }, 'channels enabled');
  // Tip retention: closed tips past TIP_RETENTION_DAYS, handles of closed tips, expired drafts, old rate counters.
  timers.push(setInterval(() => void tips.sweep().catch((err: unknown) => log.error({ err: err instanceof Error ? err.name : 'unknown' }, 'tip retention sweep failed')), 3600_000).unref());
  const worker = new InboxWorker(
    { inbox: repos.inbox, processor, signals, log: log.child({ component: 'worker' }), contactKey, ingestBusy: () => ingest.storingNow() >= INGEST_BUSY_REQUESTS },
    { owner, concurrency: config.worker.concurrency, leaseSeconds: config.worker.leaseSeconds, pollIntervalMs: config.worker.pollIntervalMs },
  );
  const dispatcher = new Dispatcher(
    {
      outbox: repos.outbox, channels, signals, log: log.child({ component: 'dispatcher' }), contactKey, metrics, ...(opts.clock ? { clock: opts.clock } : {}),
      // A Zalo group's sends keep its health (−237 disabled, −403 OA not in it, a success: ok again); others cost a test.
      onRecorded: (row, result) => {
        if (!row.recipient.startsWith(GROUP_RECIPIENT_PREFIX)) return;
        void recordDeliveryGroupHealth(repos, row, result, new Date()).catch((err: unknown) => log.error({ err: err instanceof Error ? err.name : 'unknown' }, 'could not record group health'));
      },
    },
    { owner, concurrency: config.dispatcher.concurrency, leaseSeconds: config.worker.leaseSeconds, pollIntervalMs: config.worker.pollIntervalMs },
  );
  // Broadcasts become outbox rows in short transactions.
  const expander = new BroadcastExpander(
    { run: (fn) => inTransaction(db.prisma, fn), nextDueAt: () => repos.broadcasts.nextDueAt(), signals, log: log.child({ component: 'broadcasts' }), ...(opts.clock ? { clock: opts.clock } : {}) },
    { owner, pollIntervalMs: 1_000, chunkSize: expansionChunkSize(db.kind) },
  );

  const scheduler = new Scheduler({ log: log.child({ component: 'scheduler' }), ...(opts.clock ? { now: opts.clock } : {}) }, [
    reminderJob({ prisma: db.prisma, log: log.child({ component: 'reminders' }) }),
    // Urgent tips: every linked handler of the tip's scope is told in chat, again every 15 minutes until acknowledged.
    urgentTipAlertJob(repos),
  ]);

  const checkReady = async (): Promise<Readiness> => {
    await repos.health.ping();
    const pending = await pendingMigrations(db);
    return pending.length ? { ready: false, reason: `migrations not applied: ${pending.join(', ')}` } : { ready: true };
  };
  const channelIds = [...channels.keys()];
  metrics.sampleFrom({
    ready: async () => (await checkReady()).ready,
    queues: async (): Promise<QueueSample[]> => {
      const [inbox, replies, bulk, broadcasts] = await Promise.all([repos.inbox.queueStats(), repos.outbox.queueStats('reply', channelIds), repos.outbox.queueStats('bulk', channelIds), repos.broadcasts.queueStats((opts.clock ?? (() => new Date()))())]);
      return [{ queue: 'inbox', ...inbox }, { queue: 'outbox_reply', ...replies }, { queue: 'outbox_bulk', ...bulk }, { queue: 'broadcasts', ...broadcasts }];
    },
    urgentTips: () => repos.tips.unacknowledgedUrgent(),
    pools: () => db.poolStats(),
    inboxByStatus: () => repos.inbox.countByStatus(),
    outboxByStatus: () => repos.outbox.countByStatus(),
    openAlerts: () => repos.alerts.open(),
    ...(zaloTokens ? { zaloTokenExpiresAt: () => zaloTokens.expiresAt() } : {}),
  });
  routers.unshift(healthRoutes(checkReady), metricsRoutes({ metrics, token: config.metrics.token }));
  if (config.simulatorEnabled) routers.push(simulatorRoutes({ ingest, inbox: repos.inbox, outbox: repos.outbox, signals, waitMs: 10_000 }));
  routers.push(tipWebRoutes({ tips, listSchools: () => repos.directory.listSchools() }), tipHandlerRoutes({ tips, staff: createStaff({ prisma: db.prisma, handleKey: config.tips.handleKey }) }));
  routers.push(pledgeRoutes({ pledges: repos.pledges, baseUrl: () => publicUrl }));
  // The staff console (/admin): services only; sessions, CSRF and scope are checked in src/admin.
  routers.push(adminRoutes(createAdminDeps(config, db, log.child({ component: 'console' }), opts.clock ?? (() => new Date()), { catalogue, quizzes })));
  const app = createHttpApp(log.child({ component: 'http' }), routers, { trustProxy: config.trustProxy });

  if (opts.background !== false) {
    worker.start();
    dispatcher.start();
    expander.start();
  }
  if (opts.background !== false && (opts.scheduler ?? config.env !== 'test')) void scheduler.start();
  const limits = config.http;
  const server: Server = createServer(
    {
      requestTimeout: limits.requestTimeoutMs,
      headersTimeout: limits.headersTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      // Node checks the request and headers deadlines only this often (30 s by default, longer than the deadlines).
      connectionsCheckingInterval: Math.max(50, Math.min(5_000, Math.floor(Math.min(limits.requestTimeoutMs, limits.headersTimeoutMs) / 4))),
    },
    app,
  );
  // Connections beyond the cap are closed on arrival, so one client's idle sockets cannot exhaust file descriptors.
  server.maxConnections = limits.maxConnections;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = config.publicBaseUrl ?? `http://localhost:${port}`;
  publicUrl = url;

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      // Stop accepting first, then let in-flight turns and sends finish, then return leases and close the database.
      for (const t of timers) clearInterval(t);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const force = setTimeout(() => server.closeAllConnections(), 10_000);
      await Promise.all([worker.stop(), dispatcher.stop(), scheduler.stop(), expander.stop()]);
      await closed;
      clearTimeout(force);
      await Promise.all(statistics.map((s) => s.idle()));
      if (!opts.db) await db.close();
    })());

  log.info({ url, database: db.kind }, 'server listening');
  if (config.simulatorEnabled) log.info(`Trình mô phỏng / simulator: ${url}/simulator`);
  log.info(`Bảng điều khiển cán bộ / staff console: ${url}/admin`);
  return { url, port, server, db, config, signals, scheduler, metrics, stop };
}

/** What the staff console is wired with: its services, keys and cookie settings from config, the clock, and the content loaded at boot (loaded here when not given). */
export function createAdminDeps(config: Config, db: Pick<Database, 'prisma'>, log: Logger, clock: () => Date, content: { catalogue?: Catalogue; quizzes?: Quizzes } = {}): AdminDeps {
  return {
    staff: createConsoleStaff({
      prisma: db.prisma,
      handleKey: config.tips.handleKey,
      linkKey: staffLinkKey(teacherInviteKey(config.appSecret)),
      sessions: { idleMs: config.admin.sessionIdleMs, maxMs: config.admin.sessionMaxMs },
    }),
    audit: createConsoleAudit({ prisma: db.prisma }),
    settings: { cookieSecure: config.admin.cookieSecure, publicOrigin: config.publicBaseUrl ? new URL(config.publicBaseUrl).origin : null, csrfKey: consoleCsrfKey(config.appSecret) },
    clock,
    log,
    schools: createConsoleSchools({
      prisma: db.prisma,
      inviteKey: teacherInviteKey(config.appSecret),
      accounts: { messengerPage: config.channels.messenger?.pageId ?? null, zaloOaId: config.channels.zalo?.oaId ?? null },
    }),
    content: { catalogue: content.catalogue ?? loadCatalogue(), quizzes: content.quizzes ?? loadQuizzes() },
    broadcasts: createConsoleBroadcasts({ prisma: db.prisma, zaloQuietHours: config.channels.zalo?.quietHours }),
    tipInbox: createConsoleTips({ prisma: db.prisma, encryptionKey: config.tips.encryptionKey, handleKey: config.tips.handleKey }),
    pledgeStatus: createConsolePledges({ prisma: db.prisma }),
    dashboard: createConsoleDashboard({ prisma: db.prisma }),
    reports: createConsoleReports({ prisma: db.prisma, region: config.admin.reportRegion satisfies DeadlineRegion | null }),
  };
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    process.stderr.write(`${err instanceof AppError ? err.message : String(err)}\n`);
    process.exit(1);
  }
  const log = createLogger(config.log);
  const app = await startApp(config, { log }).catch((err: unknown) => {
    log.fatal({ err }, 'boot failed');
    process.exit(1);
  });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      log.info({ signal }, 'shutting down');
      app.stop().then(
        () => process.exit(0),
        (err: unknown) => {
          log.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) void main();
