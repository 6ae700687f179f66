import { hash, verify } from '@node-rs/argon2';

/** Hashes a console password with argon2id (the library's defaults). */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

/** Checks a password against its argon2 hash; false for a malformed hash. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  return verify(passwordHash, password).catch(() => false);
}
