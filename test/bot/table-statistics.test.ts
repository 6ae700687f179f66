import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { TableStatistics } from '../../src/bot/table-statistics.js';

const log = pino({ level: 'silent' });

describe('the queue tables\' statistics refresh', () => {
  it('refreshes once a thousand events arrived since the last refresh began, one refresh at a time', async () => {
    let refreshes = 0;
    let release: () => void = () => {};
    const stats = new TableStatistics(
      () =>
        new Promise<void>((resolve) => {
          refreshes++;
          release = resolve;
        }),
      log,
      { every: 1000 },
    );
    stats.count(600);
    expect(refreshes).toBe(0);
    stats.count(400);
    expect(refreshes).toBe(1);
    // While it runs, more events start no second refresh, but they count towards the next one.
    stats.count(5000);
    expect(refreshes).toBe(1);
    release();
    await stats.idle();
    stats.count(1);
    expect(refreshes).toBe(2);
    release();
    await stats.idle();
    stats.count(999);
    expect(refreshes).toBe(2);
    stats.count(1);
    expect(refreshes).toBe(3);
    release();
    await stats.idle();
  });

  it('keeps counting after a failed refresh', async () => {
    let calls = 0;
    const stats = new TableStatistics(async () => {
      calls++;
      throw new Error('database closed');
    }, log, { every: 10 });
    stats.count(10);
    await stats.idle();
    stats.count(10);
    await stats.idle();
    expect(calls).toBe(2);
  });

  it('lets at least the minimum interval pass between the starts of two refreshes, however many events arrive', async () => {
    let refreshes = 0;
    let now = 1_000_000;
    const stats = new TableStatistics(async () => void refreshes++, log, { every: 100, minIntervalMs: 10_000, now: () => now });
    stats.count(100);
    await stats.idle();
    expect(refreshes).toBe(1);
    // A burst: thousands of events within the interval start no refresh, but they are counted.
    for (let i = 0; i < 50; i++) stats.count(100);
    await stats.idle();
    expect(refreshes).toBe(1);
    now += 9_999;
    stats.count(1);
    expect(refreshes).toBe(1);
    now += 1;
    stats.count(1);
    await stats.idle();
    expect(refreshes).toBe(2);
  });
});
