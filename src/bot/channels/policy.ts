import type { PolicyDecision } from './channel.js';

// Vietnam has kept UTC+7 without daylight saving since 1975: a fixed offset is exact for Asia/Ho_Chi_Minh.
const VN_OFFSET_MS = 7 * 3600_000;

/** Whether `now` falls in the quiet hours [start, end) in Asia/Ho_Chi_Minh (a range may wrap midnight). */
export function inQuietHours(now: Date, quiet: { start: number; end: number }): boolean {
  const hour = new Date(now.getTime() + VN_OFFSET_MS).getUTCHours();
  return quiet.start > quiet.end ? hour >= quiet.start || hour < quiet.end : hour >= quiet.start && hour < quiet.end;
}

/** The next moment the quiet hours end (`end` o'clock, Asia/Ho_Chi_Minh). */
export function quietHoursEnd(now: Date, quiet: { end: number }): Date {
  const local = new Date(now.getTime() + VN_OFFSET_MS);
  const end = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate(), quiet.end);
  const next = end > local.getTime() ? end : end + 24 * 3600_000;
  return new Date(next - VN_OFFSET_MS);
}

/** Skips a message whose reply window (counted from the person's last message) has closed. */
export function replyWindow(lastInteractionAt: Date | null, now: Date, windowMs: number, label: string): PolicyDecision {
  if (!lastInteractionAt) return { kind: 'skip', outcome: 'window_closed', reason: `${label}: the person has never written to us` };
  const age = now.getTime() - lastInteractionAt.getTime();
  if (age > windowMs) return { kind: 'skip', outcome: 'window_closed', reason: `${label}: last message ${Math.floor(age / 3600_000)} h ago` };
  return { kind: 'send' };
}
