import { describe, expect, it } from 'vitest';
import { stripImageMetadata } from '../../../src/services/tips/photo-strip.js';
import { jpegWithExif, pngWithText } from '../../helpers/images.js';

describe('photo metadata stripping', () => {
  it('drops EXIF (GPS, device) and comments from a JPEG and keeps the image data', () => {
    const out = stripImageMetadata(jpegWithExif())!;
    expect(out.mime).toBe('image/jpeg');
    const s = out.data.toString('latin1');
    for (const gone of ['Exif', 'GPSLatitude', 'Model=PhoneX', 'comment with a secret']) expect(s).not.toContain(gone);
    expect(s).toContain('JFIF');
    expect(s).toContain('SCANDATA');
    expect(out.data.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    expect(out.data.subarray(-2)).toEqual(Buffer.from([0xff, 0xd9]));
  });

  it('drops ancillary chunks from a PNG', () => {
    const out = stripImageMetadata(pngWithText())!;
    expect(out.mime).toBe('image/png');
    const s = out.data.toString('latin1');
    expect(s).not.toContain('GPS');
    expect(s).not.toContain('tEXt');
    expect(s).toContain('IHDR');
    expect(s).toContain('PIXELS');
    expect(s).toContain('IEND');
  });

  it('refuses what it cannot walk rather than storing it as is', () => {
    expect(stripImageMetadata(Buffer.from('GIF89a....'))).toBeNull();
    expect(stripImageMetadata(jpegWithExif().subarray(0, 30))).toBeNull();
    expect(stripImageMetadata(Buffer.alloc(0))).toBeNull();
  });
});
