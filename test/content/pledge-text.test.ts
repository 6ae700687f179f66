import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalizePersonName, shortName, studentKey } from '../../src/content/person-name.js';
import { loadPledgeTemplates } from '../../src/content/pledge-templates.js';
import { newReceiptCode, normalizeReceiptCode } from '../../src/content/receipt-code.js';

describe('person names', () => {
  it('tidies spacing and case into Vietnamese title case, in NFC', () => {
    expect(normalizePersonName('  nguyễn   MINH  an ')).toBe('Nguyễn Minh An');
    expect(normalizePersonName('đỗ thị ánh')).toBe('Đỗ Thị Ánh');
    // Decomposed input (some keyboards) comes out composed.
    expect(normalizePersonName('Nguye\u0302\u0303n An')).toBe('Nguyễn An');
  });

  it('rejects what is not a name', () => {
    for (const bad of ['', ' ', 'A', 'An 123', 'http://x.y', 'a'.repeat(61)]) expect(normalizePersonName(bad)).toBeNull();
  });

  it('matches names whatever their case, spacing or tone-mark placement, but keeps diacritics apart', () => {
    expect(studentKey('Nguyễn Minh An')).toBe(studentKey('NGUYỄN  minh an'));
    expect(studentKey('Đỗ Hải Yến')).toBe('đỗ hải yến');
    expect(studentKey('Lê Thị Thuỷ')).toBe(studentKey('Lê Thị Thủy'));
    expect(studentKey('Trần Hoà')).toBe(studentKey('Trần Hòa'));
    expect(studentKey('Lê Thị Thu')).not.toBe(studentKey('Lê Thị Thư'));
    expect(studentKey('Lê Hùng')).not.toBe(studentKey('Lê Hưng'));
    expect(studentKey('Nguyễn Minh An')).not.toBe(studentKey('Nguyễn Minh Anh'));
  });

  it('shortens a name to initials and the given name for the certificate', () => {
    expect(shortName('Nguyễn Minh An')).toBe('N. M. An');
    expect(shortName('Đỗ Yến')).toBe('Đ. Yến');
    expect(shortName('An')).toBe('An');
  });
});

describe('receipt codes', () => {
  it('look like CK-XXXX-XXXX without 0, O, 1 or I', () => {
    for (let i = 0; i < 200; i++) expect(newReceiptCode()).toMatch(/^CK-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/);
  });

  it('are read back however they are typed', () => {
    expect(normalizeReceiptCode('ck 7k2q 9xmd')).toBe('CK-7K2Q-9XMD');
    expect(normalizeReceiptCode('7K2Q9XMD')).toBe('CK-7K2Q-9XMD');
    expect(normalizeReceiptCode('CK7K2Q9XMD')).toBe('CK-7K2Q-9XMD');
    expect(normalizeReceiptCode('CK-0K2Q-9XMD')).toBeNull();
    expect(normalizeReceiptCode('CK-7K2Q')).toBeNull();
  });
});

describe('pledge template files', () => {
  it('load the demo campaign with numbered commitments for parents and students', () => {
    const templates = loadPledgeTemplates();
    const parent = templates.find((t) => t.audience === 'parent')!;
    expect(parent.campaign).toBe('thang-an-toan-giao-thong');
    expect(parent.items.some((i) => i.includes('chưa đủ tuổi theo quy định'))).toBe(true);
    expect(templates.find((t) => t.audience === 'student')!.items.length).toBeGreaterThanOrEqual(5);
  });

  it('stop boot with the file name and the problem when a file is invalid', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pledges-'));
    writeFileSync(path.join(dir, 'bad.yaml'), 'campaign: x\nsource: Luật thử nghiệm\ntemplates:\n  - audience: teacher\n    version: 1\n    title: Cam kết\n    items: []\n');
    expect(() => loadPledgeTemplates(dir)).toThrow(/bad\.yaml: templates\.0\.audience/);
  });
});
