import { describe, expect, it } from 'vitest';
import { compactPin, formatPin, newCode, newPin, normalizeCode } from '../../../src/services/tips/tip-codes.js';

describe('tip codes', () => {
  it('draws codes from an unambiguous alphabet and reads them back however they are typed', () => {
    for (let i = 0; i < 200; i++) expect(newCode()).toMatch(/^TB-[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}$/);
    expect(normalizeCode('tb k7qm 3xrp')).toBe('TB-K7QM-3XRP');
    expect(normalizeCode('K7QM3XRP')).toBe('TB-K7QM-3XRP');
    expect(normalizeCode('TB-K7QM-3XR0')).toBeNull();
    expect(normalizeCode('hello')).toBeNull();
  });

  it('draws 10-digit PINs, groups them for reading and reads them back with or without the spaces', () => {
    for (let i = 0; i < 50; i++) expect(newPin()).toMatch(/^\d{10}$/);
    expect(formatPin('4821730956')).toBe('4821 730 956');
    expect(formatPin('482173')).toBe('482 173');
    expect(compactPin(formatPin('4821730956'))).toBe('4821730956');
    expect(compactPin('4821-730.956')).toBe('4821730956');
  });
});
