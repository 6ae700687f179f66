// Filling the outbox for the drain and priority phases: contacts whose Messenger window is open, and their
// deliveries written through OutboxRepo.enqueue (as a turn or a broadcast expansion writes them).
import { laneKeyOf } from '../src/bot/log-keys.js';
import type { NewDelivery, OutboxRepo } from '../src/store/outbox.repo.js';
import type { BenchApp } from './bench-app.js';
import { percentile } from './stats.js';

const CHUNK = 2000;
const round = (x: number) => Math.round(x * 100) / 100;

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Percentiles of a set of durations (ms). */
export interface Spread {
  p50: number;
  p99: number;
  max: number;
}

export function spread(values: number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: round(percentile(sorted, 0.5)), p99: round(percentile(sorted, 0.99)), max: round(sorted.at(-1) ?? 0) };
}

/** Contacts who wrote a moment ago (their Messenger window is open), `userId` = prefix + index; returns their ids in order. */
export async function addContacts(bench: BenchApp, prefix: string, count: number): Promise<{ id: string; userId: string }[]> {
  const lastInteractionAt = new Date();
  for (let from = 0; from < count; from += CHUNK) {
    const data = Array.from({ length: Math.min(CHUNK, count - from) }, (_, k) => ({
      channel: 'messenger',
      accountId: bench.pageId,
      userId: `${prefix}${String(from + k).padStart(8, '0')}`,
      lastInteractionAt,
    }));
    await bench.db.prisma.contact.createMany({ data });
  }
  const rows = await bench.db.prisma.contact.findMany({ where: { channel: 'messenger', accountId: bench.pageId, userId: { startsWith: prefix } }, select: { id: true, userId: true } });
  return rows.sort((a, b) => a.userId.localeCompare(b.userId));
}

export function delivery(bench: BenchApp, contact: { id: string; userId: string }, text: string, extra: Partial<NewDelivery> = {}): NewDelivery {
  return {
    contactId: contact.id,
    channel: 'messenger',
    accountId: bench.pageId,
    recipient: contact.userId,
    laneKey: laneKeyOf('messenger', bench.pageId, contact.userId),
    message: { type: 'text', text },
    ...extra,
  };
}

export async function enqueueAll(outbox: OutboxRepo, rows: NewDelivery[]): Promise<void> {
  for (let from = 0; from < rows.length; from += CHUNK) await outbox.enqueue(rows.slice(from, from + CHUNK));
}
