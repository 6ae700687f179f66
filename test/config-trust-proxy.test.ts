import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, trustProxySetting } from '../src/config.js';

const load = (TRUST_PROXY?: string) => loadConfig({ DATA_DIR: mkdtempSync(path.join(tmpdir(), 'cfg-tp-')), ...(TRUST_PROXY === undefined ? {} : { TRUST_PROXY }) });

describe('TRUST_PROXY', () => {
  it('trusts no proxy by default, or when set to false or 0', () => {
    expect(load().trustProxy).toBe(false);
    expect(load('false').trustProxy).toBe(false);
    expect(load('0').trustProxy).toBe(false);
    expect(load('  ').trustProxy).toBe(false);
  });

  it('takes a hop count', () => {
    expect(load('1').trustProxy).toBe(1);
    expect(load('2').trustProxy).toBe(2);
  });

  it('takes names, addresses and CIDR subnets as express does, separated by commas', () => {
    expect(trustProxySetting('loopback')).toEqual(['loopback']);
    expect(trustProxySetting('Loopback, 10.0.0.0/8,192.168.1.5, fd00::/8, ::1')).toEqual(['loopback', '10.0.0.0/8', '192.168.1.5', 'fd00::/8', '::1']);
    expect(trustProxySetting('linklocal,uniquelocal')).toEqual(['linklocal', 'uniquelocal']);
  });

  it('refuses true, which would let a client choose the address the limits count', () => {
    expect(() => load('true')).toThrow(/TRUST_PROXY=true would believe any X-Forwarded-For/);
  });

  it('names what it cannot read', () => {
    expect(() => trustProxySetting('loopback, proxy.local')).toThrow(/not an address, subnet or name: proxy\.local/);
    expect(() => trustProxySetting('10.0.0.0/33')).toThrow(/10\.0\.0\.0\/33/);
    expect(() => trustProxySetting('fd00::/129')).toThrow(/fd00::\/129/);
    expect(() => trustProxySetting('11')).toThrow(/10 or less/);
    expect(() => trustProxySetting(',')).toThrow(/TRUST_PROXY/);
  });
});
