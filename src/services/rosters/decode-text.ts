/** How a CSV file's bytes were read. */
export type TextEncodingName = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be';

/** The text of a CSV file, or why it cannot be trusted. */
export type DecodedText =
  | { ok: true; text: string; encoding: TextEncodingName }
  | { ok: false; problem: 'bad_encoding' };

/**
 * Decodes a CSV file: UTF-8 with or without a byte-order mark, UTF-16 with one (Excel's "Unicode Text"). Anything
 * else is refused rather than guessed: old Excel saves CSV in the Windows code page (Windows-1258) and older files
 * are in TCVN3, and both are invalid UTF-8 almost always (their Vietnamese letters are lone high bytes), so reading
 * them as UTF-8 would store garbled names.
 */
export function decodeText(bytes: Uint8Array): DecodedText {
  let decoded: { text: string; encoding: TextEncodingName };
  try {
    if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) decoded = { text: utf8(bytes.subarray(3)), encoding: 'utf-8-bom' };
    else if (bytes[0] === 0xff && bytes[1] === 0xfe) decoded = { text: utf16le(bytes.subarray(2)), encoding: 'utf-16le' };
    else if (bytes[0] === 0xfe && bytes[1] === 0xff) decoded = { text: utf16le(swapBytes(bytes.subarray(2))), encoding: 'utf-16be' };
    else decoded = { text: utf8(bytes), encoding: 'utf-8' };
  } catch {
    return { ok: false, problem: 'bad_encoding' };
  }
  return { ok: true, ...decoded };
}

function utf8(bytes: Uint8Array): string {
  return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
}

function utf16le(bytes: Uint8Array): string {
  if (bytes.length % 2 !== 0) throw new Error('odd UTF-16 length');
  return new TextDecoder('utf-16le', { fatal: true, ignoreBOM: true }).decode(bytes);
}

function swapBytes(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    out[i] = bytes[i + 1]!;
    out[i + 1] = bytes[i]!;
  }
  return out;
}
