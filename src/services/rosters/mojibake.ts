// UTF-8 Vietnamese read once as Windows-1252 and saved again as UTF-8: "Nguyễn" becomes "Nguyá»…n". The lead bytes of
// Vietnamese letters (C3, C4, C5, C6, E1) turn into Ã Ä Å Æ á (and â for E2, punctuation), followed by what the continuation byte (80–BF) is in
// Windows-1252: punctuation and symbols that never follow a letter in a Vietnamese name.
// (A no-break space after á or â can be real text, so only Ã + no-break space counts.)
const MOJIBAKE = /Ã\u00a0|[ÃÄÅÆáâ][\u00a1-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]/;

/** A few characters around the first sign of double-encoded text, or null. */
export function mojibakeSample(text: string): string | null {
  const m = MOJIBAKE.exec(text);
  if (!m) return null;
  const start = Math.max(0, text.lastIndexOf(' ', m.index) + 1, m.index - 12);
  return text.slice(start, m.index + 8).split(/[\s,;"]/)[0] ?? null;
}
