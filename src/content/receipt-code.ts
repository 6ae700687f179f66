import { randomBytes } from 'node:crypto';

// 32 symbols (5 bits each, no modulo bias) without 0/O and 1/I, which people misread on a small screen.
const ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
const PREFIX = 'CK';
const GROUPS = 2;
const GROUP_LENGTH = 4;

/** A new random receipt code such as `CK-7K2Q-9XMD` (40 random bits). */
export function newReceiptCode(): string {
  const bytes = randomBytes(GROUPS * GROUP_LENGTH);
  const chars = [...bytes].map((b) => ALPHABET[b & 31]!);
  const groups = Array.from({ length: GROUPS }, (_, i) => chars.slice(i * GROUP_LENGTH, (i + 1) * GROUP_LENGTH).join(''));
  return [PREFIX, ...groups].join('-');
}

/** The canonical form of a receipt code as typed or read from a URL ("ck 7k2q9xmd" → "CK-7K2Q-9XMD"), or null. */
export function normalizeReceiptCode(raw: string): string | null {
  const compact = raw.toUpperCase().replace(/[^A-Z0-9]/g, '');
  const size = GROUPS * GROUP_LENGTH;
  const body = compact.length === PREFIX.length + size && compact.startsWith(PREFIX) ? compact.slice(PREFIX.length) : compact;
  if (body.length !== size || [...body].some((c) => !ALPHABET.includes(c))) return null;
  return [PREFIX, ...Array.from({ length: GROUPS }, (_, i) => body.slice(i * GROUP_LENGTH, (i + 1) * GROUP_LENGTH))].join('-');
}
