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

/** What a signer gave, already normalised by the caller. */
export interface SignInput {
  templateId: string;
  audience: 'parent' | 'student';
  classId: string;
  studentName: string;
  studentKey: string;
  parentName: string | null;
  contactId: string;
  now: Date;
}

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

const ATTEMPTS = 8;

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

  /**
   * Whether the class has a roster, and the roster's spelling of the pupil: by exact key, or, for a name typed without
   * diacritics, by the loose key when exactly one pupil of the class has it ("Thu" and "Thư" in one class: no match).
   */
  async rosterMatch(classId: string, studentKey: string, looseKey: (name: string) => string, typed: string): Promise<{ hasRoster: boolean; name: string | null }> {
    const entry = await this.db.rosterEntry.findUnique({ where: { classId_studentKey: { classId, studentKey } } });
    if (entry) return { hasRoster: true, name: entry.studentName };
    const roster = await this.db.rosterEntry.findMany({ where: { classId }, select: { studentName: true } });
    const loose = roster.filter((r) => looseKey(r.studentName) === looseKey(typed));
    return { hasRoster: roster.length > 0, name: loose.length === 1 ? loose[0]!.studentName : null };
  }

  /**
   * Records consent: one pledge per student, audience and campaign, so signing again updates the row (and
   * un-withdraws it). The receipt code stays when the same contact signs again; another signer gets a new one, so a
   * certificate handed out earlier stops working. A student pledge is confirmed once a valid parent pledge for the
   * same class and student key exists, whichever is signed first.
   */
  async sign(input: SignInput, newCode: () => string): Promise<{ pledge: PledgeRecord; updated: boolean; studentConfirmed: boolean }> {
    const template = await this.db.pledgeTemplate.findUniqueOrThrow({ where: { id: input.templateId } });
    const cls = await this.db.class.findUniqueOrThrow({ where: { id: input.classId } });
    const unique = { campaignId: template.campaignId, classId: input.classId, studentKey: input.studentKey, audience: input.audience };
    const existing = await this.db.pledge.findUnique({ where: { campaignId_classId_studentKey_audience: unique } });
    const receiptCode = existing && existing.contactId === input.contactId ? existing.receiptCode : await this.freshCode(newCode);
    let confirmedAt: Date | null = null;
    if (input.audience === 'student') {
      const parent = await this.validCounterpart({ ...unique, audience: 'parent' });
      confirmedAt = parent ? (existing?.withdrawnAt === null && existing.confirmedAt ? existing.confirmedAt : input.now) : null;
    }
    const fields = {
      templateId: template.id,
      schoolId: cls.schoolId,
      studentName: input.studentName,
      parentName: input.parentName,
      contactId: input.contactId,
      receiptCode,
      consentAt: input.now,
      confirmedAt,
      withdrawnAt: null,
    };
    const row = await this.db.pledge.upsert({
      where: { campaignId_classId_studentKey_audience: unique },
      create: { ...unique, ...fields },
      update: fields,
    });
    let studentConfirmed = confirmedAt !== null;
    if (input.audience === 'parent') {
      const r = await this.db.pledge.updateMany({
        where: { ...unique, audience: 'student', withdrawnAt: null, confirmedAt: null },
        data: { confirmedAt: input.now },
      });
      studentConfirmed = r.count > 0 || (await this.validCounterpart({ ...unique, audience: 'student' })) !== null;
    }
    return { pledge: (await this.withDetails([row]))[0]!, updated: existing !== null, studentConfirmed };
  }

  /** The contact's pledges that are not withdrawn, newest first. */
  async listByContact(contactId: string): Promise<PledgeRecord[]> {
    const rows = await this.db.pledge.findMany({ where: { contactId, withdrawnAt: null }, orderBy: { consentAt: 'desc' }, take: 20 });
    return this.withDetails(rows);
  }

  /**
   * Withdraws one of the contact's own pledges. A withdrawn parent pledge no longer confirms the student's pledge.
   * Returns false when it is not theirs or already withdrawn.
   */
  async withdraw(contactId: string, pledgeId: string, now: Date): Promise<boolean> {
    const row = await this.db.pledge.findFirst({ where: { id: pledgeId, contactId, withdrawnAt: null } });
    if (!row) return false;
    await this.db.pledge.update({ where: { id: row.id }, data: { withdrawnAt: now } });
    if (row.audience === 'parent') {
      await this.db.pledge.updateMany({
        where: { campaignId: row.campaignId, classId: row.classId, studentKey: row.studentKey, audience: 'student' },
        data: { confirmedAt: null },
      });
    }
    return true;
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

  private async validCounterpart(where: { campaignId: string; classId: string; studentKey: string; audience: string }) {
    return this.db.pledge.findFirst({ where: { ...where, withdrawnAt: null }, select: { id: true } });
  }

  // 40 random bits make a clash rare but not impossible over many pledges; checking first keeps the transaction
  // alive (a unique violation would abort it on PostgreSQL).
  private async freshCode(newCode: () => string): Promise<string> {
    for (let i = 0; i < ATTEMPTS; i++) {
      const code = newCode();
      if (!(await this.db.pledge.findUnique({ where: { receiptCode: code }, select: { id: true } }))) return code;
    }
    throw new Error('could not find a free receipt code');
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
