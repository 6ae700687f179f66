/** What the first bytes say a file is (never its name: a PNG renamed .csv is still a PNG). */
export type FileKind =
  | { kind: 'zip' }
  | { kind: 'legacy_xls' }
  | { kind: 'text' }
  /** Text in UTF-16 without a byte-order mark: which half is which cannot be trusted, so it is refused like any non-UTF-8 text. */
  | { kind: 'utf16_no_bom' }
  | { kind: 'other'; what: string };

const SIGNATURES: { bytes: number[]; kind: FileKind }[] = [
  { bytes: [0x50, 0x4b, 0x03, 0x04], kind: { kind: 'zip' } },
  { bytes: [0x50, 0x4b, 0x05, 0x06], kind: { kind: 'zip' } },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], kind: { kind: 'legacy_xls' } },
  { bytes: [0x89, 0x50, 0x4e, 0x47], kind: { kind: 'other', what: 'ảnh PNG' } },
  { bytes: [0xff, 0xd8, 0xff], kind: { kind: 'other', what: 'ảnh JPEG' } },
  { bytes: [0x47, 0x49, 0x46, 0x38], kind: { kind: 'other', what: 'ảnh GIF' } },
  { bytes: [0x25, 0x50, 0x44, 0x46], kind: { kind: 'other', what: 'tệp PDF' } },
  { bytes: [0x1f, 0x8b], kind: { kind: 'other', what: 'tệp nén gzip' } },
  { bytes: [0x52, 0x61, 0x72, 0x21], kind: { kind: 'other', what: 'tệp nén RAR' } },
  { bytes: [0x37, 0x7a, 0xbc, 0xaf], kind: { kind: 'other', what: 'tệp nén 7z' } },
];

/** Sniffs a file's kind from its first bytes; text with NUL bytes and no UTF-16 byte-order mark is binary. */
export function fileKind(bytes: Uint8Array): FileKind {
  for (const s of SIGNATURES) if (s.bytes.every((b, i) => bytes[i] === b)) return s.kind;
  if (bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') return { kind: 'other', what: 'ảnh WebP' };
  const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
  const head = bytes.subarray(0, 4096);
  if (!utf16 && head.includes(0)) return looksUtf16(head) ? { kind: 'utf16_no_bom' } : { kind: 'other', what: 'tệp nhị phân' };
  return { kind: 'text' };
}

// Latin text in UTF-16: every other byte is zero (the high byte of ASCII letters, digits and punctuation).
function looksUtf16(head: Uint8Array): boolean {
  let even = 0;
  let odd = 0;
  for (let i = 0; i < head.length; i++) {
    if (head[i] !== 0) continue;
    if (i % 2 === 0) even++;
    else odd++;
  }
  const half = head.length / 2;
  return Math.max(even, odd) >= half * 0.6 && Math.min(even, odd) <= half * 0.05;
}

function ascii(bytes: Uint8Array, from: number, to: number): string {
  return String.fromCharCode(...bytes.subarray(from, to));
}
