/** A photo ready to be encrypted: its type and bytes without metadata. */
export interface StrippedImage {
  mime: 'image/jpeg' | 'image/png';
  data: Buffer;
}

// PNG chunks needed to show the picture as taken; everything else (eXIf, tEXt, iTXt, zTXt, tIME, pHYs, …) is dropped.
const PNG_KEEP = new Set(['IHDR', 'PLTE', 'tRNS', 'gAMA', 'cHRM', 'sRGB', 'IDAT', 'IEND']);
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * Removes metadata from a JPEG or PNG without re-encoding: JPEG APP1–APP15 segments (EXIF with GPS, XMP, ICC,
 * maker notes; APP14 "Adobe" is kept because some decoders need its colour transform) and comments; PNG ancillary
 * chunks. Returns null for anything else or a file it cannot walk, so an unreadable file is never stored as is.
 * (Without EXIF the orientation flag is gone too: some photos will show rotated.)
 */
export function stripImageMetadata(input: Buffer): StrippedImage | null {
  if (input.length > 4 && input[0] === 0xff && input[1] === 0xd8) return stripJpeg(input);
  if (input.length > 8 && input.subarray(0, 8).equals(PNG_SIGNATURE)) return stripPng(input);
  return null;
}

function stripJpeg(buf: Buffer): StrippedImage | null {
  const out: Buffer[] = [buf.subarray(0, 2)];
  let i = 2;
  while (i + 4 <= buf.length) {
    if (buf[i] !== 0xff) return null;
    const marker = buf[i + 1]!;
    if (marker === 0xff) {
      i += 1; // fill byte
      continue;
    }
    if (marker === 0xd9) return null; // EOI before any image data
    const length = buf.readUInt16BE(i + 2);
    if (length < 2 || i + 2 + length > buf.length) return null;
    const segment = buf.subarray(i, i + 2 + length);
    if (marker === 0xda) {
      // Start of scan: the compressed image follows; metadata lives only in the header before it.
      out.push(buf.subarray(i));
      return { mime: 'image/jpeg', data: Buffer.concat(out) };
    }
    const isApp = marker >= 0xe0 && marker <= 0xef;
    const keepApp0 = marker === 0xe0 && segment.subarray(4, 9).toString('latin1') === 'JFIF\0';
    const drop = marker === 0xfe || (isApp && !keepApp0 && marker !== 0xee);
    if (!drop) out.push(segment);
    i += 2 + length;
  }
  return null;
}

function stripPng(buf: Buffer): StrippedImage | null {
  const out: Buffer[] = [PNG_SIGNATURE];
  let i = 8;
  while (i + 12 <= buf.length) {
    const length = buf.readUInt32BE(i);
    const type = buf.subarray(i + 4, i + 8).toString('latin1');
    const end = i + 12 + length;
    if (end > buf.length) return null;
    if (PNG_KEEP.has(type)) out.push(buf.subarray(i, end));
    i = end;
    if (type === 'IEND') return { mime: 'image/png', data: Buffer.concat(out) };
  }
  return null;
}
