// What the channels' send policies decide (src/bot/channels/*), restated for the forecast: services may not import
// src/bot. test/services/broadcasts/forecast-reach.test.ts holds both to the same numbers.

/** Messenger: messages only within 24 hours of the person's last message. */
export const MESSENGER_WINDOW_MS = 24 * 3600_000;
/** Zalo OA: user messages only within 7 days of the person's last interaction (groups have no window). */
export const ZALO_WINDOW_MS = 7 * 24 * 3600_000;

// Vietnam has kept UTC+7 without daylight saving since 1975: a fixed offset is exact for Asia/Ho_Chi_Minh.
const VN_OFFSET_MS = 7 * 3600_000;

/** Quiet hours [start, end) o'clock, Asia/Ho_Chi_Minh; a range may wrap midnight. */
export interface QuietHours {
  start: number;
  end: number;
}

/** Whether `now` falls in the quiet hours. */
export function inQuietHours(now: Date, quiet: QuietHours): boolean {
  const hour = new Date(now.getTime() + VN_OFFSET_MS).getUTCHours();
  return quiet.start > quiet.end ? hour >= quiet.start || hour < quiet.end : hour >= quiet.start && hour < quiet.end;
}

/** The next moment the quiet hours end. */
export function quietHoursEnd(now: Date, quiet: QuietHours): Date {
  const local = new Date(now.getTime() + VN_OFFSET_MS);
  const end = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate(), quiet.end);
  const next = end > local.getTime() ? end : end + 24 * 3600_000;
  return new Date(next - VN_OFFSET_MS);
}
