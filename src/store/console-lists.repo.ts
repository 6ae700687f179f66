import type { BroadcastRecord } from './broadcast.repo.js';
import type { Db } from './database.js';
import { Prisma } from './generated/client.js';
import type { ReminderRecord } from './reminder.repo.js';

/** Which broadcasts a console list covers: every one, or those touching these schools or classes (or made by this account). */
export type BroadcastListFilter =
  | { all: true; status?: string }
  | {
      /** Broadcasts addressing one of these schools as a whole, or a class of one of them. */
      schoolIds: readonly string[];
      /** Broadcasts addressing one of these schools as a whole only (a teacher's school: its whole-school sends reach their class). */
      wholeSchoolIds: readonly string[];
      /** Broadcasts addressing one of these classes. */
      classIds: readonly string[];
      /** Broadcasts this console account made. */
      staffId: string;
      status?: string;
    };

/** A campaign as the calendar shows it. */
export interface CampaignRecord {
  id: string;
  slug: string;
  title: string;
  startsOn: Date;
  endsOn: Date;
  active: boolean;
}

const ids = (xs: readonly string[]) => Prisma.sql`${[...xs]}::text[]`;
// A stored audience's id list as a JSON array (an audience written by hand with a scalar there reads as empty).
const list = (field: 'schoolIds' | 'classIds') =>
  Prisma.sql`CASE WHEN jsonb_typeof(b."audience"->${field}) = 'array' THEN b."audience"->${field} ELSE '[]'::jsonb END`;

/** Reads the console's list pages need across tables: broadcasts by scope, reminders, campaigns, offices and names. */
export class ConsoleListRepo {
  constructor(private readonly db: Db) {}

  /** Broadcasts of a filter, newest first; one statement over the audience JSON (no join table exists for it). */
  async broadcasts(filter: BroadcastListFilter, limit: number): Promise<BroadcastRecord[]> {
    const status = filter.status ? Prisma.sql`b."status" = ${filter.status}` : Prisma.sql`TRUE`;
    const where =
      'all' in filter
        ? Prisma.sql`TRUE`
        : Prisma.sql`(b."createdByStaffId" = ${filter.staffId}
            OR EXISTS (SELECT 1 FROM jsonb_array_elements_text(${list('schoolIds')}) s("id") WHERE s."id" = ANY(${ids([...filter.schoolIds, ...filter.wholeSchoolIds])}))
            OR EXISTS (SELECT 1 FROM jsonb_array_elements_text(${list('classIds')}) c("id")
              WHERE c."id" = ANY(${ids(filter.classIds)})
                OR c."id" IN (SELECT k."id" FROM "Class" k WHERE k."schoolId" = ANY(${ids(filter.schoolIds)}))))`;
    return this.db.$queryRaw<BroadcastRecord[]>`
      SELECT b."id", b."code", b."campaignId", b."audience", b."message", b."status", b."sendAt", b."needsApproval", b."approvedAt",
        b."decidedBy", b."createdByContactId", b."createdByStaffId", b."source", b."catchUpUntil", b."audienceSize",
        b."expansionCursor", b."leaseOwner", b."leaseUntil", b."expandedAt", b."cancelledAt", b."createdAt"
      FROM "Broadcast" b WHERE ${where} AND ${status}
      ORDER BY b."createdAt" DESC, b."id" DESC LIMIT ${limit}`;
  }

  /** Every reminder, oldest first (a calendar holds tens of them). */
  async reminders(): Promise<ReminderRecord[]> {
    return this.db.reminder.findMany({
      select: { id: true, slug: true, title: true, cron: true, runAt: true, audience: true, message: true, source: true, campaignId: true, active: true, lastRunAt: true, createdAt: true },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
  }

  /** Campaigns by id. */
  async campaigns(campaignIds: readonly string[]): Promise<CampaignRecord[]> {
    if (campaignIds.length === 0) return [];
    return this.db.campaign.findMany({ where: { id: { in: [...campaignIds] } }, select: { id: true, slug: true, title: true, startsOn: true, endsOn: true, active: true } });
  }

  /** Every office, by name (a system admin picks the office of a new school). */
  async offices(): Promise<{ id: string; code: string; name: string }[]> {
    return this.db.office.findMany({ orderBy: { name: 'asc' }, select: { id: true, code: true, name: true } });
  }

  /** An office's name, or null. */
  async officeName(officeId: string): Promise<string | null> {
    return (await this.db.office.findUnique({ where: { id: officeId }, select: { name: true } }))?.name ?? null;
  }

  /** Schools by id, with their office. */
  async schools(schoolIds: readonly string[]): Promise<{ id: string; name: string; officeId: string; broadcastNeedsApproval: boolean }[]> {
    if (schoolIds.length === 0) return [];
    return this.db.school.findMany({ where: { id: { in: [...schoolIds] } }, orderBy: { name: 'asc' }, select: { id: true, name: true, officeId: true, broadcastNeedsApproval: true } });
  }

  /** Classes by id, with their school's name. */
  async classes(classIds: readonly string[]): Promise<{ id: string; name: string; schoolId: string; schoolName: string; schoolYear: string }[]> {
    if (classIds.length === 0) return [];
    const rows = await this.db.class.findMany({
      where: { id: { in: [...classIds] } },
      orderBy: [{ grade: 'asc' }, { name: 'asc' }],
      select: { id: true, name: true, schoolId: true, schoolYear: true, school: { select: { name: true } } },
    });
    return rows.map((r) => ({ id: r.id, name: r.name, schoolId: r.schoolId, schoolName: r.school.name, schoolYear: r.schoolYear }));
  }

  /** The classes of some schools, by school, grade and name (what a broadcast may address). */
  async classesOfSchools(schoolIds: readonly string[] | 'all', limit: number): Promise<{ id: string; name: string; schoolId: string; schoolYear: string }[]> {
    if (schoolIds !== 'all' && schoolIds.length === 0) return [];
    return this.db.class.findMany({
      where: schoolIds === 'all' ? {} : { schoolId: { in: [...schoolIds] } },
      orderBy: [{ schoolId: 'asc' }, { schoolYear: 'desc' }, { grade: 'asc' }, { name: 'asc' }],
      select: { id: true, name: true, schoolId: true, schoolYear: true },
      take: limit,
    });
  }
}
