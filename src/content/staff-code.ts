import { randomInt } from 'node:crypto';
import { foldText } from './normalize.js';

// The teacher codes' alphabet (content/teacher-code.ts): no vowels, D or W, which Vietnamese keyboards (Telex, VNI)
// turn into accented letters, and no 0/O, 1/I/L. 25^9 ≈ 3.8·10^12 codes (41.8 bits).
const ALPHABET = '23456789BCFGHJKMNPQRSTVXZ';
/** "Nhân viên": a staff account's chat link code, sent as "NV <code>". */
const PREFIX = 'NV';
const GROUPS = 3;
const GROUP_LENGTH = 3;
const SIZE = GROUPS * GROUP_LENGTH;

/** A new random staff chat link code such as `NV-7KQ-M3P-XB9`. */
export function newStaffLinkCode(): string {
  return format(Array.from({ length: SIZE }, () => ALPHABET[randomInt(ALPHABET.length)]!).join(''));
}

/**
 * The canonical form of a staff link code as typed ("nv 7kq m3p xb9", "NV7KQM3PXB9"), or null when it cannot be one.
 * `requirePrefix`: only "NV…" counts (a code typed anywhere in a conversation).
 */
export function normalizeStaffLinkCode(raw: string, opts: { requirePrefix?: boolean } = {}): string | null {
  const compact = foldText(raw).toUpperCase().replace(/[^A-Z0-9]/g, '');
  const prefixed = compact.length === PREFIX.length + SIZE && compact.startsWith(PREFIX);
  if (opts.requirePrefix && !prefixed) return null;
  const body = prefixed ? compact.slice(PREFIX.length) : compact;
  if (body.length !== SIZE || [...body].some((c) => !ALPHABET.includes(c))) return null;
  return format(body);
}

function format(body: string): string {
  return [PREFIX, ...Array.from({ length: GROUPS }, (_, i) => body.slice(i * GROUP_LENGTH, (i + 1) * GROUP_LENGTH))].join('-');
}
