import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '../../../src/services/staff/hash-password.js';

describe('staff passwords', () => {
  it('hashes with argon2id and verifies only the right password', async () => {
    const h = await hashPassword('handler-password-123');
    expect(h).toMatch(/^\$argon2id\$/);
    expect(h).not.toContain('handler-password-123');
    expect(await verifyPassword(h, 'handler-password-123')).toBe(true);
    expect(await verifyPassword(h, 'handler-password-124')).toBe(false);
  });

  it('answers false, not an error, for a stored hash it cannot read', async () => {
    expect(await verifyPassword('not-a-hash', 'anything')).toBe(false);
  });
});
