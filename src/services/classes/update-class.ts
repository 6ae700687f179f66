import type { Repos } from '../../store/repos.js';
import type { ClassRecord } from '../../store/school-admin.repo.js';
import { fieldErrors, type FieldError } from '../schools/input-text.js';
import type { StaffScope } from '../staff/staff-scope.js';
import { managesClass, reachesClass } from './class-access.js';
import { duplicateClassMessage } from './create-class.js';
import { classNameKey, UpdateClassSchema, type UpdateClassInput } from './class-input.schema.js';

/** The class as stored after the change; or why nothing changed. */
export type UpdateClassResult =
  | { ok: true; class: ClassRecord }
  | { ok: false; reason: 'not_found' | 'forbidden' }
  | { ok: false; reason: 'invalid' | 'duplicate'; errors: FieldError[] };

/** Renames or regrades a class (admins and that school's admin). Its code stays, so printed QR codes keep working. */
export async function updateClass(repos: Repos, scope: StaffScope, classId: string, input: UpdateClassInput): Promise<UpdateClassResult> {
  const cls = await repos.schoolAdmin.getClass(classId);
  if (!cls || !reachesClass(scope, cls)) return { ok: false, reason: 'not_found' };
  if (!managesClass(scope, cls)) return { ok: false, reason: 'forbidden' };
  const parsed = UpdateClassSchema.safeParse(input);
  if (!parsed.success) return { ok: false, reason: 'invalid', errors: fieldErrors(parsed.error) };
  const { name, grade } = parsed.data;
  const duplicate = (n: string) => ({ ok: false as const, reason: 'duplicate' as const, errors: [{ field: 'name', message: duplicateClassMessage(n) }] });
  if (name !== undefined) {
    const others = (await repos.schoolAdmin.classNames(cls.schoolId, cls.schoolYear)).filter((c) => c.id !== cls.id);
    if (others.some((c) => classNameKey(c.name) === classNameKey(name))) return duplicate(name);
  }
  const outcome = await repos.schoolAdmin.updateClass(cls.id, { ...(name !== undefined ? { name } : {}), ...(grade !== undefined ? { grade } : {}) });
  if (outcome === 'duplicate') return duplicate(name ?? cls.name);
  if (outcome === 'missing') return { ok: false, reason: 'not_found' };
  return { ok: true, class: { ...cls, ...(name !== undefined ? { name } : {}), ...(grade !== undefined ? { grade } : {}) } };
}
