// Ground truth: what the database rows and the doubles' records say, never the app's own counters.
import type { Database } from '../../src/store/database.js';

/** How the acknowledged events stand in the database. */
export interface EventTruth {
  acked: number;
  /** Acknowledged mids with no InboundEvent row. */
  missing: number;
  /** Rows of acknowledged mids not `done`. */
  notDone: number;
  /** InboundEvent rows of acknowledged mids (the unique key allows one each: more would be a double store). */
  rows: number;
  /** Reply deliveries per event: the common count, and how many events have another count (a turn run twice, or never). */
  deliveriesPerEvent: number;
  oddEvents: number;
  /** Reply deliveries of these events not `sent`. */
  unsent: number;
}

/** Checks every acknowledged mid against the inbox and the outbox. */
export async function eventTruth(db: Database, ackedMids: string[]): Promise<EventTruth> {
  const rows = await db.prisma.$queryRawUnsafe<{ key: string; status: string; deliveries: number; sent: number }[]>(
    `SELECT e."dedupeKey" AS key, e."status" AS status, count(d."id")::int AS deliveries, (count(d."id") FILTER (WHERE d."status" = 'sent'))::int AS sent
       FROM "InboundEvent" e LEFT JOIN "Delivery" d ON d."inboundEventId" = e."id"
      WHERE e."channel" = 'messenger' AND e."dedupeKey" = ANY($1::text[])
      GROUP BY e."id"`,
    ackedMids,
  );
  const keys = new Set(rows.map((r) => r.key));
  const counts = new Map<number, number>();
  for (const r of rows) counts.set(r.deliveries, (counts.get(r.deliveries) ?? 0) + 1);
  const common = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 0;
  return {
    acked: ackedMids.length,
    missing: ackedMids.filter((m) => !keys.has(m)).length,
    notDone: rows.filter((r) => r.status !== 'done').length,
    rows: rows.length,
    deliveriesPerEvent: common,
    oddEvents: rows.filter((r) => r.deliveries !== common || r.deliveries === 0).length,
    unsent: rows.reduce((n, r) => n + (r.deliveries - r.sent), 0),
  };
}

/** Whether the pipeline has nothing left to do: no unfinished event, no unsent delivery (pending or sending). */
export async function backlog(db: Database): Promise<{ inbox: number; outbox: number }> {
  const [row] = await db.prisma.$queryRawUnsafe<{ inbox: number; outbox: number }[]>(
    `SELECT (SELECT count(*) FROM "InboundEvent" WHERE "status" NOT IN ('done', 'failed'))::int AS inbox,
            (SELECT count(*) FROM "Delivery" WHERE "status" IN ('pending', 'sending'))::int AS outbox`,
  );
  return row ?? { inbox: NaN, outbox: NaN };
}

/** Deliveries being sent right now (claimed, not recorded): after a kill, the sends that may have gone out unrecorded. */
export async function sendingNow(db: Database, where = 'TRUE'): Promise<number> {
  const [row] = await db.prisma.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM "Delivery" WHERE "status" = 'sending' AND ${where}`);
  return row?.n ?? NaN;
}

/** Events not yet done (stored but unprocessed, or in a turn). */
export async function unfinishedEvents(db: Database): Promise<number> {
  const [row] = await db.prisma.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM "InboundEvent" WHERE "status" <> 'done'`);
  return row?.n ?? NaN;
}

/** Compares what the double received per recipient with `expected` sends each: who got fewer, and the extra sends. */
export function doubleTruth(perRecipient: Map<string, number>, recipients: Iterable<string>, expected: number): { short: number; duplicates: number } {
  let short = 0;
  let duplicates = 0;
  for (const r of recipients) {
    const got = perRecipient.get(r) ?? 0;
    if (got < expected) short++;
    duplicates += Math.max(0, got - expected);
  }
  return { short, duplicates };
}
