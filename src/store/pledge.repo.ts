import type { Db } from './database.js';

/** A pledge template row as the app reads it. */
export interface PledgeTemplateRecord {
  id: string;
  campaignId: string;
  campaignTitle: string;
  audience: string;
  version: number;
  title: string;
  items: string[];
  source: string;
}

/** A pledge with what is needed to show it: its class, school and campaign. */
export interface PledgeRecord {
  id: string;
  campaignId: string;
  templateId: string;
  audience: string;
  schoolId: string;
  classId: string;
  studentName: string;
  studentKey: string;
  parentName: string | null;
  contactId: string | null;
  receiptCode: string;
  consentAt: Date;
  confirmedAt: Date | null;
  withdrawnAt: Date | null;
  className: string;
  schoolName: string;
  campaign: { title: string; startsOn: Date; endsOn: Date };
}

/** Which pledge a signer's answer fills: one per student, audience and campaign. */
export interface PledgeSlot {
  campaignId: string;
  classId: string;
  studentKey: string;
  audience: 'parent' | 'student';
}

/** The fields a signature writes, already decided by the caller (src/services/pledges/sign-pledge.ts). */
export interface PledgeFields {
  templateId: string;
  studentName: string;
  parentName: string | null;
  contactId: string;
  receiptCode: string;
  consentAt: Date;
  confirmedAt: Date | null;
}

/** The outcome of a write: the stored pledge, or the unique key that another row already holds. */
export type PledgeWriteResult = { ok: true; pledge: PledgeRecord } | { ok: false; reason: 'receipt_code_taken' | 'slot_taken' };

/** Template data to insert (see src/content/pledges/*.yaml). */
export interface TemplateSeed {
  campaign: string;
  audience: string;
  version: number;
  title: string;
  items: string[];
  source: string;
}

/** A pupil on a roster. */
export interface RosterPupil {
  id: string;
  studentName: string;
}

/** A roster pupil and whether each side has a valid pledge in a campaign. */
export interface RosterProgress extends RosterPupil {
  parent: boolean;
  student: boolean;
}

/** Pledge templates, pledges and class rosters. */
export class PledgeRepo {
  constructor(private readonly db: Db) {}

  /**
   * Inserts the template versions that are missing, for campaigns that exist; never rewrites a stored version
   * (pledges point at the wording they accepted). Returns how many were created and which campaigns were absent.
   */
  async ensureTemplates(templates: TemplateSeed[]): Promise<{ created: number; missingCampaigns: string[] }> {
    let created = 0;
    const missing = new Set<string>();
    for (const t of templates) {
      const campaign = await this.db.campaign.findUnique({ where: { slug: t.campaign } });
      if (!campaign) {
        missing.add(t.campaign);
        continue;
      }
      const key = { campaignId: campaign.id, audience: t.audience, version: t.version };
      if (await this.db.pledgeTemplate.findUnique({ where: { campaignId_audience_version: key } })) continue;
      // createMany + skipDuplicates: two replicas booting together do not fail on the unique key.
      const r = await this.db.pledgeTemplate.createMany({ data: [{ ...key, title: t.title, items: t.items, source: t.source }], skipDuplicates: true });
      created += r.count;
    }
    return { created, missingCampaigns: [...missing] };
  }

  /** Adds pupils to a class roster (by class code), skipping names already there. Returns how many were added. */
  async ensureRoster(classCode: string, pupils: { studentName: string; studentKey: string }[]): Promise<number> {
    const cls = await this.db.class.findUnique({ where: { code: classCode } });
    if (!cls) return 0;
    const r = await this.db.rosterEntry.createMany({ data: pupils.map((p) => ({ classId: cls.id, ...p })), skipDuplicates: true });
    return r.count;
  }

  /** The newest template for an audience in the most recently started active campaign, or null. */
  async currentTemplate(audience: string): Promise<PledgeTemplateRecord | null> {
    const campaigns = await this.db.campaign.findMany({ where: { active: true }, orderBy: [{ startsOn: 'desc' }, { createdAt: 'desc' }] });
    for (const c of campaigns) {
      const t = await this.db.pledgeTemplate.findFirst({ where: { campaignId: c.id, audience }, orderBy: { version: 'desc' } });
      if (t) return toTemplate(t, c.title);
    }
    return null;
  }

  /** One template by id, or null. */
  async getTemplate(id: string): Promise<PledgeTemplateRecord | null> {
    const t = await this.db.pledgeTemplate.findUnique({ where: { id } });
    if (!t) return null;
    const c = await this.db.campaign.findUnique({ where: { id: t.campaignId } });
    return c ? toTemplate(t, c.title) : null;
  }

  /** The roster's spelling of the pupil with this exact name key in the class, or null. */
  async rosterName(classId: string, studentKey: string): Promise<string | null> {
    const entry = await this.db.rosterEntry.findUnique({ where: { classId_studentKey: { classId, studentKey } }, select: { studentName: true } });
    return entry?.studentName ?? null;
  }

  /** Every name on the class roster (empty: the class has no roster). */
  async rosterNames(classId: string): Promise<string[]> {
    return (await this.db.rosterEntry.findMany({ where: { classId }, select: { studentName: true } })).map((r) => r.studentName);
  }

  /** The pledge in a slot, withdrawn or not, or null. */
  async findInSlot(slot: PledgeSlot): Promise<PledgeRecord | null> {
    const row = await this.db.pledge.findUnique({ where: { campaignId_classId_studentKey_audience: slot } });
    return row ? ((await this.withDetails([row]))[0] ?? null) : null;
  }

  /** Whether the slot holds a pledge that is not withdrawn. */
  async hasValid(slot: PledgeSlot): Promise<boolean> {
    return (await this.db.pledge.count({ where: { ...slot, withdrawnAt: null } })) > 0;
  }

  /**
   * Inserts a pledge into an empty slot. A receipt code or slot already taken is reported, not thrown: ON CONFLICT DO
   * NOTHING keeps the turn's transaction usable (a unique violation would abort it on PostgreSQL).
   */
  async insert(slot: PledgeSlot, fields: PledgeFields): Promise<PledgeWriteResult> {
    const cls = await this.db.class.findUniqueOrThrow({ where: { id: slot.classId }, select: { schoolId: true } });
    const [row] = await this.db.pledge.createManyAndReturn({ data: [{ ...slot, ...fields, schoolId: cls.schoolId, withdrawnAt: null }], skipDuplicates: true });
    if (row) return { ok: true, pledge: (await this.withDetails([row]))[0]! };
    return { ok: false, reason: (await this.codeTaken(fields.receiptCode)) ? 'receipt_code_taken' : 'slot_taken' };
  }

  /**
   * Overwrites a pledge with a new signature (and un-withdraws it). A receipt code held by another pledge is reported,
   * not thrown (see `insert`); the check and the write are one call so no caller can write without it.
   */
  async update(id: string, fields: PledgeFields): Promise<PledgeWriteResult> {
    const holder = await this.db.pledge.findUnique({ where: { receiptCode: fields.receiptCode }, select: { id: true } });
    if (holder && holder.id !== id) return { ok: false, reason: 'receipt_code_taken' };
    const row = await this.db.pledge.update({ where: { id }, data: { ...fields, withdrawnAt: null } });
    return { ok: true, pledge: (await this.withDetails([row]))[0]! };
  }

  /** Sets the confirmation time of the student pledge of a slot when it is valid and not confirmed yet; true if it was. */
  async confirmStudent(slot: Omit<PledgeSlot, 'audience'>, now: Date): Promise<boolean> {
    const r = await this.db.pledge.updateMany({ where: { ...slot, audience: 'student', withdrawnAt: null, confirmedAt: null }, data: { confirmedAt: now } });
    return r.count > 0;
  }

  /** Clears the confirmation of the student pledge of a slot. */
  async unconfirmStudent(slot: Omit<PledgeSlot, 'audience'>): Promise<void> {
    await this.db.pledge.updateMany({ where: { ...slot, audience: 'student' }, data: { confirmedAt: null } });
  }

  /** The contact's pledges that are not withdrawn, newest first. */
  async listByContact(contactId: string): Promise<PledgeRecord[]> {
    const rows = await this.db.pledge.findMany({ where: { contactId, withdrawnAt: null }, orderBy: { consentAt: 'desc' }, take: 20 });
    return this.withDetails(rows);
  }

  /** Marks one of the contact's own valid pledges withdrawn; returns it, or null when it is not theirs or already withdrawn. */
  async markWithdrawn(contactId: string, pledgeId: string, now: Date): Promise<PledgeRecord | null> {
    const r = await this.db.pledge.updateMany({ where: { id: pledgeId, contactId, withdrawnAt: null }, data: { withdrawnAt: now } });
    if (r.count === 0) return null;
    return this.withDetails([await this.db.pledge.findUniqueOrThrow({ where: { id: pledgeId } })]).then((rows) => rows[0]!);
  }

  /** A pledge by its receipt code (withdrawn ones included), or null. */
  async findByCode(code: string): Promise<PledgeRecord | null> {
    const row = await this.db.pledge.findUnique({ where: { receiptCode: code } });
    return row ? ((await this.withDetails([row]))[0] ?? null) : null;
  }

  /** Template of a pledge (for the certificate's commitments). */
  async templateOf(pledge: { templateId: string }): Promise<PledgeTemplateRecord | null> {
    return this.getTemplate(pledge.templateId);
  }

  /** Roster pupils of a class without a valid pledge in a campaign, per audience, in roster name order. */
  async missingFromRoster(classId: string, campaignId: string): Promise<{ parent: RosterPupil[]; student: RosterPupil[] }> {
    const [roster, pledges] = await Promise.all([
      this.db.rosterEntry.findMany({ where: { classId }, orderBy: { studentName: 'asc' } }),
      this.db.pledge.findMany({ where: { classId, campaignId, withdrawnAt: null }, select: { audience: true, studentKey: true } }),
    ]);
    const signed = { parent: new Set<string>(), student: new Set<string>() };
    for (const p of pledges) if (p.audience === 'parent' || p.audience === 'student') signed[p.audience].add(p.studentKey);
    const missing = (a: 'parent' | 'student') => roster.filter((r) => !signed[a].has(r.studentKey)).map((r) => ({ id: r.id, studentName: r.studentName }));
    return { parent: missing('parent'), student: missing('student') };
  }

  /** The most recently started active campaign (as pledges and broadcasts pick theirs), or null. */
  async activeCampaign(): Promise<{ id: string; title: string } | null> {
    return this.db.campaign.findFirst({ where: { active: true }, orderBy: [{ startsOn: 'desc' }, { createdAt: 'desc' }], select: { id: true, title: true } });
  }

  /**
   * Each roster pupil of a class with whether a valid (not withdrawn) parent and student pledge exists for them in a
   * campaign, and the class's valid pledges per audience, counted with those for names not on the roster.
   */
  async classProgress(classId: string, campaignId: string): Promise<{ pupils: RosterProgress[]; signed: { parent: number; student: number } }> {
    const roster = await this.db.rosterEntry.findMany({ where: { classId }, orderBy: { studentName: 'asc' }, select: { id: true, studentName: true, studentKey: true } });
    const pledges = await this.db.pledge.findMany({ where: { classId, campaignId, withdrawnAt: null }, select: { audience: true, studentKey: true } });
    const signed = { parent: new Set<string>(), student: new Set<string>() };
    for (const p of pledges) if (p.audience === 'parent' || p.audience === 'student') signed[p.audience].add(p.studentKey);
    return {
      pupils: roster.map((r) => ({ id: r.id, studentName: r.studentName, parent: signed.parent.has(r.studentKey), student: signed.student.has(r.studentKey) })),
      signed: { parent: signed.parent.size, student: signed.student.size },
    };
  }

  private async codeTaken(receiptCode: string): Promise<boolean> {
    return (await this.db.pledge.count({ where: { receiptCode } })) > 0;
  }

  private async withDetails<T extends Omit<PledgeRecord, 'className' | 'schoolName' | 'campaign'>>(rows: T[]): Promise<PledgeRecord[]> {
    if (rows.length === 0) return [];
    const [classes, campaigns] = await Promise.all([
      this.db.class.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.classId))] } }, include: { school: true } }),
      this.db.campaign.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.campaignId))] } } }),
    ]);
    return rows.map((r) => {
      const cls = classes.find((c) => c.id === r.classId);
      const c = campaigns.find((x) => x.id === r.campaignId);
      return {
        id: r.id,
        campaignId: r.campaignId,
        templateId: r.templateId,
        audience: r.audience,
        schoolId: r.schoolId,
        classId: r.classId,
        studentName: r.studentName,
        studentKey: r.studentKey,
        parentName: r.parentName,
        contactId: r.contactId,
        receiptCode: r.receiptCode,
        consentAt: r.consentAt,
        confirmedAt: r.confirmedAt,
        withdrawnAt: r.withdrawnAt,
        className: cls?.name ?? '',
        schoolName: cls?.school.name ?? '',
        campaign: { title: c?.title ?? '', startsOn: c?.startsOn ?? r.consentAt, endsOn: c?.endsOn ?? r.consentAt },
      };
    });
  }
}

function toTemplate(t: { id: string; campaignId: string; audience: string; version: number; title: string; items: unknown; source: string }, campaignTitle: string): PledgeTemplateRecord {
  const items = Array.isArray(t.items) ? t.items.filter((i): i is string => typeof i === 'string') : [];
  return { id: t.id, campaignId: t.campaignId, campaignTitle, audience: t.audience, version: t.version, title: t.title, items, source: t.source };
}
