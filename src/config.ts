import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import { AppError } from './errors.js';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  PUBLIC_BASE_URL: z.url().optional(),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL')
    .optional(),
  // PostgreSQL connections per process: every in-flight turn holds one for its transaction, plus the dispatcher's
  // claims and records; the default fits WORKER_CONCURRENCY 16 with room for those.
  DATABASE_POOL_MAX: z.coerce.number().int().min(2).max(500).default(20),
  SEED_DEMO: bool.optional(),
  SIMULATOR_ENABLED: bool.optional(),
  APP_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  TIP_ENCRYPTION_KEY: z.string().optional(),
  TIP_HANDLE_KEY: z.string().optional(),
  TIP_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(180),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_PRETTY: bool.optional(),
  // 16: a turn spends most of its time waiting on round trips; measured on 2 cores, 16 beats 8 on both databases.
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
  // Unset: derived from the channels' rate limits (dispatchConcurrency).
  DISPATCH_CONCURRENCY: z.coerce.number().int().min(1).max(256).optional(),
  INGEST_BATCH_MAX: z.coerce.number().int().min(1).max(5000).default(256),
  INGEST_BATCH_WAIT_MS: z.coerce.number().int().min(0).max(1000).default(0),
  LEASE_SECONDS: z.coerce.number().int().min(5).max(3600).default(60),
  POLL_INTERVAL_MS: z.coerce.number().int().min(10).max(60_000).default(500),
  CONVERSATION_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(72),

  OPENAI_API_KEY: z.string().min(1).optional(),
  OPENAI_BASE_URL: z.url().optional(),
  OPENAI_MODEL: z.string().min(1).default('gpt-4o-mini'),
  OPENAI_TIMEOUT_MS: z.coerce.number().int().min(500).max(60_000).default(8000),
  // How long one Zalo or Messenger API call may take before it counts as failed (transient, retried with backoff).
  SEND_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),

  MESSENGER_APP_SECRET: z.string().min(1).optional(),
  MESSENGER_VERIFY_TOKEN: z.string().min(1).optional(),
  MESSENGER_PAGE_ID: z.string().regex(/^\d+$/, 'must be the numeric Page id').optional(),
  MESSENGER_PAGE_ACCESS_TOKEN: z.string().min(1).optional(),
  MESSENGER_GRAPH_VERSION: z.string().regex(/^v\d+\.\d+$/, 'must look like v25.0').default('v25.0'),
  MESSENGER_GRAPH_BASE_URL: z.url().default('https://graph.facebook.com'),
  MESSENGER_RATE_PER_SECOND: z.coerce.number().int().min(1).max(300).default(40),

  ZALO_APP_ID: z.string().min(1).optional(),
  ZALO_APP_SECRET: z.string().min(1).optional(),
  ZALO_OA_ID: z.string().min(1).optional(),
  ZALO_OA_SECRET_KEY: z.string().min(1).optional(),
  ZALO_ACCESS_TOKEN: z.string().min(1).optional(),
  ZALO_REFRESH_TOKEN: z.string().min(1).optional(),
  ZALO_OPENAPI_BASE_URL: z.url().default('https://openapi.zalo.me'),
  ZALO_OAUTH_BASE_URL: z.url().default('https://oauth.zaloapp.com'),
  ZALO_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(4000),
  // Which secret signs webhooks is not confirmed by Zalo's docs (shared/PLATFORMS.md): a setting, not a guess.
  ZALO_WEBHOOK_SIGNING_KEY: z.enum(['oa_secret_key', 'app_secret']).default('oa_secret_key'),
  ZALO_QUIET_HOURS: z
    .string()
    .regex(/^([01]?\d|2[0-3])-([01]?\d|2[0-3])$/, 'must be START-END hours, e.g. 22-6')
    .default('22-6'),

  // HTTP server limits against slow and idle clients (see .env.example), and who may read /metrics.
  HTTP_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  HTTP_HEADERS_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
  HTTP_MAX_CONNECTIONS: z.coerce.number().int().min(1).max(1_000_000).default(1_000),
  // Which proxies in front may say who the client is (X-Forwarded-For): see trustProxySetting.
  TRUST_PROXY: z.string().optional(),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  METRICS_PUBLIC: bool.optional(),

  // The staff console (/admin): the session cookie is `__Host-`-prefixed and Secure unless ADMIN_COOKIE_SECURE=false
  // (the default outside production, so the local http demo can sign in).
  ADMIN_COOKIE_SECURE: bool.optional(),
  ADMIN_SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(60),
  ADMIN_SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(12),
  // Whose reporting deadlines the console's reports page shows (the plans in shared/seeds); unset: every plan's.
  REPORT_REGION: z.enum(['quan-7', 'cu-chi', 'lam-dong', 'so-gddt-thanh-pho']).optional(),
});

const MESSENGER_REQUIRED = ['MESSENGER_APP_SECRET', 'MESSENGER_VERIFY_TOKEN', 'MESSENGER_PAGE_ID', 'MESSENGER_PAGE_ACCESS_TOKEN'] as const;
const ZALO_REQUIRED = ['ZALO_APP_ID', 'ZALO_APP_SECRET', 'ZALO_OA_ID', 'ZALO_OA_SECRET_KEY', 'ZALO_ACCESS_TOKEN', 'ZALO_REFRESH_TOKEN'] as const;

/** Messenger settings; present only when every required one is set. */
export interface MessengerSettings {
  appSecret: string;
  verifyToken: string;
  pageId: string;
  pageAccessToken: string;
  graphVersion: string;
  graphBaseUrl: string;
  ratePerSecond: number;
  /** A Graph API call without an answer after this long is abandoned (SEND_TIMEOUT_MS). */
  timeoutMs: number;
}

/** Zalo OA settings; present only when every required one is set. */
export interface ZaloSettings {
  appId: string;
  appSecret: string;
  oaId: string;
  oaSecretKey: string;
  /** The secret that signs webhooks (see ZALO_WEBHOOK_SIGNING_KEY). */
  webhookSecret: string;
  initialAccessToken: string;
  initialRefreshToken: string;
  openApiBaseUrl: string;
  oauthBaseUrl: string;
  ratePerMinute: number;
  /** A Zalo API call without an answer after this long is abandoned (SEND_TIMEOUT_MS). */
  timeoutMs: number;
  /** OA messages are not sent from `start` o'clock to `end` o'clock, Asia/Ho_Chi_Minh. */
  quietHours: { start: number; end: number };
}

/** The parsed, typed configuration. Built once by `loadConfig`; nothing else reads `process.env`. */
export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  publicBaseUrl: string | undefined;
  dataDir: string;
  database: { kind: 'embedded'; dir: string } | { kind: 'postgres'; url: string; poolMax: number };
  seedDemo: boolean;
  simulatorEnabled: boolean;
  /** Signs console sessions and seals secrets; from APP_SECRET, or a generated key file in embedded mode. */
  appSecret: string;
  appSecretSource: 'env' | 'generated-file';
  log: { level: string; pretty: boolean };
  worker: { concurrency: number; leaseSeconds: number; pollIntervalMs: number };
  dispatcher: { concurrency: number };
  /** Group commit of webhooks: events per insert, and how long an idle batcher waits for more (0: the next turn). */
  ingest: { batchMax: number; batchWaitMs: number };
  conversationTtlHours: number;
  channels: { messenger: MessengerSettings | null; zalo: ZaloSettings | null };
  /** The OpenAI-compatible model for free-text answers; null without OPENAI_API_KEY (keyword search only). */
  openai: { apiKey: string; baseUrl: string | undefined; model: string; timeoutMs: number } | null;
  /** Anonymous tips: keys for text at rest and for sealed reply handles, and how long closed tips are kept. */
  tips: TipSettings;
  /** Limits of the HTTP server, so slow or idle clients cannot hold sockets for ever. */
  http: HttpServerSettings;
  /**
   * Express's `trust proxy` (TRUST_PROXY): false (the socket's address is the client), a hop count, or addresses and
   * subnets (`loopback`, `10.0.0.0/8`, …) of proxies whose X-Forwarded-For is believed. Decides `req.ip`, which keys
   * the sign-in and tip limits.
   */
  trustProxy: TrustProxy;
  /** `/metrics` needs `Authorization: Bearer <token>` when a token is set; null means it is public. */
  metrics: { token: string | null };
  /** The staff console: cookie security and session lifetimes. */
  admin: AdminSettings;
}

/** Settings of the staff console (/admin). */
export interface AdminSettings {
  /** Secure, `__Host-` cookie (HTTPS only); false only for the local http demo. */
  cookieSecure: boolean;
  /** A session ends after this long without a request… */
  sessionIdleMs: number;
  /** …and this long after sign-in, whatever happens. */
  sessionMaxMs: number;
  /** The area whose reporting deadlines the reports page shows (REPORT_REGION); null: every plan's. */
  reportRegion: 'quan-7' | 'cu-chi' | 'lam-dong' | 'so-gddt-thanh-pho' | null;
}

/** Timeouts (ms) and the connection cap of the HTTP server. */
export interface HttpServerSettings {
  /** The whole request, headers and body, must arrive within this time (else 408 and the socket is closed). */
  requestTimeoutMs: number;
  /** The headers must arrive within this time; at most requestTimeoutMs (Node refuses more). */
  headersTimeoutMs: number;
  /** An idle keep-alive socket is closed after this time. */
  keepAliveTimeoutMs: number;
  /** Sockets beyond this many open at once are closed as soon as they connect. */
  maxConnections: number;
}

/** The values of express's `trust proxy` this app accepts (never `true`: see trustProxySetting). */
export type TrustProxy = false | number | string[];

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * Parses TRUST_PROXY: unset/false/0 trusts no proxy; a number trusts that many hops in front of the server; otherwise a
 * comma-separated list of `loopback`, `linklocal`, `uniquelocal`, addresses and CIDR subnets. `true` (believe every
 * hop) is refused: the left end of X-Forwarded-For is whatever the client wrote, so anyone could pick the address the
 * sign-in and tip limits count.
 */
export function trustProxySetting(raw: string | undefined): TrustProxy {
  const v = raw?.trim().toLowerCase() ?? '';
  if (v === '' || v === 'false' || v === '0') return false;
  if (v === 'true') {
    throw new AppError('config_invalid', {
      message: 'TRUST_PROXY=true would believe any X-Forwarded-For a client sends (and let it choose the address the sign-in and tip limits count). Set the number of proxies in front (e.g. 1), or their addresses (e.g. loopback or 10.0.0.0/8).',
    });
  }
  if (/^\d+$/.test(v)) {
    const hops = Number(v);
    if (hops > 10) throw new AppError('config_invalid', { message: 'TRUST_PROXY: a hop count must be 10 or less (the number of proxies in front of the server).' });
    return hops;
  }
  const items = v.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = items.filter((item) => !PROXY_NAMES.has(item) && !isAddressOrSubnet(item));
  if (bad.length || !items.length) {
    throw new AppError('config_invalid', {
      message: `TRUST_PROXY: not an address, subnet or name: ${bad.join(', ') || raw}. Use a hop count (1), or a comma-separated list of loopback, linklocal, uniquelocal, addresses and CIDR subnets (10.0.0.0/8).`,
    });
  }
  return items;
}

function isAddressOrSubnet(item: string): boolean {
  const [address = '', prefix, ...rest] = item.split('/');
  const family = isIP(address);
  if (!family || rest.length) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

/** Keys and retention of anonymous tips (DESIGN.md §4). */
export interface TipSettings {
  /** AES-256 key for tip text, messages and photos. */
  encryptionKey: Buffer;
  /** AES-256 key for sealed reply handles (and the daily rate-limit salt); separate so one leak is not both. */
  handleKey: Buffer;
  keySource: 'env' | 'generated-file';
  retentionDays: number;
}

/** A channel is on when all its settings are set, off when none are; anything in between stops boot. */
function channelGroup(env: Record<string, unknown>, names: readonly string[], channel: string): boolean {
  const missing = names.filter((n) => env[n] === undefined);
  if (missing.length === names.length) return false;
  if (missing.length === 0) return true;
  throw new AppError('config_invalid', {
    message: `${channel} is partly configured: set ${missing.join(', ')} too (or unset every ${channel.toUpperCase()}_* variable to turn the channel off).`,
  });
}

/** Parses the environment once; throws an AppError naming every invalid or missing variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, opts: { isTty?: boolean } = {}): Config {
  // An empty variable (`DATABASE_URL=` in a unit file) means unset.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new AppError('config_invalid', { message: `Invalid configuration:\n  ${lines.join('\n  ')}` });
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.DATA_DIR);
  const database: Config['database'] = e.DATABASE_URL
    ? { kind: 'postgres', url: e.DATABASE_URL, poolMax: e.DATABASE_POOL_MAX }
    : { kind: 'embedded', dir: path.join(dataDir, 'pglite') };

  // Production on PostgreSQL must bring its own secret; the embedded demo may create one (and warns at boot).
  let appSecret = e.APP_SECRET;
  let appSecretSource: Config['appSecretSource'] = 'env';
  if (!appSecret) {
    if (e.NODE_ENV === 'production' || database.kind === 'postgres') {
      throw new AppError('config_invalid', {
        message: 'Missing required secret APP_SECRET (at least 32 characters). Generate one with: openssl rand -hex 32',
      });
    }
    appSecret = readOrCreateKeyFile(path.join(dataDir, 'app-secret.key'));
    appSecretSource = 'generated-file';
  }

  const tips = tipSettings(e, dataDir, e.NODE_ENV === 'production' || database.kind === 'postgres');
  const { http, metrics } = httpSettings(e);

  const messenger: MessengerSettings | null = channelGroup(e as Record<string, unknown>, MESSENGER_REQUIRED, 'Messenger')
    ? {
        appSecret: e.MESSENGER_APP_SECRET!,
        verifyToken: e.MESSENGER_VERIFY_TOKEN!,
        pageId: e.MESSENGER_PAGE_ID!,
        pageAccessToken: e.MESSENGER_PAGE_ACCESS_TOKEN!,
        graphVersion: e.MESSENGER_GRAPH_VERSION,
        graphBaseUrl: e.MESSENGER_GRAPH_BASE_URL.replace(/\/$/, ''),
        ratePerSecond: e.MESSENGER_RATE_PER_SECOND,
        timeoutMs: e.SEND_TIMEOUT_MS,
      }
    : null;
  const [quietStart, quietEnd] = e.ZALO_QUIET_HOURS.split('-').map(Number) as [number, number];
  const zalo: ZaloSettings | null = channelGroup(e, ZALO_REQUIRED, 'Zalo')
    ? {
        appId: e.ZALO_APP_ID!,
        appSecret: e.ZALO_APP_SECRET!,
        oaId: e.ZALO_OA_ID!,
        oaSecretKey: e.ZALO_OA_SECRET_KEY!,
        webhookSecret: e.ZALO_WEBHOOK_SIGNING_KEY === 'app_secret' ? e.ZALO_APP_SECRET! : e.ZALO_OA_SECRET_KEY!,
        initialAccessToken: e.ZALO_ACCESS_TOKEN!,
        initialRefreshToken: e.ZALO_REFRESH_TOKEN!,
        openApiBaseUrl: e.ZALO_OPENAPI_BASE_URL.replace(/\/$/, ''),
        oauthBaseUrl: e.ZALO_OAUTH_BASE_URL.replace(/\/$/, ''),
        ratePerMinute: e.ZALO_RATE_PER_MINUTE,
        timeoutMs: e.SEND_TIMEOUT_MS,
        quietHours: { start: quietStart, end: quietEnd },
      }
    : null;

  return {
    openai: e.OPENAI_API_KEY ? { apiKey: e.OPENAI_API_KEY, baseUrl: e.OPENAI_BASE_URL, model: e.OPENAI_MODEL, timeoutMs: e.OPENAI_TIMEOUT_MS } : null,
    channels: { messenger, zalo },
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    publicBaseUrl: e.PUBLIC_BASE_URL?.replace(/\/$/, ''),
    dataDir,
    database,
    seedDemo: e.SEED_DEMO ?? database.kind === 'embedded',
    simulatorEnabled: e.SIMULATOR_ENABLED ?? e.NODE_ENV !== 'production',
    appSecret,
    appSecretSource,
    log: { level: e.LOG_LEVEL, pretty: e.LOG_PRETTY ?? Boolean(opts.isTty ?? process.stdout.isTTY) },
    worker: { concurrency: e.WORKER_CONCURRENCY, leaseSeconds: e.LEASE_SECONDS, pollIntervalMs: e.POLL_INTERVAL_MS },
    dispatcher: { concurrency: e.DISPATCH_CONCURRENCY ?? dispatchConcurrency([messenger?.ratePerSecond, zalo ? Math.floor(zalo.ratePerMinute / 60) : undefined]) },
    ingest: { batchMax: e.INGEST_BATCH_MAX, batchWaitMs: e.INGEST_BATCH_WAIT_MS },
    conversationTtlHours: e.CONVERSATION_TTL_HOURS,
    tips,
    http,
    trustProxy: trustProxySetting(e.TRUST_PROXY),
    metrics,
    admin: adminSettings(e),
  };
}

function adminSettings(e: z.infer<typeof EnvSchema>): AdminSettings {
  if (e.ADMIN_SESSION_IDLE_MINUTES > e.ADMIN_SESSION_MAX_HOURS * 60) {
    throw new AppError('config_invalid', { message: 'ADMIN_SESSION_IDLE_MINUTES must not be longer than ADMIN_SESSION_MAX_HOURS (a session ends at its absolute lifetime anyway).' });
  }
  return {
    cookieSecure: e.ADMIN_COOKIE_SECURE ?? e.NODE_ENV === 'production',
    sessionIdleMs: e.ADMIN_SESSION_IDLE_MINUTES * 60_000,
    sessionMaxMs: e.ADMIN_SESSION_MAX_HOURS * 3_600_000,
    reportRegion: e.REPORT_REGION ?? null,
  };
}

// /metrics shows backlogs and open alerts (an urgent tip waiting): production must protect it or say it is public.
function httpSettings(e: z.infer<typeof EnvSchema>): Pick<Config, 'http' | 'metrics'> {
  if (e.HTTP_HEADERS_TIMEOUT_MS > e.HTTP_REQUEST_TIMEOUT_MS) {
    throw new AppError('config_invalid', { message: 'HTTP_HEADERS_TIMEOUT_MS must not be larger than HTTP_REQUEST_TIMEOUT_MS (the headers are part of the request).' });
  }
  if (e.NODE_ENV === 'production' && !e.METRICS_TOKEN && e.METRICS_PUBLIC !== true) {
    throw new AppError('config_invalid', {
      message: 'Missing METRICS_TOKEN: /metrics shows queue backlogs and open alerts (an urgent tip waiting). Set METRICS_TOKEN (e.g. openssl rand -hex 32) and give it to Prometheus as a bearer token, or set METRICS_PUBLIC=true if only your network can reach /metrics.',
    });
  }
  return {
    http: {
      requestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_MS,
      headersTimeoutMs: e.HTTP_HEADERS_TIMEOUT_MS,
      keepAliveTimeoutMs: e.HTTP_KEEP_ALIVE_TIMEOUT_MS,
      maxConnections: e.HTTP_MAX_CONNECTIONS,
    },
    metrics: { token: e.METRICS_TOKEN ?? null },
  };
}

// Tip keys follow APP_SECRET's rule: production and PostgreSQL bring their own, the embedded demo generates files.
function tipSettings(e: z.infer<typeof EnvSchema>, dataDir: string, required: boolean): TipSettings {
  const read = (name: 'TIP_ENCRYPTION_KEY' | 'TIP_HANDLE_KEY', file: string): { key: Buffer; generated: boolean } => {
    const value = e[name];
    if (value) return { key: parseKey32(name, value), generated: false };
    if (required) {
      throw new AppError('config_invalid', {
        message: `Missing required secret ${name} (32 bytes as 64 hex characters or base64). Generate one with: openssl rand -hex 32`,
      });
    }
    return { key: parseKey32(name, readOrCreateKeyFile(path.join(dataDir, file))), generated: true };
  };
  const enc = read('TIP_ENCRYPTION_KEY', 'tip-encryption.key');
  const handle = read('TIP_HANDLE_KEY', 'tip-handle.key');
  if (enc.key.equals(handle.key)) {
    throw new AppError('config_invalid', { message: 'TIP_ENCRYPTION_KEY and TIP_HANDLE_KEY must be different keys.' });
  }
  return {
    encryptionKey: enc.key,
    handleKey: handle.key,
    keySource: enc.generated || handle.generated ? 'generated-file' : 'env',
    retentionDays: e.TIP_RETENTION_DAYS,
  };
}

function parseKey32(name: string, value: string): Buffer {
  const v = value.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(v) ? Buffer.from(v, 'hex') : /^[A-Za-z0-9+/_-]{43}=?$/.test(v) ? Buffer.from(v, 'base64') : null;
  if (!key || key.length !== 32) {
    throw new AppError('config_invalid', { message: `${name} must be 32 bytes: 64 hex characters or base64. Generate one with: openssl rand -hex 32` });
  }
  return key;
}

function readOrCreateKeyFile(file: string): string {
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(path.dirname(file), { recursive: true });
  const key = randomBytes(32).toString('hex');
  writeFileSync(file, key + '\n', { mode: 0o600 });
  return key;
}

/** How long a platform's send API takes to answer, at worst in normal operation (100–300 ms measured). */
const SEND_SECONDS = 0.3;

/**
 * Sends in flight per channel when DISPATCH_CONCURRENCY is unset: enough to fill the fastest channel's rate limit
 * while each send waits about `SEND_SECONDS` for the platform (250/s needs 75), at least 8, at most 256.
 */
export function dispatchConcurrency(ratesPerSecond: (number | undefined)[]): number {
  const fastest = Math.max(0, ...ratesPerSecond.filter((r): r is number => r !== undefined));
  return Math.min(256, Math.max(8, Math.ceil(fastest * SEND_SECONDS)));
}
