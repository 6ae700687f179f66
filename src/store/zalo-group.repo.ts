import type { Db } from './database.js';

/** How a Zalo class group answers sends: ok, group messaging disabled (−237), or the OA is not in it (−403). */
export type GroupHealth = 'ok' | 'disabled' | 'not_member';

/** A stored OA-owned Zalo group (GMF) and the class it is linked to. */
export interface ZaloGroupRow {
  id: string;
  accountId: string;
  name: string;
  classId: string | null;
  health: GroupHealth;
  healthCode: string | null;
  healthAt: Date | null;
}

/** A group as Zalo lists it. */
export interface ListedGroup {
  id: string;
  name: string;
  /** Zalo's `status` (`enabled` | `disabled`), when it says. */
  status: string | null;
}

const SELECT = { id: true, accountId: true, name: true, classId: true, health: true, healthCode: true, healthAt: true } as const;

function row(r: { id: string; accountId: string; name: string; classId: string | null; health: string; healthCode: string | null; healthAt: Date | null }): ZaloGroupRow {
  const health: GroupHealth = r.health === 'disabled' || r.health === 'not_member' ? r.health : 'ok';
  return { ...r, health };
}

/** OA-owned Zalo groups (`ZaloGroup`): listed from the API, linked to classes, with their health. */
export class ZaloGroupRepo {
  constructor(private readonly db: Db) {}

  /** One group, or null. */
  async get(id: string): Promise<ZaloGroupRow | null> {
    const r = await this.db.zaloGroup.findUnique({ where: { id }, select: SELECT });
    return r && row(r);
  }

  /** Every stored group of an OA (all OAs when omitted), by name. */
  async list(accountId?: string): Promise<ZaloGroupRow[]> {
    const rows = await this.db.zaloGroup.findMany({ where: accountId ? { accountId } : {}, orderBy: [{ name: 'asc' }, { id: 'asc' }], select: SELECT });
    return rows.map(row);
  }

  /**
   * Stores what the API listed: new groups are added, known ones get their name (and the health the listing proves:
   * a listed, enabled group has the OA as a member; a `disabled` one has group messaging off). Class links stay.
   * Returns how many were added.
   */
  async upsertListed(accountId: string, groups: ListedGroup[], now: Date): Promise<number> {
    let added = 0;
    for (const g of groups) {
      const health: GroupHealth = g.status === 'disabled' ? 'disabled' : 'ok';
      const code = health === 'disabled' ? 'listed:disabled' : null;
      const existing = await this.db.zaloGroup.findUnique({ where: { id: g.id }, select: { health: true } });
      if (!existing) {
        await this.db.zaloGroup.createMany({ data: [{ id: g.id, accountId, name: g.name, health, healthCode: code, healthAt: now }], skipDuplicates: true });
        added += 1;
        continue;
      }
      const healthChange = existing.health !== health ? { health, healthCode: code, healthAt: now } : {};
      await this.db.zaloGroup.update({ where: { id: g.id }, data: { accountId, name: g.name, ...healthChange } });
    }
    return added;
  }

  /** Groups of `accountId` stored before but missing from a complete listing: the OA is no longer in them. */
  async markUnlisted(accountId: string, listedIds: string[], now: Date): Promise<number> {
    const r = await this.db.zaloGroup.updateMany({
      where: { accountId, id: { notIn: listedIds }, health: { not: 'not_member' } },
      data: { health: 'not_member', healthCode: 'not_listed', healthAt: now },
    });
    return r.count;
  }

  /** Stores a group the OA just created. */
  async insertCreated(g: { id: string; accountId: string; name: string; classId: string | null }, now: Date): Promise<void> {
    await this.db.zaloGroup.upsert({
      where: { id: g.id },
      create: { ...g, health: 'ok', healthAt: now },
      update: { accountId: g.accountId, name: g.name, classId: g.classId, health: 'ok', healthCode: null, healthAt: now },
    });
  }

  /** Links a group to a class (or unlinks it with null); false when there is no such group. */
  async linkClass(id: string, classId: string | null): Promise<boolean> {
    const r = await this.db.zaloGroup.updateMany({ where: { id }, data: { classId } });
    return r.count === 1;
  }

  /** Sets a group's health; one statement that writes only when it changes. Returns whether it changed. */
  async setHealth(id: string, health: GroupHealth, code: string | null, at: Date): Promise<boolean> {
    const r = await this.db.zaloGroup.updateMany({ where: { id, health: { not: health } }, data: { health, healthCode: code, healthAt: at } });
    return r.count === 1;
  }

  /** The groups linked to these classes, healthy or not (each says why not). */
  async ofClasses(classIds: string[]): Promise<ZaloGroupRow[]> {
    if (classIds.length === 0) return [];
    const rows = await this.db.zaloGroup.findMany({ where: { classId: { in: classIds } }, orderBy: [{ classId: 'asc' }, { id: 'asc' }], select: SELECT });
    return rows.map(row);
  }

  /**
   * Zalo user ids of the verified teachers of a class (redeemed an invite of its school) who wrote to the OA since
   * `since`: the members a new class group starts with (Zalo only adds users who follow or recently interacted).
   */
  async teacherZaloUsersOfClass(cls: { id: string; schoolId: string }, accountId: string, since: Date, limit: number): Promise<string[]> {
    const rows = await this.db.contact.findMany({
      where: {
        channel: 'zalo',
        accountId,
        classId: cls.id,
        role: 'teacher',
        lastInteractionAt: { gte: since },
        teacherInvites: { some: { schoolId: cls.schoolId } },
      },
      orderBy: { lastInteractionAt: 'desc' },
      take: limit,
      select: { userId: true },
    });
    return rows.map((r) => r.userId);
  }
}
