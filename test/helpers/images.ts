/** A JPEG-shaped file with an EXIF segment holding GPS data, a comment and a fake scan (structure only). */
export function jpegWithExif(): Buffer {
  const seg = (marker: number, body: Buffer) => {
    const head = Buffer.alloc(4);
    head[0] = 0xff;
    head[1] = marker;
    head.writeUInt16BE(body.length + 2, 2);
    return Buffer.concat([head, body]);
  };
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    seg(0xe0, Buffer.from([...Buffer.from('JFIF\0', 'latin1'), 1, 1, 0, 0, 1, 0, 1, 0, 0])),
    seg(0xe1, Buffer.from('Exif\0\0GPSLatitude=10.7769;GPSLongitude=106.7009;Model=PhoneX', 'latin1')),
    seg(0xfe, Buffer.from('comment with a secret', 'latin1')),
    seg(0xdb, Buffer.from([0, 1, 2, 3])),
    seg(0xda, Buffer.from([1, 1, 0, 0, 0x3f, 0])),
    Buffer.from('SCANDATA', 'latin1'),
    Buffer.from([0xff, 0xd9]),
  ]);
}

/** A PNG-shaped file with a text chunk holding GPS data (CRCs are not checked by the stripper). */
export function pngWithText(): Buffer {
  const chunk = (type: string, body: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(body.length);
    return Buffer.concat([len, Buffer.from(type, 'latin1'), body, Buffer.alloc(4)]);
  };
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', Buffer.alloc(13, 1)),
    chunk('tEXt', Buffer.from('GPS\0lat=10.7769', 'latin1')),
    chunk('eXIf', Buffer.from('MM\0*GPSINFO', 'latin1')),
    chunk('IDAT', Buffer.from('PIXELS', 'latin1')),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
