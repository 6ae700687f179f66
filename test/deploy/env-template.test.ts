// deploy/env.production.example against src/config.ts: every name it sets or mentions is a setting the app reads,
// left as it is it stops boot naming the missing secrets, and with them generated it is a valid production config.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { parseEnvFile } from './helpers/dockerfile.js';
import { productionSecrets } from './helpers/server-process.js';

const REPO = path.resolve(import.meta.dirname, '../..');
const template = parseEnvFile(readFileSync(path.join(REPO, 'deploy/env.production.example'), 'utf8'));
const configSource = readFileSync(path.join(REPO, 'src/config.ts'), 'utf8');
const envExample = readFileSync(path.join(REPO, '.env.example'), 'utf8');
const withDataDir = (env: Record<string, string>) => ({ ...env, DATA_DIR: mkdtempSync(path.join(tmpdir(), 'ssb-env-')) });

describe('deploy/env.production.example', () => {
  it('names only settings src/config.ts reads, each documented in .env.example', () => {
    const names = [...Object.keys(template.set), ...template.commented];
    expect(names.length).toBeGreaterThan(20);
    const unknown = names.filter((n) => !new RegExp(`^  ${n}: `, 'm').test(configSource));
    const undocumented = names.filter((n) => !new RegExp(`^#? ?${n}=`, 'm').test(envExample));
    expect({ unknown, undocumented }).toEqual({ unknown: [], undocumented: [] });
  });

  it('leaves every secret to be generated, and boot stops naming the first one missing', () => {
    expect(Object.keys(productionSecrets()).map((k) => [k, template.set[k]])).toEqual(Object.keys(productionSecrets()).map((k) => [k, '']));
    expect(() => loadConfig(withDataDir(template.set))).toThrow(/Missing required secret APP_SECRET/);
  });

  it('with its secrets generated, is a production configuration on PostgreSQL behind a proxy', () => {
    const c = loadConfig(withDataDir({ ...template.set, ...productionSecrets() }));
    expect({ env: c.env, database: c.database.kind, simulator: c.simulatorEnabled, seed: c.seedDemo, trustProxy: c.trustProxy, cookieSecure: c.admin.cookieSecure, secrets: [c.appSecretSource, c.tips.keySource] }).toEqual({
      env: 'production',
      database: 'postgres',
      simulator: false,
      seed: false,
      trustProxy: ['loopback'],
      cookieSecure: true,
      secrets: ['env', 'env'],
    });
    expect(c.publicBaseUrl).toMatch(/^https:\/\//);
    expect(c.http.keepAliveTimeoutMs).toBe(5000);
  });
});
