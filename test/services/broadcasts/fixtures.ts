import { randomBytes } from 'node:crypto';
import type { PrismaClient } from '../../../src/store/database.js';

/** Fixtures of the broadcast tests, written straight into a test database (each call makes fresh rows). */
export class BroadcastFixtures {
  private officeId: string | undefined;

  constructor(private readonly prisma: PrismaClient) {}

  private tag(): string {
    return randomBytes(4).toString('hex').toUpperCase();
  }

  /** An office of its own (default: one shared by the fixtures of this instance). */
  async office(): Promise<string> {
    return (await this.prisma.office.create({ data: { code: `O${this.tag()}`, name: 'Phòng GD&ĐT (kiểm thử)' } })).id;
  }

  /** A school with classes named as given (default 6A1, 6A2), in the shared office unless given one. */
  async school(opts: { needsApproval?: boolean; classes?: string[]; officeId?: string } = {}): Promise<{ id: string; officeId: string; name: string; classes: { id: string; name: string }[] }> {
    const officeId = opts.officeId ?? (this.officeId ??= await this.office());
    const code = `S${this.tag()}`;
    const school = await this.prisma.school.create({
      data: { officeId, code, name: `Trường ${code}`, level: 'THCS', broadcastNeedsApproval: opts.needsApproval ?? true },
    });
    const classes = [];
    for (const [i, name] of (opts.classes ?? ['6A1', '6A2']).entries()) {
      const c = await this.prisma.class.create({ data: { schoolId: school.id, name, grade: 6 + i, schoolYear: '2025-2026', code: `${code}-${name}` } });
      classes.push({ id: c.id, name: c.name });
    }
    return { id: school.id, officeId, name: school.name, classes };
  }

  /** A contact; `wrote`: when it last wrote (null: never). */
  async contact(opts: { channel?: string; role?: string | null; schoolId?: string | null; classId?: string | null; wrote?: Date | null; subscribed?: boolean; accountId?: string } = {}): Promise<string> {
    const c = await this.prisma.contact.create({
      data: {
        channel: opts.channel ?? 'zalo',
        accountId: opts.accountId ?? 'acc',
        userId: `u${this.tag()}${this.tag()}`,
        role: opts.role === undefined ? 'parent' : opts.role,
        schoolId: opts.schoolId ?? null,
        classId: opts.classId ?? null,
        subscribed: opts.subscribed ?? true,
        lastInteractionAt: opts.wrote === undefined ? new Date() : opts.wrote,
      },
    });
    return c.id;
  }

  /** Makes a contact a verified teacher: a redeemed invite of the school (and class). */
  async verify(contactId: string, schoolId: string, classId: string | null = null, usedAt = new Date()): Promise<void> {
    await this.prisma.teacherInvite.create({
      data: { codeHash: `h${this.tag()}${this.tag()}`, schoolId, classId, expiresAt: new Date(usedAt.getTime() + 86_400_000), usedAt, usedByContactId: contactId },
    });
  }

  /** A console account, optionally linked to a chat contact. */
  async staff(opts: { role: string; schoolId?: string | null; officeId?: string | null; chatContactId?: string | null }): Promise<string> {
    const s = await this.prisma.staffUser.create({
      data: {
        email: `s${this.tag()}@test.local`,
        name: 'Cán bộ',
        role: opts.role,
        passwordHash: 'x',
        schoolId: opts.schoolId ?? null,
        officeId: opts.officeId ?? null,
        chatContactId: opts.chatContactId ?? null,
      },
    });
    return s.id;
  }

  /** A Zalo group linked to a class. */
  async group(classId: string, health = 'ok', healthCode: string | null = null): Promise<string> {
    const g = await this.prisma.zaloGroup.create({ data: { id: `g${this.tag()}${this.tag()}`, accountId: 'oa', name: 'Nhóm lớp', classId, health, healthCode } });
    return g.id;
  }

  /** An active campaign (it becomes the active one: the most recently started). */
  async campaign(endsOn = new Date(Date.now() + 30 * 86_400_000)): Promise<string> {
    const c = await this.prisma.campaign.create({
      data: { slug: `c${this.tag()}`, title: 'Chiến dịch', startsOn: new Date(Date.UTC(2099, 0, 1) - Math.floor(Math.random() * 1000) * 1000), endsOn, active: true },
    });
    return c.id;
  }

  /** A pledge signed by a contact in a campaign. */
  async pledge(campaignId: string, contactId: string, classId: string, schoolId: string, withdrawn = false): Promise<void> {
    const key = this.tag();
    await this.prisma.pledge.create({
      data: {
        campaignId, templateId: 't', audience: 'parent', schoolId, classId, studentName: `HS ${key}`, studentKey: key.toLowerCase(), contactId,
        receiptCode: `R${key}${this.tag()}`, consentAt: new Date(), withdrawnAt: withdrawn ? new Date() : null,
      },
    });
  }
}

/** A plain text message. */
export const TEXT = [{ type: 'text' as const, text: 'Thông báo: họp phụ huynh lúc 19:00 thứ Sáu.' }];
