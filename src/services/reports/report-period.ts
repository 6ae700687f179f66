import { z } from 'zod';

const YEAR = z.coerce.number({ error: 'Năm phải là một số, ví dụ 2026.' }).int({ error: 'Năm phải là số nguyên.' })
  .min(2020, { error: 'Năm phải từ 2020 đến 2100.' }).max(2100, { error: 'Năm phải từ 2020 đến 2100.' });
const DAY = z.string({ error: 'Hãy nhập ngày theo dạng năm-tháng-ngày, ví dụ 2026-03-31.' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'Hãy nhập ngày theo dạng năm-tháng-ngày, ví dụ 2026-03-31.' });

const QUARTER = 'Quý phải là 1, 2, 3 hoặc 4.';
const HALF = 'Chọn 6 tháng đầu năm (1) hoặc 6 tháng cuối năm (2).';

/** A reporting period as staff pick it: a quarter, a half year, a calendar year, or a range of days (both included). */
export const ReportPeriodSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('quarter'), year: YEAR, quarter: z.coerce.number({ error: QUARTER }).int({ error: QUARTER }).min(1, { error: QUARTER }).max(4, { error: QUARTER }) }),
  z.object({ kind: z.literal('half'), year: YEAR, half: z.coerce.number({ error: HALF }).int({ error: HALF }).min(1, { error: HALF }).max(2, { error: HALF }) }),
  z.object({ kind: z.literal('year'), year: YEAR }),
  z.object({ kind: z.literal('custom'), from: DAY, to: DAY }),
], { error: 'Hãy chọn kỳ báo cáo: quý, 6 tháng, năm hoặc một khoảng ngày.' });
export type ReportPeriod = z.infer<typeof ReportPeriodSchema>;

/** A period resolved to instants: [from, to) from Vietnam midnight to Vietnam midnight, with its Vietnamese names. */
export interface ReportPeriodRange {
  period: ReportPeriod;
  from: Date;
  /** Exclusive: the midnight after the last day. */
  to: Date;
  /** "Quý I năm 2026", "6 tháng đầu năm 2026", "Năm 2026", "Từ ngày 01/02/2026 đến ngày 15/03/2026". */
  label: string;
  /** "từ ngày 01/01/2026 đến ngày 31/03/2026". */
  span: string;
}

export type ResolvePeriodResult = { ok: true; range: ReportPeriodRange } | { ok: false; reason: 'invalid_period'; message: string };

// Vietnam keeps UTC+7 all year.
const VN_OFFSET_MS = 7 * 3600_000;
const DAY_MS = 86_400_000;
const MAX_CUSTOM_DAYS = 2 * 366;
const ROMAN = ['I', 'II', 'III', 'IV'];

/** Midnight in Vietnam of a calendar day (month 1–12; day may overflow into the next month, as Date.UTC does). */
export function vnMidnight(year: number, month: number, day: number): Date {
  return new Date(Date.UTC(year, month - 1, day) - VN_OFFSET_MS);
}

/** "31/03/2026": the Vietnam calendar day of an instant. */
export function vnDay(d: Date): string {
  const v = new Date(d.getTime() + VN_OFFSET_MS);
  return `${String(v.getUTCDate()).padStart(2, '0')}/${String(v.getUTCMonth() + 1).padStart(2, '0')}/${v.getUTCFullYear()}`;
}

function parseDay(s: string): Date | null {
  const [y, m, d] = s.split('-').map(Number) as [number, number, number];
  const at = vnMidnight(y, m, d);
  const back = new Date(at.getTime() + VN_OFFSET_MS);
  return back.getUTCFullYear() === y && back.getUTCMonth() === m - 1 && back.getUTCDate() === d ? at : null;
}

/**
 * Checks and resolves a period from the console's form (numbers may come as strings). Bad input gets one clear
 * Vietnamese sentence, never an exception.
 */
export function resolveReportPeriod(input: unknown): ResolvePeriodResult {
  const parsed = ReportPeriodSchema.safeParse(input);
  if (!parsed.success) return { ok: false, reason: 'invalid_period', message: parsed.error.issues[0]?.message ?? 'Kỳ báo cáo không hợp lệ.' };
  const p = parsed.data;
  let from: Date;
  let to: Date;
  let label: string;
  switch (p.kind) {
    case 'quarter':
      from = vnMidnight(p.year, 3 * p.quarter - 2, 1);
      to = vnMidnight(p.year, 3 * p.quarter + 1, 1);
      label = `Quý ${ROMAN[p.quarter - 1]} năm ${p.year}`;
      break;
    case 'half':
      from = vnMidnight(p.year, p.half === 1 ? 1 : 7, 1);
      to = vnMidnight(p.year, p.half === 1 ? 7 : 13, 1);
      label = `6 tháng ${p.half === 1 ? 'đầu' : 'cuối'} năm ${p.year}`;
      break;
    case 'year':
      from = vnMidnight(p.year, 1, 1);
      to = vnMidnight(p.year + 1, 1, 1);
      label = `Năm ${p.year}`;
      break;
    case 'custom': {
      const first = parseDay(p.from);
      const last = parseDay(p.to);
      if (!first || !last) return { ok: false, reason: 'invalid_period', message: 'Ngày không có trên lịch: hãy kiểm tra lại ngày và tháng.' };
      if (first > last) return { ok: false, reason: 'invalid_period', message: 'Ngày bắt đầu phải trước hoặc trùng ngày kết thúc.' };
      if ((last.getTime() - first.getTime()) / DAY_MS + 1 > MAX_CUSTOM_DAYS) return { ok: false, reason: 'invalid_period', message: 'Khoảng thời gian dài nhất là 2 năm.' };
      from = first;
      to = new Date(last.getTime() + DAY_MS);
      label = `Từ ngày ${vnDay(first)} đến ngày ${vnDay(last)}`;
      break;
    }
  }
  const span = `từ ngày ${vnDay(from)} đến ngày ${vnDay(new Date(to.getTime() - DAY_MS))}`;
  return { ok: true, range: { period: p, from, to, label, span } };
}
