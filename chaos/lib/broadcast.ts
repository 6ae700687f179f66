// A broadcast as staff send one: recipients inserted as contacts of a demo class (they wrote recently, so reply
// windows are open), then `createBroadcast` with send-now; the server's expander picks it up within a second.
import type { AudienceRole } from '../../src/services/broadcasts/broadcast-types.js';
import { createBroadcast } from '../../src/services/broadcasts/create-broadcast.js';
import type { Database } from '../../src/store/database.js';
import { createRepos } from '../../src/store/repos.js';

export interface Recipients {
  channel: 'messenger' | 'zalo';
  accountId: string;
  userIds: string[];
}

/** Inserts the recipients as contacts of `classCode` with `role`; returns the class id. */
export async function addContacts(db: Database, classCode: string, role: AudienceRole, groups: Recipients[]): Promise<string> {
  const cls = await db.prisma.class.findUniqueOrThrow({ where: { code: classCode } });
  const wrote = new Date();
  for (const g of groups) {
    for (let i = 0; i < g.userIds.length; i += 5_000) {
      await db.prisma.contact.createMany({
        data: g.userIds.slice(i, i + 5_000).map((userId) => ({ channel: g.channel, accountId: g.accountId, userId, role, schoolId: cls.schoolId, classId: cls.id, lastInteractionAt: wrote })),
      });
    }
  }
  return cls.id;
}

/** Creates a send-now broadcast to `role` in the class; returns its id. */
export async function sendNow(db: Database, classId: string, role: AudienceRole, text: string): Promise<string> {
  const out = await createBroadcast(
    createRepos(db.prisma),
    {
      audience: { schoolIds: [], classIds: [classId], roles: [role], onlyUnpledged: false, includeGroups: false },
      messages: [{ type: 'text', text }],
      sendAt: new Date(),
      author: { kind: 'staff', staffId: 'chaos' },
    },
    new Date(),
  );
  if (!out.ok) throw new Error(`broadcast refused: ${out.reason}`);
  return out.broadcast.id;
}

/** The broadcast's rows by status (ground truth in the outbox). */
export async function broadcastRows(db: Database, broadcastId: string): Promise<Record<string, number> & { total: number; recipients: number }> {
  const rows = await db.prisma.$queryRawUnsafe<{ status: string; n: number; recipients: number }[]>(
    `SELECT "status" AS status, count(*)::int AS n, count(DISTINCT "recipient")::int AS recipients FROM "Delivery" WHERE "broadcastId" = $1 GROUP BY "status"`,
    broadcastId,
  );
  const out: Record<string, number> = {};
  for (const r of rows) out[r.status] = r.n;
  const [distinct] = await db.prisma.$queryRawUnsafe<{ n: number }[]>(`SELECT count(DISTINCT "recipient")::int AS n FROM "Delivery" WHERE "broadcastId" = $1`, broadcastId);
  return { ...out, total: rows.reduce((n, r) => n + r.n, 0), recipients: distinct?.n ?? 0 };
}
