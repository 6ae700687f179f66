import { randomInt } from 'node:crypto';
import { foldText } from './normalize.js';

// No vowels (A E I O U Y): with a Vietnamese keyboard (Telex, VNI) a vowel followed by s/f/r/x/j or a digit turns
// into a toned letter ("AS" → "Á"), and the code would arrive changed. No D ("DD" → "Đ"), no W ("W" → "Ư"),
// no 0/O, 1/I/L, which people misread. 25 symbols, 9 of them: 25^9 ≈ 3.8·10^12 codes (41.8 bits).
const ALPHABET = '23456789BCFGHJKMNPQRSTVXZ';
const GROUPS = 3;
const GROUP_LENGTH = 3;
const SIZE = GROUPS * GROUP_LENGTH;

/** A kind of code typed in chat after a two-letter prefix (`GV-7KQ-M3P-XB9`, `NV-…`): how to draw one and read one. */
export interface ChatCodeKind {
  /** A new random code with this prefix. */
  generate(): string;
  /**
   * The canonical form of a code as typed ("gv 7kq m3p xb9", "7KQM3PXB9", with stray diacritics), or null when it
   * cannot be one. `requirePrefix`: only "<prefix>…" counts (a code typed anywhere in a conversation).
   */
  normalize(raw: string, opts?: { requirePrefix?: boolean }): string | null;
}

/** The code kind of one prefix. */
export function chatCodeKind(prefix: string): ChatCodeKind {
  const format = (body: string) => [prefix, ...Array.from({ length: GROUPS }, (_, i) => body.slice(i * GROUP_LENGTH, (i + 1) * GROUP_LENGTH))].join('-');
  return {
    generate: () => format(Array.from({ length: SIZE }, () => ALPHABET[randomInt(ALPHABET.length)]!).join('')),
    normalize(raw, opts = {}) {
      const compact = foldText(raw).toUpperCase().replace(/[^A-Z0-9]/g, '');
      const prefixed = compact.length === prefix.length + SIZE && compact.startsWith(prefix);
      if (opts.requirePrefix && !prefixed) return null;
      const body = prefixed ? compact.slice(prefix.length) : compact;
      if (body.length !== SIZE || [...body].some((c) => !ALPHABET.includes(c))) return null;
      return format(body);
    },
  };
}
