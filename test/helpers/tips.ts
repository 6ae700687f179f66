import { randomBytes } from 'node:crypto';
import { createTips, type Tips, type TipsOptions } from '../../src/services/tips/tips.js';
import type { PrismaClient } from '../../src/store/database.js';

/** The real tip services over a test database, with fresh keys. */
export function testTips(prisma: PrismaClient, opts: Partial<Omit<TipsOptions, 'prisma'>> = {}): Tips {
  return createTips({ prisma, encryptionKey: randomBytes(32), handleKey: randomBytes(32), webFormUrl: '/tip', retentionDays: 180, ...opts });
}
