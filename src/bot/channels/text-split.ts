/**
 * Splits text into parts of at most `max` characters (NFC), preferring paragraph, line, sentence, then word breaks;
 * a single word longer than `max` is cut.
 */
export function splitText(input: string, max: number): string[] {
  const text = input.normalize('NFC').trim();
  const parts: string[] = [];
  let rest = text;
  while ([...rest].length > max) {
    const window = [...rest].slice(0, max + 1).join('');
    let cut = -1;
    for (const sep of ['\n\n', '\n', '. ', ' ']) {
      const at = window.lastIndexOf(sep, max);
      if (at > max / 2) {
        cut = at + (sep === '. ' ? 1 : 0);
        break;
      }
    }
    if (cut <= 0) cut = [...rest].slice(0, max).join('').length;
    parts.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest) parts.push(rest);
  return parts;
}

/** Shortens a title to `max` characters with an ellipsis. */
export function shorten(title: string, max: number): string {
  const chars = [...title.normalize('NFC')];
  return chars.length <= max ? chars.join('') : chars.slice(0, max - 1).join('') + '…';
}
