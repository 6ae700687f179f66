import { z } from 'zod';

/** One field's problem, in Vietnamese, for the form to show next to it. */
export interface FieldError {
  field: string;
  message: string;
}

// Control characters, format characters (bidi overrides, zero-width marks), private-use and unassigned code points,
// and line or paragraph separators: none belongs in a school or class name, and some would disguise one.
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\u2028\u2029]/u;

/**
 * A one-line name as staff type it: NFC, trimmed, inner spaces collapsed, `min`–`max` characters, no invisible
 * characters. HTML is kept as typed text: escaping it is the page's job.
 */
export function nameText(label: string, min: number, max: number) {
  return z
    .string({ error: `${label}: bắt buộc nhập.` })
    .transform((s) => s.normalize('NFC'))
    .refine((s) => !INVISIBLE.test(s.replace(/[\t\n\r]/g, ' ')), { message: `${label} có ký tự điều khiển hoặc ký tự ẩn; hãy gõ lại.` })
    .transform((s) => s.replace(/\s+/g, ' ').trim())
    .refine((s) => s.length >= min, { message: min <= 1 ? `${label}: bắt buộc nhập.` : `${label} cần ít nhất ${min} ký tự.` })
    .refine((s) => s.length <= max, { message: `${label} dài quá ${max} ký tự.` });
}

/** The zod issues of a failed parse as one Vietnamese message per field (the first issue of each). */
export function fieldErrors(error: z.ZodError): FieldError[] {
  const seen = new Map<string, string>();
  for (const issue of error.issues) {
    const field = issue.path.map(String).join('.') || 'form';
    if (!seen.has(field)) seen.set(field, issue.message);
  }
  return [...seen].map(([field, message]) => ({ field, message }));
}
