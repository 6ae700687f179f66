/** Vietnam keeps UTC+7 all year (Asia/Ho_Chi_Minh has no daylight saving time). */
const VN_OFFSET_MS = 7 * 3600_000;
/** How far ahead a teacher may schedule from chat. */
export const MAX_SCHEDULE_DAYS = 60;

/** What a typed send time means, or why it cannot be read. */
export type SendTimeParse =
  | { ok: true; at: Date; /** The time had already passed today, so it is tomorrow's. */ movedToTomorrow: boolean }
  | { ok: false; reason: 'unreadable' | 'in_past' | 'too_far' };

/** Lower case without diacritics, keeping the punctuation of times and dates (":", "/", "."). */
function fold(input: string): string {
  return input.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[đĐ]/g, 'd').toLowerCase().replace(/[,;!?]/g, ' ');
}

/** The wall-clock parts of `d` in Vietnam. */
export function vnParts(d: Date): { year: number; month: number; day: number; hour: number; minute: number } {
  const local = new Date(d.getTime() + VN_OFFSET_MS);
  return { year: local.getUTCFullYear(), month: local.getUTCMonth() + 1, day: local.getUTCDate(), hour: local.getUTCHours(), minute: local.getUTCMinutes() };
}

/** The instant of a Vietnamese wall-clock time. */
function vnInstant(year: number, month: number, day: number, hour: number, minute: number): Date {
  return new Date(Date.UTC(year, month - 1, day, hour, minute) - VN_OFFSET_MS);
}

const pad = (n: number) => String(n).padStart(2, '0');

/** "07:30 02/12" in Vietnam time, the way it is typed. */
export function formatVnTime(d: Date): string {
  const p = vnParts(d);
  return `${pad(p.hour)}:${pad(p.minute)} ${pad(p.day)}/${pad(p.month)}`;
}

/**
 * Reads a send time as Vietnamese people type it: "07:30", "7h30", "7g", "19:00 hôm nay", "7:30 mai", "07:30 02/12",
 * "7h30 2/12/2026", "8 giờ tối". Without a date it is today, or tomorrow once today's has passed.
 */
export function parseSendTime(typed: string, now: Date): SendTimeParse {
  const s = fold(typed).replace(/\bngay\b/g, ' ').replace(/\s+/g, ' ').trim();
  const time = /(?:^|\s)(\d{1,2})\s*(?::|h|g|gio)\s*(\d{2})?(?:\s*(?:phut|p))?(?=\s|$)/.exec(s) ?? /(?:^|\s)(\d{1,2})[.:](\d{2})(?=\s|$)/.exec(s);
  if (!time) return { ok: false, reason: 'unreadable' };
  let hour = Number(time[1]);
  const minute = time[2] ? Number(time[2]) : 0;
  const rest = `${s.slice(0, time.index)} ${s.slice(time.index + time[0].length)}`.replace(/\s+/g, ' ').trim();
  if (/\b(chieu|toi|pm)\b/.test(rest) && hour >= 1 && hour < 12) hour += 12;
  if (/\b(trua)\b/.test(rest) && hour >= 1 && hour < 3) hour += 12;
  if (hour > 23 || minute > 59) return { ok: false, reason: 'unreadable' };

  const today = vnParts(now);
  const date = /(?:^|\s)(\d{1,2})[/-](\d{1,2})(?:[/-](\d{4}))?(?=\s|$)/.exec(rest);
  let at: Date;
  let movedToTomorrow = false;
  if (date) {
    const day = Number(date[1]);
    const month = Number(date[2]);
    const year = date[3] ? Number(date[3]) : today.year;
    at = vnInstant(year, month, day, hour, minute);
    const check = vnParts(at);
    if (check.day !== day || check.month !== month) return { ok: false, reason: 'unreadable' };
    // "07:30 05/01" typed in December means next January; "07:30 30/11" typed on 1/12 has passed.
    if (!date[3] && at.getTime() < now.getTime() - 180 * 24 * 3600_000) at = vnInstant(year + 1, month, day, hour, minute);
  } else {
    const tomorrow = /\b(mai|tomorrow)\b/.test(rest);
    at = vnInstant(today.year, today.month, today.day + (tomorrow ? 1 : 0), hour, minute);
    if (!tomorrow && at.getTime() <= now.getTime()) {
      at = vnInstant(today.year, today.month, today.day + 1, hour, minute);
      movedToTomorrow = true;
    }
  }
  if (at.getTime() <= now.getTime()) return { ok: false, reason: 'in_past' };
  if (at.getTime() > now.getTime() + MAX_SCHEDULE_DAYS * 24 * 3600_000) return { ok: false, reason: 'too_far' };
  return { ok: true, at, movedToTomorrow };
}
