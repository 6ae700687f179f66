import { foldText } from './normalize.js';

const MAX_NAME_LENGTH = 60;

/**
 * Tidies a person's name as typed: NFC, single spaces, Vietnamese title case ("nguyễn  MINH an" → "Nguyễn Minh An").
 * Returns null when it does not look like a name (digits, symbols, too short or too long).
 */
export function normalizePersonName(raw: string): string | null {
  const tidy = raw.normalize('NFC').replace(/\s+/g, ' ').trim();
  // Letters (with their combining marks, in case the keyboard sent decomposed text), spaces, and the rare - or '.
  if (!/^[\p{L}\p{M}' -]+$/u.test(tidy)) return null;
  const name = tidy
    .split(' ')
    .map((w) => w.split('-').map((p) => (p ? p.charAt(0).toLocaleUpperCase('vi') + p.slice(1).toLocaleLowerCase('vi') : p)).join('-'))
    .join(' ')
    .normalize('NFC');
  const letters = name.replace(/[^\p{L}]/gu, '');
  if (letters.length < 2 || name.length > MAX_NAME_LENGTH) return null;
  return name;
}

/** The matching key of a student's name: case, diacritics, đ/d and spacing ignored ("Nguyễn Minh  AN" → "nguyen minh an"). */
export function studentKey(name: string): string {
  return foldText(name);
}

/**
 * A name shortened for a certificate that may be seen by others: initials, then the given name (the last word),
 * as Vietnamese names are written family name first ("Nguyễn Minh An" → "N. M. An").
 */
export function shortName(name: string): string {
  const words = name.split(' ').filter(Boolean);
  if (words.length <= 1) return words[0] ?? '';
  return [...words.slice(0, -1).map((w) => `${w.charAt(0)}.`), words.at(-1)].join(' ');
}
