import { TIP_CATEGORIES, TIP_STATUSES } from '../../content/tip-categories.js';
import type { Repos } from '../../store/repos.js';
import type { StaffScope } from '../staff/staff-scope.js';
import type { TipActor, TipConsoleResult, TipTriageInput } from './console-tip-types.js';
import { auditTip } from './open-tip.js';
import { tipScopeOf } from './tip-scope-of.js';
import { refreshUrgentAlert } from './urgent-alert.js';

/**
 * A handler's triage of an open tip of their scope: category, urgency, status (not closed: closing takes an outcome,
 * `closeTip`) and the school it belongs to. The school must stay within the account's scope (a school's handler
 * keeps it at their school; an office-level account may route it to a school of the office, or to none), so a
 * handler never hands a tip to where they could not follow it. The urgent alert is recomputed; audited.
 */
export async function triageTip(repos: Repos, scope: StaffScope, id: string, input: TipTriageInput, actor: TipActor): Promise<TipConsoleResult<{ changed: string[] }>> {
  if (!(TIP_CATEGORIES as readonly string[]).includes(input.category)) return { ok: false, reason: 'invalid' };
  if (!(TIP_STATUSES as readonly string[]).includes(input.status) || (input.status as string) === 'closed') return { ok: false, reason: 'invalid' };
  const tipScope = tipScopeOf(scope);
  const tip = await repos.tips.byId(id, tipScope);
  if (!tip) return { ok: false, reason: 'not_found' };
  if (tip.status === 'closed') return { ok: false, reason: 'closed' };
  if (input.schoolId !== tip.schoolId) {
    const allowed =
      tipScope.kind === 'all'
        ? input.schoolId === null || (await repos.tipInbox.schoolName(input.schoolId)) !== null
        : tipScope.kind === 'office'
          ? input.schoolId === null || tipScope.schoolIds.includes(input.schoolId)
          : tipScope.kind === 'school' && input.schoolId === tipScope.schoolId;
    if (!allowed) return { ok: false, reason: 'school_out_of_scope' };
  }
  const changed = (['category', 'urgent', 'status', 'schoolId'] as const).filter((k) => input[k] !== tip[k]);
  if (changed.length === 0) return { ok: true, changed: [] };
  if (!(await repos.tipInbox.triage(tip.id, { category: input.category, urgent: input.urgent, status: input.status, schoolId: input.schoolId }))) return { ok: false, reason: 'closed' };
  if (changed.includes('urgent')) await refreshUrgentAlert(repos);
  await auditTip(repos, scope, { id: tip.id, schoolId: input.schoolId }, actor, 'tip_triaged', {
    category: input.category,
    urgent: input.urgent,
    status: input.status,
    ...(changed.includes('schoolId') ? { fromSchool: tip.schoolId } : {}),
    changed: changed.join(','),
  });
  return { ok: true, changed };
}
