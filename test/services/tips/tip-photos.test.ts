import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealPhotoRequest } from '../../../src/services/tips/photo-request.js';
import { TipKeys } from '../../../src/services/tips/tip-keys.js';
import type { Tips } from '../../../src/services/tips/tips.js';
import { inTransaction } from '../../../src/store/repos.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.js';
import { jpegWithExif, pngWithText } from '../../helpers/images.js';
import { testTips } from '../../helpers/tips.js';

// A tip's photos are fetched after its submission commits: the submission hands back a sealed request, the download
// prepares the photos outside any transaction, and a later transaction stores them.

let db: TestDatabase;
const encryptionKey = randomBytes(32);
const handleKey = randomBytes(32);
const served = new Map<string, Buffer>([
  ['https://cdn.example/a.jpg', jpegWithExif()],
  ['https://cdn.example/b.png', pngWithText()],
  ['https://cdn.example/c.jpg', jpegWithExif()],
  ['https://cdn.example/not-an-image.jpg', Buffer.from('<html>login</html>')],
]);
const fetched: string[] = [];
let tips: Tips;
beforeAll(async () => {
  db = await createTestDatabase();
  tips = testTips(db.prisma, {
    encryptionKey,
    handleKey,
    fetchImage: async (url) => {
      fetched.push(url);
      if (url.endsWith('throws.jpg')) throw new Error('connection reset');
      return served.get(url) ?? null;
    },
  });
});
afterAll(async () => {
  await db?.drop();
});

const draft = { category: 'theft' as const, description: 'Ảnh chụp kẻ lấy trộm xe', place: null, schoolId: null, urgent: false };
async function submitWith(photoUrls: string[]): Promise<{ tipId: string; request: { sealed: string; count: number } | undefined }> {
  const out = await inTransaction(db.prisma, (repos) => tips.submit(repos, { ...draft, photoUrls }, { submitter: `photos:${photoUrls.join()}`, route: null }, new Date()));
  if (!out.ok) throw new Error('not stored');
  const tip = await db.prisma.tip.findUniqueOrThrow({ where: { publicCode: out.code } });
  return { tipId: tip.id, request: out.photoRequest };
}
const attach = (request: string, photos: Awaited<ReturnType<Tips['fetchPhotos']>>) => inTransaction(db.prisma, (repos) => tips.attachPhotos(repos, request, photos, new Date()));

describe('tip photos after the submission', () => {
  it('asks for no photos when none were sent, and fetches nothing while submitting', async () => {
    const before = fetched.length;
    expect((await submitWith([])).request).toBeUndefined();
    const { request } = await submitWith(['https://cdn.example/a.jpg']);
    expect(request?.count).toBe(1);
    expect(fetched.length).toBe(before);
  });

  it('seals the request: neither the tip id nor the addresses can be read from it', async () => {
    const { tipId, request } = await submitWith(['https://cdn.example/a.jpg', 'https://cdn.example/b.png']);
    expect(request!.sealed).toMatch(/^v1\./);
    expect(request!.sealed).not.toContain(tipId);
    expect(request!.sealed).not.toContain('cdn.example');
  });

  it('stores what could be had, stripped and sealed for the tip, and leaves out the rest', async () => {
    const urls = ['https://cdn.example/a.jpg', 'https://cdn.example/b.png', 'https://cdn.example/throws.jpg', 'https://cdn.example/c.jpg'];
    const { tipId, request } = await submitWith(urls);
    // At most three photos per tip: the fourth address is not even asked for.
    expect(request!.count).toBe(3);
    const photos = await tips.fetchPhotos(request!.sealed);
    expect(fetched).not.toContain('https://cdn.example/c.jpg');
    expect(photos.map((p) => p.mime).sort()).toEqual(['image/jpeg', 'image/png']);
    expect(await attach(request!.sealed, photos)).toEqual({ stored: 2 });
    const rows = await db.prisma.tipAttachment.findMany({ where: { tipId } });
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row.createdAt.getTime() % 3600_000).toBe(0);
      const plain = new TipKeys(encryptionKey, handleKey).text.openBytes(row.dataCipher, `${tipId}:attachment:${row.id}`).toString('latin1');
      expect(plain).not.toMatch(/GPS|comment with a secret/);
      expect(plain).toMatch(/SCANDATA|PIXELS/);
    }
  });

  it('refuses a file that is not a photo rather than store it as it came', async () => {
    const { request } = await submitWith(['https://cdn.example/not-an-image.jpg']);
    expect(await tips.fetchPhotos(request!.sealed)).toEqual([]);
  });

  it('stores nothing for a request sealed under another key or for a tip that is gone', async () => {
    const { tipId, request } = await submitWith(['https://cdn.example/a.jpg']);
    const photos = await tips.fetchPhotos(request!.sealed);
    const foreign = sealPhotoRequest(new TipKeys(randomBytes(32), randomBytes(32)), tipId, ['https://cdn.example/a.jpg']);
    expect(await tips.fetchPhotos(foreign)).toEqual([]);
    expect(await attach(foreign, photos)).toEqual({ stored: 0 });
    await db.prisma.tip.delete({ where: { id: tipId } });
    expect(await attach(request!.sealed, photos)).toEqual({ stored: 0 });
  });
});
