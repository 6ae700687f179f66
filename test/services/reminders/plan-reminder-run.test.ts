import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nextOccurrence, parseReminderCron } from '../../../src/services/reminders/cron-schedule.js';
import { DEFAULT_CATCH_UP, planReminderRun, type ReminderTiming } from '../../../src/services/reminders/plan-reminder-run.js';

const vn = (y: number, mo: number, d: number, h = 0, mi = 0) => new Date(Date.UTC(y, mo - 1, d, h - 7, mi));
const H = 3600_000;
const D = 24 * H;
const iso = (d: Date) => d.toISOString();

const weekly = (over: Partial<ReminderTiming> = {}): ReminderTiming => ({ cron: '30 6 * * 1', runAt: null, lastRunAt: null, createdAt: vn(2026, 11, 1), ...over });

describe('planning a reminder tick', () => {
  it('after 3 days of downtime runs the weekly time that fell in it, once, with nothing else missed', () => {
    // Last tick Sunday 29/11 20:00; down until Wednesday 02/12 20:00; Monday 30/11 06:30 fell in between.
    const r = weekly({ lastRunAt: vn(2026, 11, 23, 6, 30) });
    const plan = planReminderRun(r, vn(2026, 12, 2, 20));
    expect(plan).toEqual({ kind: 'run', scheduledAt: vn(2026, 11, 30, 6, 30), missed: [], missedUnrecorded: 0 });
    // Once it ran, the next ticks until next Monday have nothing to do.
    const after = { ...r, lastRunAt: vn(2026, 11, 30, 6, 30) };
    for (let t = vn(2026, 12, 2, 20).getTime(); t < vn(2026, 12, 7, 6, 30).getTime(); t += 37 * 60_000) expect(planReminderRun(after, new Date(t)).kind).toBe('idle');
    expect(planReminderRun(after, vn(2026, 12, 7, 6, 30))).toMatchObject({ kind: 'run', scheduledAt: vn(2026, 12, 7, 6, 30) });
  });

  it('runs only the latest of several missed times; the older ones are recorded as missed', () => {
    const daily = { cron: '0 8 * * *', runAt: null, lastRunAt: vn(2026, 3, 1, 8), createdAt: vn(2026, 1, 1) };
    const plan = planReminderRun(daily, vn(2026, 3, 5, 9));
    expect(plan.kind).toBe('run');
    if (plan.kind !== 'run') return;
    expect(iso(plan.scheduledAt)).toBe(iso(vn(2026, 3, 5, 8)));
    expect(plan.missed.map(iso)).toEqual([vn(2026, 3, 4, 8), vn(2026, 3, 3, 8), vn(2026, 3, 2, 8)].map(iso));
  });

  it('records a time older than the grace window as missed and sends nothing', () => {
    const r = weekly({ lastRunAt: vn(2026, 11, 23, 6, 30) });
    // Monday 30/11 06:30 is 4 days old on Friday 04/12 07:00: beyond the 72 h default.
    expect(planReminderRun(r, vn(2026, 12, 4, 7))).toMatchObject({ kind: 'too_late', scheduledAt: vn(2026, 11, 30, 6, 30) });
    expect(planReminderRun(r, vn(2026, 12, 4, 7), { ...DEFAULT_CATCH_UP, graceMs: 7 * D })).toMatchObject({ kind: 'run' });
  });

  it('caps the missed times it records and counts the rest', () => {
    const everyMinute = { cron: '* * * * *', runAt: null, lastRunAt: vn(2026, 3, 1), createdAt: vn(2026, 1, 1) };
    const plan = planReminderRun(everyMinute, vn(2026, 3, 1, 2), { graceMs: H, maxMissedRecorded: 10 });
    expect(plan).toMatchObject({ kind: 'run', scheduledAt: vn(2026, 3, 1, 2) });
    if (plan.kind !== 'run') return;
    expect(plan.missed).toHaveLength(10);
    expect(plan.missedUnrecorded).toBe(119 - 10);
  });

  it('never runs a time before the reminder existed', () => {
    // Created on a Tuesday: last Monday's 06:30 is not due.
    const r = weekly({ createdAt: vn(2026, 12, 1, 10) });
    expect(planReminderRun(r, vn(2026, 12, 3, 10)).kind).toBe('idle');
    expect(planReminderRun(r, vn(2026, 12, 7, 6, 31))).toMatchObject({ kind: 'run', scheduledAt: vn(2026, 12, 7, 6, 30) });
  });

  it('runs a one-off once, at or after its time', () => {
    const oneOff: ReminderTiming = { cron: null, runAt: vn(2026, 8, 16, 8), lastRunAt: null, createdAt: vn(2026, 8, 1) };
    expect(planReminderRun(oneOff, vn(2026, 8, 16, 7, 59)).kind).toBe('idle');
    expect(planReminderRun(oneOff, vn(2026, 8, 16, 8))).toEqual({ kind: 'run', scheduledAt: vn(2026, 8, 16, 8), missed: [], missedUnrecorded: 0 });
    expect(planReminderRun({ ...oneOff, lastRunAt: vn(2026, 8, 16, 8) }, vn(2026, 8, 16, 9)).kind).toBe('idle');
    expect(planReminderRun(oneOff, vn(2026, 8, 20, 8)).kind).toBe('too_late');
  });

  it('says so when the stored schedule is unusable', () => {
    expect(planReminderRun(weekly({ cron: '61 * * * *' }), vn(2026, 12, 2)).kind).toBe('invalid_schedule');
    expect(planReminderRun({ cron: null, runAt: null, lastRunAt: null, createdAt: vn(2026, 1, 1) }, vn(2026, 12, 2)).kind).toBe('invalid_schedule');
  });

  it('at any hour: quiet hours never skip a run', () => {
    const night = { cron: '30 23 * * *', runAt: null, lastRunAt: vn(2026, 3, 1, 23, 30), createdAt: vn(2026, 1, 1) };
    expect(planReminderRun(night, vn(2026, 3, 2, 23, 30))).toMatchObject({ kind: 'run', scheduledAt: vn(2026, 3, 2, 23, 30) });
  });
});

// Any schedule, any ticks (every minute, or with gaps of days: a server that stops and starts): each scheduled time
// runs at most once, in order; a tick never runs a time that is not the latest due; and the times that run are exactly
// the latest time due at each tick whose latest time is new.
const cronArb = fc
  .tuple(fc.constantFrom('0', '30', '*/20', '5,35'), fc.constantFrom('*', '8', '6-9', '*/6', '19'), fc.constantFrom('*', '1', '15', '1-7'), fc.constant('*'), fc.constantFrom('*', '1', '1-5', '0,3'))
  .map((f) => f.join(' '));
const gapsArb = fc.array(fc.oneof(fc.integer({ min: 1, max: 3 }).map((m) => m * 60_000), fc.integer({ min: 1, max: 6 * 24 * 60 }).map((m) => m * 60_000)), { minLength: 1, maxLength: 80 });

describe('due times over any sequence of ticks', () => {
  it('each time runs once at most, in order, and only as the latest one due', () => {
    fc.assert(
      fc.property(cronArb, fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2030, 0, 1) }), gapsArb, (cron, start, gaps) => {
        const s = parseReminderCron(cron);
        if (!s.ok) throw new Error(cron);
        let r: ReminderTiming = { cron, runAt: null, lastRunAt: null, createdAt: new Date(start) };
        const seen = new Set<number>();
        let now = start;
        let last = -Infinity;
        for (const gap of gaps) {
          now += gap;
          const plan = planReminderRun(r, new Date(now));
          if (plan.kind === 'idle') {
            // Nothing due means no time between the last one and now.
            const next = nextOccurrence(s.schedule, r.lastRunAt ?? r.createdAt);
            expect(next === null || next.getTime() > now).toBe(true);
            continue;
          }
          expect(plan.kind === 'run' || plan.kind === 'too_late').toBe(true);
          if (plan.kind !== 'run' && plan.kind !== 'too_late') return;
          const t = plan.scheduledAt.getTime();
          expect(seen.has(t)).toBe(false);
          expect(t).toBeGreaterThan(last);
          expect(t).toBeLessThanOrEqual(now);
          // It is the latest: the next time after it is still to come.
          expect(nextOccurrence(s.schedule, plan.scheduledAt)!.getTime()).toBeGreaterThan(now);
          for (const m of plan.missed) {
            expect(m.getTime()).toBeLessThan(t);
            expect(m.getTime()).toBeGreaterThan((r.lastRunAt ?? r.createdAt).getTime());
            expect(seen.has(m.getTime())).toBe(false);
          }
          seen.add(t);
          for (const m of plan.missed) seen.add(m.getTime());
          last = t;
          r = { ...r, lastRunAt: plan.scheduledAt };
          // The same tick again (another replica) has nothing left to do.
          expect(planReminderRun(r, new Date(now)).kind).toBe('idle');
        }
      }),
      { numRuns: 200 },
    );
  });
});
