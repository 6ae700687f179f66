import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEADLINE_RULES, nextDeadline, reportDeadlines } from '../../../src/services/reports/report-deadlines.js';

/** An instant given in Vietnam time ("2026-09-30T23:59"). */
const vn = (local: string) => new Date(`${local}:00+07:00`);

const SEEDS = process.env.SEEDS_DIR ?? path.resolve(import.meta.dirname, '../../../../shared/seeds');

describe('reporting deadlines from the plans', () => {
  // The seeds live beside the project (shared/seeds); where they are not, this check cannot run.
  it.runIf(existsSync(SEEDS))('quotes each plan word for word (the text is in its seed file)', () => {
    for (const rule of DEADLINE_RULES) {
      const text = readFileSync(path.join(SEEDS, rule.source.seedFile), 'utf8');
      expect(text.replace(/\s+/g, ' ')).toContain(rule.source.quote.replace(/\s+/g, ' '));
    }
  });

  it('puts Quận 7’s quarterly report before the 5th of the month after each quarter, and the yearly one before 01/10', () => {
    expect(reportDeadlines(2026, 'quan-7').map((d) => [d.label, d.dueText, d.needsReview])).toEqual([
      ['Báo cáo quý IV năm 2025', 'trước ngày 05/01/2026', true],
      ['Báo cáo quý I năm 2026', 'trước ngày 05/04/2026', true],
      ['Báo cáo quý II năm 2026', 'trước ngày 05/07/2026', true],
      ['Báo cáo năm 2026', 'trước ngày 01/10/2026', false],
      ['Báo cáo quý III năm 2026', 'trước ngày 05/10/2026', true],
    ]);
    expect(reportDeadlines(2026, 'quan-7')[0]!.rule.reviewNote).toMatch(/^Cần cán bộ xác nhận/);
  });

  it('moves to the next deadline at the end of a quarter, in Vietnam time', () => {
    const at = (local: string) => nextDeadline(vn(local), 'quan-7');
    expect(at('2026-09-30T23:59')?.label).toBe('Báo cáo năm 2026');
    expect(at('2026-10-01T00:00')?.label).toBe('Báo cáo quý III năm 2026');
    expect(at('2026-10-04T23:59')?.dueBefore).toEqual(vn('2026-10-05T00:00'));
    expect(at('2026-10-05T00:00')?.label).toBe('Báo cáo quý IV năm 2026');
    expect(at('2026-10-05T00:00')?.dueText).toBe('trước ngày 05/01/2027');
    expect(at('2026-12-31T23:59')?.label).toBe('Báo cáo quý IV năm 2026');
    expect(at('2027-01-05T00:00')?.label).toBe('Báo cáo quý I năm 2027');
  });

  it('keeps Củ Chi’s two dates (10/5 and 15/11) open to the end of the day', () => {
    expect(reportDeadlines(2026, 'cu-chi').map((d) => d.dueText)).toEqual(['ngày 10/05/2026', 'ngày 15/11/2026']);
    expect(nextDeadline(vn('2026-05-10T23:59'), 'cu-chi')?.dueText).toBe('ngày 10/05/2026');
    expect(nextDeadline(vn('2026-05-11T00:00'), 'cu-chi')?.dueText).toBe('ngày 15/11/2026');
    expect(nextDeadline(vn('2026-11-16T00:00'), 'cu-chi')?.dueText).toBe('ngày 10/05/2027');
  });

  it('takes Lâm Đồng’s 05/11/2025 as written and marks the same day in other years for review', () => {
    const [y2025] = reportDeadlines(2025, 'lam-dong');
    expect([y2025?.dueText, y2025?.needsReview]).toEqual(['trước ngày 05/11/2025', false]);
    const [y2026] = reportDeadlines(2026, 'lam-dong');
    expect([y2026?.dueText, y2026?.needsReview]).toEqual(['trước ngày 05/11/2026', true]);
    expect(nextDeadline(vn('2025-11-04T23:59'), 'lam-dong')?.dueBefore).toEqual(vn('2025-11-05T00:00'));
  });

  it('sets no date where a plan gives none, and takes the earliest of every plan without a region', () => {
    expect(reportDeadlines(2026, 'so-gddt-thanh-pho')).toEqual([]);
    expect(nextDeadline(vn('2026-10-08T10:00'), 'so-gddt-thanh-pho')).toBeNull();
    // After 05/10: Lâm Đồng 05/11, Củ Chi 15/11, Quận 7 05/01.
    expect(nextDeadline(vn('2026-10-08T10:00'))?.rule.region).toBe('lam-dong');
    expect(nextDeadline(vn('2026-11-05T00:00'))?.rule.region).toBe('cu-chi');
    expect(nextDeadline(vn('2026-11-16T00:00'))?.rule.region).toBe('quan-7');
  });
});
