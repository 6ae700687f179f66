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

/**
 * The matching key of a student's name: NFC, case and spacing ignored, and the old and new tone-mark placements made
 * one ("Thuỷ" = "Thủy", "Hoà" = "Hòa"). Diacritics count: "Thu" and "Thư" are two children.
 */
export function studentKey(name: string): string {
  return name
    .normalize('NFD')
    // A tone mark written on the first vowel of oa/oe/uy moves to the second (the "new" placement).
    .replace(/([oOuU])([\u0300\u0301\u0303\u0309\u0323])([aAeEyY])/g, '$1$3$2')
    .normalize('NFC')
    .toLocaleLowerCase('vi')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A looser key for suggestions only (diacritics ignored): never used to decide that two names are one child. */
export function looseNameKey(name: string): string {
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
