import type { z } from 'zod';

/** Validated input, or one Vietnamese message per field (the key is the field's name; `''` for the whole form). */
export type ParsedInput<T> = { ok: true; data: T } | { ok: false; errors: Record<string, string> };

// Used where a schema gives no message of its own: plain Vietnamese, never zod's technical wording.
const viMessages = (iss: z.core.$ZodRawIssue): string => {
  switch (iss.code) {
    case 'invalid_type':
      return iss.input === undefined || iss.input === '' ? 'Vui lòng điền mục này.' : 'Giá trị không hợp lệ.';
    case 'too_small':
      return iss.origin === 'string' ? (Number(iss.minimum) <= 1 ? 'Vui lòng điền mục này.' : `Cần ít nhất ${iss.minimum} ký tự.`) : `Giá trị phải từ ${iss.minimum} trở lên.`;
    case 'too_big':
      return iss.origin === 'string' ? `Tối đa ${iss.maximum} ký tự.` : `Giá trị không được quá ${iss.maximum}.`;
    case 'invalid_format':
      return iss.format === 'email' ? 'E-mail không hợp lệ.' : 'Giá trị không đúng định dạng.';
    case 'invalid_value':
      return 'Vui lòng chọn một giá trị trong danh sách.';
    default:
      return 'Giá trị không hợp lệ.';
  }
};

/**
 * Validates a form body or query string with a zod schema. Give messages in the schema where the default wording is
 * not enough (`z.string().min(1, 'Vui lòng nhập e-mail.')`); every other problem gets a plain Vietnamese one.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): ParsedInput<z.infer<S>> {
  const r = schema.safeParse(input, { error: viMessages });
  if (r.success) return { ok: true, data: r.data };
  const errors: Record<string, string> = {};
  for (const issue of r.error.issues) {
    const key = issue.path.length ? String(issue.path[0]) : '';
    errors[key] ??= issue.message;
  }
  return { ok: false, errors };
}
