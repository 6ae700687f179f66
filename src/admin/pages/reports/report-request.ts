import { z } from 'zod';
import type { ReportUnit } from '../../../services/reports/report-types.js';
import { parseInput } from '../../http/parse-input.js';

/** The report form's fields as sent (strings; anything else becomes ''), to show them again. */
export interface ReportFormValues {
  unit: string;
  kind: string;
  year: string;
  quarter: string;
  half: string;
  from: string;
  to: string;
}

export const PERIOD_KINDS = [
  { value: 'quarter', label: 'Quý' },
  { value: 'half', label: '6 tháng' },
  { value: 'year', label: 'Cả năm' },
  { value: 'custom', label: 'Khoảng ngày tự chọn' },
] as const;

const FIELD = (message: string) => z.string(message).max(40, message).optional();

const FormSchema = z.object({
  unit: z
    .string('Hãy chọn đơn vị báo cáo trong danh sách.')
    .min(1, 'Hãy chọn đơn vị báo cáo trong danh sách.')
    .max(100, 'Hãy chọn đơn vị báo cáo trong danh sách.')
    .regex(/^(school|office):[A-Za-z0-9_-]{1,64}$/, 'Hãy chọn đơn vị báo cáo trong danh sách.'),
  kind: z.enum(['quarter', 'half', 'year', 'custom'], 'Hãy chọn kỳ báo cáo: quý, 6 tháng, cả năm hoặc khoảng ngày.'),
  year: FIELD('Năm phải là một số, ví dụ 2026.'),
  quarter: FIELD('Quý phải là 1, 2, 3 hoặc 4.'),
  half: FIELD('Chọn 6 tháng đầu năm hoặc 6 tháng cuối năm.'),
  from: FIELD('Hãy nhập ngày theo dạng năm-tháng-ngày, ví dụ 2026-03-31.'),
  to: FIELD('Hãy nhập ngày theo dạng năm-tháng-ngày, ví dụ 2026-03-31.'),
});

/** A report request from the form: the unit, and the period as the report service reads it (it checks the period). */
export interface ReportRequest {
  unit: ReportUnit;
  period: Record<string, string>;
  values: ReportFormValues;
}

export type ParsedReportRequest = { ok: true; request: ReportRequest } | { ok: false; errors: Record<string, string>; values: ReportFormValues };

const asText = (v: unknown) => (typeof v === 'string' ? v.slice(0, 200) : '');

/** The fields as sent, for showing the form again (never trusted beyond that). */
export function formValuesOf(input: Record<string, unknown>, defaults: ReportFormValues): ReportFormValues {
  const pick = (k: keyof ReportFormValues) => (Object.hasOwn(input, k) ? asText(input[k]) : defaults[k]);
  return { unit: pick('unit'), kind: pick('kind'), year: pick('year'), quarter: pick('quarter'), half: pick('half'), from: pick('from'), to: pick('to') };
}

/** Whether a query string carries a submitted report form (rather than a first visit). */
export function isSubmitted(input: Record<string, unknown>): boolean {
  return Object.hasOwn(input, 'unit') || Object.hasOwn(input, 'kind');
}

/**
 * Checks the unit and the period kind of the report form (a Vietnamese message per field); the period's numbers and
 * days are checked by the report service (`resolveReportPeriod`), whose message goes with the field `period`.
 */
export function parseReportRequest(input: Record<string, unknown>, defaults: ReportFormValues): ParsedReportRequest {
  const values = formValuesOf(input, defaults);
  const parsed = parseInput(FormSchema, input);
  if (!parsed.ok) return { ok: false, errors: parsed.errors, values };
  const d = parsed.data;
  const [kind, id] = d.unit.split(':') as ['school' | 'office', string];
  const unit: ReportUnit = kind === 'school' ? { kind: 'school', schoolId: id } : { kind: 'office', officeId: id };
  const period: Record<string, string> =
    d.kind === 'quarter'
      ? { kind: d.kind, year: d.year ?? '', quarter: d.quarter ?? '' }
      : d.kind === 'half'
        ? { kind: d.kind, year: d.year ?? '', half: d.half ?? '' }
        : d.kind === 'year'
          ? { kind: d.kind, year: d.year ?? '' }
          : { kind: d.kind, from: d.from ?? '', to: d.to ?? '' };
  return { ok: true, request: { unit, period, values } };
}

/** The form's value of a unit (`school:<id>`, `office:<id>`). */
export function unitValue(unit: ReportUnit): string {
  return unit.kind === 'school' ? `school:${unit.schoolId}` : `office:${unit.officeId}`;
}
