import { z } from 'zod';
import { nameText } from '../schools/input-text.js';
import { isSchoolYear } from './school-year.js';

/** A class name such as "6A1"; a leading "Lớp" is dropped, since messages already say "lớp 6A1". */
export const ClassNameSchema = nameText('Tên lớp', 1, 30).transform((s) => s.replace(/^lớp\s+/iu, '')).refine((s) => s.length > 0, { message: 'Tên lớp: bắt buộc nhập.' });

/** Khối lớp: 0 for kindergarten (mầm non), 1–12 for the grades. */
export const GradeSchema = z.coerce
  .number({ error: 'Khối lớp phải là một số từ 0 (mầm non) đến 12.' })
  .int({ error: 'Khối lớp phải là một số từ 0 (mầm non) đến 12.' })
  .min(0, { error: 'Khối lớp phải là một số từ 0 (mầm non) đến 12.' })
  .max(12, { error: 'Khối lớp phải là một số từ 0 (mầm non) đến 12.' });

export const SchoolYearSchema = z
  .string()
  .trim()
  .refine(isSchoolYear, { message: 'Năm học có dạng 2026-2027.' });

/** A new class of one school; the school year defaults to the current one. */
export const CreateClassSchema = z.object({
  name: ClassNameSchema,
  grade: GradeSchema,
  schoolYear: SchoolYearSchema.optional(),
});
export type CreateClassInput = z.input<typeof CreateClassSchema>;

/** What may change on a class (its code never does: printed QR codes and shared codes keep working). */
export const UpdateClassSchema = z
  .object({ name: ClassNameSchema.optional(), grade: GradeSchema.optional() })
  .refine((p) => p.name !== undefined || p.grade !== undefined, { message: 'Không có gì để thay đổi.' });
export type UpdateClassInput = z.input<typeof UpdateClassSchema>;

/** Two class names are the same class when they differ only in case or spacing ("6a1" = "6A1" = "6 A1"). */
export function classNameKey(name: string): string {
  return name.normalize('NFC').toLocaleUpperCase('vi').replace(/\s+/g, '');
}
