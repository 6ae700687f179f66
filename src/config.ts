import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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
  SEED_DEMO: bool.optional(),
  SIMULATOR_ENABLED: bool.optional(),
  APP_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_PRETTY: bool.optional(),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(8),
  DISPATCH_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(8),
  LEASE_SECONDS: z.coerce.number().int().min(5).max(3600).default(60),
  POLL_INTERVAL_MS: z.coerce.number().int().min(10).max(60_000).default(500),
  CONVERSATION_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(72),
});

/** The parsed, typed configuration. Built once by `loadConfig`; nothing else reads `process.env`. */
export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  publicBaseUrl: string | undefined;
  dataDir: string;
  database: { kind: 'embedded'; dir: string } | { kind: 'postgres'; url: string };
  seedDemo: boolean;
  simulatorEnabled: boolean;
  /** Signs console sessions and seals secrets; from APP_SECRET, or a generated key file in embedded mode. */
  appSecret: string;
  appSecretSource: 'env' | 'generated-file';
  log: { level: string; pretty: boolean };
  worker: { concurrency: number; leaseSeconds: number; pollIntervalMs: number };
  dispatcher: { concurrency: number };
  conversationTtlHours: number;
}

/** Parses the environment once; throws an AppError naming every invalid or missing variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, opts: { isTty?: boolean } = {}): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new AppError('config_invalid', { message: `Invalid configuration:\n  ${lines.join('\n  ')}` });
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.DATA_DIR);
  const database: Config['database'] = e.DATABASE_URL
    ? { kind: 'postgres', url: e.DATABASE_URL }
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

  return {
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
    dispatcher: { concurrency: e.DISPATCH_CONCURRENCY },
    conversationTtlHours: e.CONVERSATION_TTL_HOURS,
  };
}

function readOrCreateKeyFile(file: string): string {
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(path.dirname(file), { recursive: true });
  const key = randomBytes(32).toString('hex');
  writeFileSync(file, key + '\n', { mode: 0o600 });
  return key;
}
