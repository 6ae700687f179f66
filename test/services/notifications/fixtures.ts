import { randomBytes } from 'node:crypto';
import { createStaffLinkCode } from '../../../src/services/notifications/create-staff-link-code.js';
import { linkStaffChat } from '../../../src/services/notifications/link-staff-chat.js';
import { newCode } from '../../../src/services/tips/tip-codes.js';
import { hourOf } from '../../../src/services/tips/tip-rules.js';
import type { PrismaClient } from '../../../src/store/database.js';
import type { Repos } from '../../../src/store/repos.js';

/** A key for link codes in tests. */
export const LINK_KEY = randomBytes(32);

/** A simulator contact (as the simulator's Zalo half stores one). */
export async function chatContact(prisma: PrismaClient, userId: string) {
  return prisma.contact.create({ data: { channel: 'simulator', accountId: 'zalo', userId, lastInteractionAt: new Date() } });
}

/** A staff account (optionally in a school or office by code) linked to a fresh chat contact, through the services. */
export async function linkedStaff(repos: Repos, prisma: PrismaClient, req: { email: string; role: string; school?: string; office?: string }) {
  const school = req.school ? await prisma.school.findUniqueOrThrow({ where: { code: req.school } }) : null;
  const office = req.office ? await prisma.office.findUniqueOrThrow({ where: { code: req.office } }) : null;
  const staff = await prisma.staffUser.upsert({
    where: { email: req.email },
    create: { email: req.email, name: `Cán bộ ${req.email}`, role: req.role, passwordHash: 'x', schoolId: school?.id ?? null, officeId: office?.id ?? null },
    update: {},
  });
  const contact = await chatContact(prisma, `u-${req.email}`);
  const code = await createStaffLinkCode(repos, LINK_KEY, { email: req.email, now: new Date() });
  if (!code.ok) throw new Error(`no link code: ${code.reason}`);
  const linked = await linkStaffChat(repos, LINK_KEY, { contactId: contact.id, typed: code.code, now: new Date() });
  if (!linked.ok) throw new Error(`not linked: ${linked.reason}`);
  return { staff, contact };
}

/** An urgent tip row as the tip services store one (ciphertexts stand in; nothing here is ever read by alerts). */
export async function urgentTip(prisma: PrismaClient, schoolCode: string | null, extra: { category?: string; urgent?: boolean } = {}) {
  const school = schoolCode ? await prisma.school.findUniqueOrThrow({ where: { code: schoolCode } }) : null;
  return prisma.tip.create({
    data: {
      publicCode: newCode(),
      pinHash: 'argon2-hash',
      category: extra.category ?? 'school_violence',
      urgent: extra.urgent ?? true,
      schoolId: school?.id ?? null,
      descriptionCipher: 'SECRET-DESCRIPTION-CIPHERTEXT',
      placeCipher: 'SECRET-PLACE-CIPHERTEXT',
      pinLength: 10,
      createdAt: hourOf(new Date()),
    },
  });
}

/** The outbox rows of a subject's staff notifications. */
export function alertRows(prisma: PrismaClient, kind: string, subjectId: string) {
  return prisma.delivery.findMany({ where: { idempotencyKey: { startsWith: `staff:${kind}:${subjectId}:` } }, orderBy: { id: 'asc' } });
}
