import { z } from 'zod';
import { nameText } from './input-text.js';

/** Kinds of school (cấp học), as stored in `School.level`. */
export const SCHOOL_LEVELS = ['MN', 'TH', 'THCS', 'THPT', 'TH-THCS', 'THCS-THPT', 'TH-THCS-THPT', 'GDNN-GDTX'] as const;

/** A school code: what class codes start with (`NTT` → `NTT-6A1`); letters A–Z and digits, stored upper-cased. */
export const SchoolCodeSchema = z
  .string({ error: 'Mã trường: bắt buộc nhập.' })
  .transform((s) => s.trim().toUpperCase())
  .refine((s) => /^[A-Z0-9]{2,12}$/.test(s), { message: 'Mã trường gồm 2–12 chữ cái không dấu (A–Z) hoặc chữ số, ví dụ NTT.' });

export const SchoolNameSchema = nameText('Tên trường', 3, 120);

/** What a new school is made of. `officeId` is needed only from a system admin (an office admin creates in their office). */
export const CreateSchoolSchema = z.object({
  officeId: z.string().trim().min(1).max(64).optional(),
  code: SchoolCodeSchema,
  name: SchoolNameSchema,
  level: z.enum(SCHOOL_LEVELS, { error: `Cấp học phải là một trong: ${SCHOOL_LEVELS.join(', ')}.` }),
  broadcastNeedsApproval: z.boolean({ error: 'Duyệt thông báo toàn trường: chọn có hoặc không.' }).optional(),
});
export type CreateSchoolInput = z.input<typeof CreateSchoolSchema>;

/** What may change on a school. */
export const UpdateSchoolSchema = z
  .object({
    name: SchoolNameSchema.optional(),
    broadcastNeedsApproval: z.boolean({ error: 'Duyệt thông báo toàn trường: chọn có hoặc không.' }).optional(),
  })
  .refine((p) => p.name !== undefined || p.broadcastNeedsApproval !== undefined, { message: 'Không có gì để thay đổi.' });
export type UpdateSchoolInput = z.input<typeof UpdateSchoolSchema>;
