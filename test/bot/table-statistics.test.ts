import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { TableStatistics } from '../../src/bot/table-statistics.js';

const log = pino({ level: 'silent' });

describe('the queue tables\' statistics on the embedded database', () => {
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
      1000,
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
    }, log, 10);
    stats.count(10);
    await stats.idle();
    stats.count(10);
    await stats.idle();
    expect(calls).toBe(2);
  });
});
