import { randomUUID } from 'node:crypto';
import { loadConfig } from '../../../src/config.js';
import type { TipCategory } from '../../../src/content/tip-categories.js';
import { createTips, type Tips } from '../../../src/services/tips/tips.js';
import type { PrismaClient } from '../../../src/store/database.js';
import { inTransaction } from '../../../src/store/repos.js';
import { jpegWithExif } from '../../helpers/images.js';

/**
 * The tip services with the keys of the console test app: test/admin/helpers/console-app.ts (like test/helpers/app.ts)
 * runs with DATA_DIR /tmp/ssb-test-<pid>, where the embedded demo keeps its generated tip keys, so a tip stored here
 * is one the app decrypts.
 */
export function appTips(prisma: PrismaClient): Tips {
  const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: `/tmp/ssb-test-${process.pid}`, APP_SECRET: 'test-secret-test-secret-test-secret-0123' });
  return createTips({ prisma, ...config.tips, webFormUrl: '/tip', fetchImage: async () => jpegWithExif() });
}

/** A stored tip (as a tipster would submit it), optionally with one photo. */
export interface FixtureTip {
  id: string;
  code: string;
  pin: string;
  photoId: string | null;
}

/** Submits a tip through the real tip service (encrypted with the app's keys), each from a submitter of its own. */
export async function fixtureTip(
  prisma: PrismaClient,
  opts: { schoolId: string | null; description?: string; category?: TipCategory; urgent?: boolean; photo?: boolean; place?: string },
): Promise<FixtureTip> {
  const tips = appTips(prisma);
  const draft = {
    category: opts.category ?? 'school_violence',
    description: opts.description ?? 'Một nhóm học sinh chặn đường bạn sau giờ học ở cổng sau.',
    place: opts.place ?? null,
    schoolId: opts.schoolId,
    urgent: opts.urgent ?? false,
    ...(opts.photo ? { photoUrls: ['https://cdn.example/photo.jpg'] } : {}),
  };
  const out = await inTransaction(prisma, (repos) => tips.submit(repos, draft, { submitter: `fixture:${randomUUID()}`, route: null }, new Date()));
  if (!out.ok) throw new Error(`fixture tip refused: ${out.reason}`);
  let photoId: string | null = null;
  if (out.photoRequest) {
    const photos = await tips.fetchPhotos(out.photoRequest.sealed);
    await inTransaction(prisma, (repos) => tips.attachPhotos(repos, out.photoRequest!.sealed, photos, new Date()));
    photoId = photos[0]?.id ?? null;
  }
  const row = await prisma.tip.findUniqueOrThrow({ where: { publicCode: out.code }, select: { id: true } });
  return { id: row.id, code: out.code, pin: out.pin, photoId };
}
