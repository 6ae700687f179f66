import fc from 'fast-check';
import { createTask } from 'node-cron';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { latestOccurrence, nextOccurrence, occurrencesBackward, parseReminderCron, type CronSchedule } from '../../../src/services/reminders/cron-schedule.js';

/** A Vietnam local time as an instant (UTC+7). */
const vn = (y: number, mo: number, d: number, h = 0, mi = 0) => new Date(Date.UTC(y, mo - 1, d, h - 7, mi));

function schedule(expr: string): CronSchedule {
  const parsed = parseReminderCron(expr);
  if (!parsed.ok) throw new Error(`${expr}: ${parsed.problem}`);
  return parsed.schedule;
}

describe('reminder cron expressions', () => {
  it('accepts 5-field expressions node-cron validates', () => {
    for (const ok of ['0 7 * * 1', '*/15 8-10 * * mon-fri', '0 8 1 1,4,7,10 *', '30 19 * * 1', '0 8 24 9 *', '0 0 29 2 *', ' 0  7 * *   1 ']) {
      expect(parseReminderCron(ok), ok).toMatchObject({ ok: true });
    }
  });

  it('rejects what is not a 5-field schedule node-cron accepts, or that never comes', () => {
    const cases: [string, string][] = [
      ['', 'not_five_fields'],
      ['x', 'not_five_fields'],
      ['0 7 * *', 'not_five_fields'],
      ['* * * * * *', 'not_five_fields'], // seconds: a reminder is per minute
      ['@daily', 'not_five_fields'],
      ['60 * * * *', 'invalid'],
      ['0 24 * * *', 'invalid'],
      ['0 7 32 * *', 'invalid'],
      ['0 7 * 13 *', 'invalid'],
      ['0 7 * * 8', 'invalid'],
      ['0 7 * * funday', 'invalid'],
      ['0 8 31 2 *', 'invalid'],
      ['0 0 L * *', 'unsupported_token'],
      ['0 0 * * 1#2', 'unsupported_token'],
      ['0 0 15W * *', 'unsupported_token'],
    ];
    for (const [expr, problem] of cases) expect(parseReminderCron(expr), expr).toEqual({ ok: false, problem });
  });

  it('reads times in Vietnam time (UTC+7, no daylight saving)', () => {
    const monday0630 = schedule('30 6 * * 1');
    // Wednesday 2026-12-02 12:00 in Vietnam: the latest is Monday 2026-11-30 06:30 there, Sunday 23:30 UTC.
    expect(latestOccurrence(monday0630, vn(2026, 12, 2, 12), vn(2026, 11, 1))?.toISOString()).toBe('2026-11-29T23:30:00.000Z');
    expect(nextOccurrence(monday0630, vn(2026, 12, 2, 12))?.toISOString()).toBe('2026-12-06T23:30:00.000Z');
    // Midnight in Vietnam is 17:00 UTC the day before, in July as in January.
    expect(nextOccurrence(schedule('0 0 1 * *'), vn(2026, 7, 15))?.toISOString()).toBe('2026-07-31T17:00:00.000Z');
    expect(nextOccurrence(schedule('0 0 1 * *'), vn(2026, 1, 15))?.toISOString()).toBe('2026-01-31T17:00:00.000Z');
  });

  it('lists the times between two instants, newest first, bounds as documented', () => {
    const daily = schedule('0 8 * * *');
    const times = [...occurrencesBackward(daily, vn(2026, 3, 5, 8), vn(2026, 3, 2, 8))].map((d) => d.toISOString());
    // At-or-before the upper bound, strictly after the lower one.
    expect(times).toEqual([vn(2026, 3, 5, 8), vn(2026, 3, 4, 8), vn(2026, 3, 3, 8)].map((d) => d.toISOString()));
    expect(latestOccurrence(daily, vn(2026, 3, 5, 7, 59), vn(2026, 3, 4, 8))).toBeNull();
  });
});

// Random 5-field expressions from the forms reminders use: *, a value, a range, a step, a list.
const field = (min: number, max: number) =>
  fc.oneof(
    fc.constant('*'),
    fc.integer({ min, max }).map(String),
    fc.tuple(fc.integer({ min, max }), fc.integer({ min, max })).map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`),
    fc.integer({ min: 2, max: Math.max(2, Math.floor((max - min) / 2)) }).map((n) => `*/${n}`),
    fc.uniqueArray(fc.integer({ min, max }), { minLength: 2, maxLength: 4 }).map((xs) => xs.join(',')),
  );
const cronArb = fc
  .tuple(field(0, 59), field(0, 23), field(1, 28), field(1, 12), field(0, 6))
  .map((f) => f.join(' '))
  .filter((e) => parseReminderCron(e).ok);
// Instants between 2020 and 2035, at any millisecond.
const instantArb = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2035, 0, 1) }).map((t) => new Date(t));

describe('due-time computation against node-cron', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('finds the same next run as node-cron in Asia/Ho_Chi_Minh', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    fc.assert(
      fc.property(cronArb, instantArb, (expr, after) => {
        const task = createTask(expr, () => {}, { timezone: 'Asia/Ho_Chi_Minh' });
        try {
          vi.setSystemTime(after);
          const [theirs] = task.getNextRuns(1);
          const ours = nextOccurrence(schedule(expr), after);
          expect(ours?.toISOString()).toBe(theirs?.toISOString());
        } finally {
          void task.destroy();
        }
      }),
      { numRuns: 300 },
    );
  });

  it('the latest time at or before an instant matches, and none comes between it and the instant', () => {
    fc.assert(
      fc.property(cronArb, instantArb, (expr, at) => {
        const s = schedule(expr);
        const task = createTask(expr, () => {}, { timezone: 'Asia/Ho_Chi_Minh' });
        try {
          const latest = latestOccurrence(s, at, new Date(at.getTime() - 30 * 366 * 86_400_000));
          expect(latest).not.toBeNull();
          expect(latest!.getTime()).toBeLessThanOrEqual(at.getTime());
          expect(latest!.getUTCSeconds()).toBe(0);
          expect(task.match(latest!)).toBe(true);
          expect(nextOccurrence(s, latest!)!.getTime()).toBeGreaterThan(at.getTime());
        } finally {
          void task.destroy();
        }
      }),
      { numRuns: 300 },
    );
  });
});
