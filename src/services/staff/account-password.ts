import { randomBytes } from 'node:crypto';
import { hashPassword } from './hash-password.js';

/** A password and its argon2 hash, made before any transaction opens (hashing is slow CPU work). */
export interface PreparedPassword {
  password: string;
  hash: string;
}

/** Shortest password an account may be given. */
export const MIN_PASSWORD_LENGTH = 12;

/** A new random password (120 bits, 20 base64url characters) with its hash, to be shown once. */
export async function newAccountPassword(): Promise<PreparedPassword> {
  const password = randomBytes(15).toString('base64url');
  return { password, hash: await hashPassword(password) };
}

/** A chosen password (tests, the demo) with its hash; null when it is shorter than `MIN_PASSWORD_LENGTH`. */
export async function chosenAccountPassword(password: string): Promise<PreparedPassword | null> {
  if (password.length < MIN_PASSWORD_LENGTH) return null;
  return { password, hash: await hashPassword(password) };
}
