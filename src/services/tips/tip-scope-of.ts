import type { TipScope } from '../../store/tip.repo.js';
import type { StaffScope } from '../staff/staff-scope.js';

/**
 * The tips a console account may see and change, from its staff scope (README "Anonymous tips", Scope): an admin
 * without an office every tip; an account with an office (admin or office-level tip handler) the tips of the office's
 * schools and every tip that names no school, as the JSON tip API does for office handlers; a school's tip handler
 * that school's. Teachers and school admins handle no tips: none.
 */
export function tipScopeOf(scope: StaffScope): TipScope {
  if (scope.role !== 'admin' && scope.role !== 'tip_handler') return { kind: 'none' };
  if (scope.schoolIds === 'all') return { kind: 'all' };
  const [only, ...more] = scope.schoolIds;
  // An account with both a school and an office resolves to its school (resolve-staff-scope.ts), and a scope cannot
  // tell it from an office-level handler of a one-school office: a handler reaching a single school never gets the
  // tips of no school (as the dashboard's tip figures, src/services/dashboard/scope-filters.ts, decide too).
  const officeLevel = scope.officeId !== null && (scope.role === 'admin' || !(only && more.length === 0));
  if (officeLevel) return { kind: 'office', schoolIds: [...scope.schoolIds] };
  if (only && more.length === 0) return { kind: 'school', schoolId: only };
  return { kind: 'none' };
}
