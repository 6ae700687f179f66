import { parse, validate } from 'node-cron';

/** Reminders run in Vietnam's time zone, Asia/Ho_Chi_Minh: UTC+7 all year, no daylight saving time. */
export const REMINDER_TIME_ZONE = 'Asia/Ho_Chi_Minh';
const OFFSET_MS = 7 * 3600_000;
const DAY_MS = 86_400_000;
// The rarest schedule node-cron accepts and we allow (29 February on a given weekday) comes back within 28 years.
const NEVER_DAYS = 366 * 29;

/** A validated 5-field cron expression, expanded into the values each field allows. */
export interface CronSchedule {
  expression: string;
  /** Ascending. */
  minutes: readonly number[];
  /** Ascending. */
  hours: readonly number[];
  daysOfMonth: ReadonlySet<number>;
  months: ReadonlySet<number>;
  /** 0 = Sunday … 6 = Saturday. */
  weekdays: ReadonlySet<number>;
}

/** Why an expression cannot schedule a reminder. */
export type CronProblem = 'not_five_fields' | 'invalid' | 'unsupported_token' | 'never_matches';

export type CronCheck = { ok: true; schedule: CronSchedule } | { ok: false; problem: CronProblem };

/**
 * Checks a reminder's cron expression: exactly five fields (minute hour day-of-month month day-of-week; no seconds,
 * no `@daily`), accepted by node-cron's `validate`, without node-cron's `L`, `W` and `#` tokens, and matching some
 * minute within 28 years. Field values, ranges, steps and names are node-cron's own (`parse`); as in node-cron, a
 * day must match both day-of-month and day-of-week when both are restricted.
 */
export function parseReminderCron(expression: string): CronCheck {
  const expr = expression.trim().replace(/\s+/g, ' ');
  if (expr.split(' ').length !== 5 || expr.startsWith('@')) return { ok: false, problem: 'not_five_fields' };
  let fields: ReturnType<typeof parse>;
  try {
    if (!validate(expr)) return { ok: false, problem: 'invalid' };
    fields = parse(expr);
  } catch {
    return { ok: false, problem: 'invalid' };
  }
  const numbers = (values: readonly (number | string)[]): number[] | null => (values.every((v) => typeof v === 'number') ? [...(values as number[])] : null);
  const dom = numbers(fields.dayOfMonth);
  const dow = numbers(fields.dayOfWeek);
  if (!dom || !dow) return { ok: false, problem: 'unsupported_token' };
  const schedule: CronSchedule = {
    expression: expr,
    minutes: [...fields.minute].sort((a, b) => a - b),
    hours: [...fields.hour].sort((a, b) => a - b),
    daysOfMonth: new Set(dom),
    months: new Set(fields.month),
    weekdays: new Set(dow.map((d) => d % 7)),
  };
  if (!schedule.minutes.length || !schedule.hours.length) return { ok: false, problem: 'invalid' };
  const first = occurrencesAfter(schedule, new Date(Date.UTC(2000, 0, 1)), new Date(Date.UTC(2000, 0, 1) + NEVER_DAYS * DAY_MS)).next();
  if (first.done) return { ok: false, problem: 'never_matches' };
  return { ok: true, schedule };
}

/** True when `expression` can schedule a reminder (see `parseReminderCron`). */
export function isValidReminderCron(expression: string): boolean {
  return parseReminderCron(expression).ok;
}

function dayMatches(s: CronSchedule, localDayStart: number): boolean {
  const d = new Date(localDayStart);
  return s.months.has(d.getUTCMonth() + 1) && s.daysOfMonth.has(d.getUTCDate()) && s.weekdays.has(d.getUTCDay());
}

/**
 * The scheduled times at or before `atOrBefore` and strictly after `after`, newest first (instants; each is a whole
 * minute of Vietnam time).
 */
export function* occurrencesBackward(s: CronSchedule, atOrBefore: Date, after: Date): Generator<Date> {
  const from = atOrBefore.getTime() + OFFSET_MS;
  const floor = after.getTime() + OFFSET_MS;
  for (let day = Math.floor(from / DAY_MS) * DAY_MS; day + DAY_MS > floor + 1; day -= DAY_MS) {
    if (!dayMatches(s, day)) continue;
    for (let h = s.hours.length - 1; h >= 0; h--) {
      for (let m = s.minutes.length - 1; m >= 0; m--) {
        const t = day + s.hours[h]! * 3600_000 + s.minutes[m]! * 60_000;
        if (t > from) continue;
        if (t <= floor) return;
        yield new Date(t - OFFSET_MS);
      }
    }
  }
}

/** The scheduled times strictly after `after` and at or before `until`, oldest first. */
export function* occurrencesAfter(s: CronSchedule, after: Date, until: Date): Generator<Date> {
  const from = after.getTime() + OFFSET_MS;
  const to = until.getTime() + OFFSET_MS;
  for (let day = Math.floor(from / DAY_MS) * DAY_MS; day <= to; day += DAY_MS) {
    if (!dayMatches(s, day)) continue;
    for (const h of s.hours) {
      for (const m of s.minutes) {
        const t = day + h * 3600_000 + m * 60_000;
        if (t <= from) continue;
        if (t > to) return;
        yield new Date(t - OFFSET_MS);
      }
    }
  }
}

/** The latest scheduled time at or before `atOrBefore` and after `after`, or null. */
export function latestOccurrence(s: CronSchedule, atOrBefore: Date, after: Date): Date | null {
  const r = occurrencesBackward(s, atOrBefore, after).next();
  return r.done ? null : r.value;
}

/** The first scheduled time after `after`, looking at most `withinDays` ahead, or null. */
export function nextOccurrence(s: CronSchedule, after: Date, withinDays = NEVER_DAYS): Date | null {
  const r = occurrencesAfter(s, after, new Date(after.getTime() + withinDays * DAY_MS)).next();
  return r.done ? null : r.value;
}
