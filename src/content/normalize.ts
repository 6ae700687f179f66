/**
 * Folds text for matching: NFC, lower case, Vietnamese diacritics removed (đ → d), punctuation dropped,
 * whitespace collapsed. "Hủy", "huỷ" and "HUY" all become "huy".
 */
export function foldText(input: string): string {
  return input
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s-]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Normalises text people typed before storing or showing it: NFC and single spaces. */
export function tidyText(input: string): string {
  return input.normalize('NFC').replace(/\s+/g, ' ').trim();
}
