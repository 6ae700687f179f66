import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { hashPin, submitterKey, TipCipher, verifyPin } from '../../src/store/tip-crypto.js';

const dataDir = () => mkdtempSync(path.join(tmpdir(), 'tipkeys-'));

describe('tip encryption', () => {
  const cipher = new TipCipher(randomBytes(32));

  it('round-trips text with a fresh IV each time, in a versioned format', () => {
    const a = cipher.seal('Có người bán ma tuý', 'tip-1:description');
    const b = cipher.seal('Có người bán ma tuý', 'tip-1:description');
    expect(a).toMatch(/^v1\.[\w-]{16}\.[\w-]+\.[\w-]{22}$/);
    expect(a).not.toBe(b);
    expect(cipher.open(a, 'tip-1:description')).toBe('Có người bán ma tuý');
  });

  it('refuses a ciphertext moved to another tip or field, altered, or opened with another key', () => {
    const sealed = cipher.seal('bí mật', 'tip-1:description');
    expect(() => cipher.open(sealed, 'tip-2:description')).toThrow();
    expect(() => cipher.open(sealed, 'tip-1:place')).toThrow();
    const [v, iv, body, tag] = sealed.split('.') as [string, string, string, string];
    const flipped = Buffer.from(body, 'base64url');
    flipped[0] = flipped[0]! ^ 1;
    expect(() => cipher.open([v, iv, flipped.toString('base64url'), tag].join('.'), 'tip-1:description')).toThrow();
    expect(() => new TipCipher(randomBytes(32)).open(sealed, 'tip-1:description')).toThrow();
    expect(() => cipher.open(sealed.replace(/^v1/, 'v9'), 'tip-1:description')).toThrow(/format/);
  });

  it('hashes PINs with argon2 and verifies them', async () => {
    const h = await hashPin('123456');
    expect(h).toMatch(/^\$argon2id\$/);
    expect(await verifyPin(h, '123456')).toBe(true);
    expect(await verifyPin(h, '123457')).toBe(false);
    expect(await verifyPin('garbage', '123456')).toBe(false);
  });

  it('keys the rate-limit hash with a salt that changes every day', () => {
    const key = randomBytes(32);
    const day1 = new Date('2026-11-22T10:00:00Z');
    const sameDay = new Date('2026-11-22T23:59:00Z');
    const day2 = new Date('2026-11-23T00:01:00Z');
    expect(submitterKey(key, 'web:10.0.0.1', day1)).toBe(submitterKey(key, 'web:10.0.0.1', sameDay));
    expect(submitterKey(key, 'web:10.0.0.1', day1)).not.toBe(submitterKey(key, 'web:10.0.0.1', day2));
    expect(submitterKey(key, 'web:10.0.0.1', day1)).not.toBe(submitterKey(key, 'web:10.0.0.2', day1));
    expect(submitterKey(randomBytes(32), 'web:10.0.0.1', day1)).not.toBe(submitterKey(key, 'web:10.0.0.1', day1));
    expect(submitterKey(key, 'web:10.0.0.1', day1)).not.toContain('10.0.0.1');
  });
});

describe('tip keys in the configuration', () => {
  const hex = () => randomBytes(32).toString('hex');

  it('generates both key files in embedded mode and reuses them', () => {
    const dir = dataDir();
    const c = loadConfig({ DATA_DIR: dir });
    expect(c.tips.keySource).toBe('generated-file');
    expect(existsSync(path.join(dir, 'tip-encryption.key')) && existsSync(path.join(dir, 'tip-handle.key'))).toBe(true);
    expect(c.tips.encryptionKey.equals(c.tips.handleKey)).toBe(false);
    expect(loadConfig({ DATA_DIR: dir }).tips.encryptionKey.equals(c.tips.encryptionKey)).toBe(true);
    expect(c.tips.retentionDays).toBe(180);
  });

  it('requires both keys in production and on PostgreSQL, naming the missing one', () => {
    const app = 'a'.repeat(40);
    expect(() => loadConfig({ NODE_ENV: 'production', APP_SECRET: app, DATA_DIR: dataDir() })).toThrow(/Missing required secret TIP_ENCRYPTION_KEY/);
    expect(() => loadConfig({ DATABASE_URL: 'postgresql://x@localhost/db', APP_SECRET: app, TIP_ENCRYPTION_KEY: hex(), DATA_DIR: dataDir() })).toThrow(
      /Missing required secret TIP_HANDLE_KEY/,
    );
    const c = loadConfig({ NODE_ENV: 'production', APP_SECRET: app, TIP_ENCRYPTION_KEY: hex(), TIP_HANDLE_KEY: randomBytes(32).toString('base64'), TIP_RETENTION_DAYS: '30', METRICS_TOKEN: 'm'.repeat(32), DATA_DIR: dataDir() });
    expect(c.tips.keySource).toBe('env');
    expect(c.tips.retentionDays).toBe(30);
  });

  it('rejects keys that are not 32 bytes, and the same key twice', () => {
    expect(() => loadConfig({ TIP_ENCRYPTION_KEY: 'short', DATA_DIR: dataDir() })).toThrow(/TIP_ENCRYPTION_KEY must be 32 bytes/);
    const k = hex();
    expect(() => loadConfig({ TIP_ENCRYPTION_KEY: k, TIP_HANDLE_KEY: k, DATA_DIR: dataDir() })).toThrow(/must be different/);
  });
});
