import type { Repos } from '../../store/repos.js';
import { recordAudit } from '../audit/record-audit.js';
import type { StaffScope } from '../staff/staff-scope.js';
import { parseAudience, unique } from './audience.js';
import { cancelBroadcast } from './cancel-broadcast.js';
import { broadcastInScope } from './staff-broadcast-view.js';

export type CancelStaffBroadcastResult = { ok: true; code: string; stopped: number } | { ok: false; reason: 'not_found' | 'not_allowed' | 'finished' };

/**
 * Cancels a broadcast from the console, in the caller's transaction: its author or one of its approvers may
 * (`cancelBroadcast`: every row not yet sent is skipped as cancelled); recorded in the audit log with how many
 * recipients had something stopped.
 */
export async function cancelStaffBroadcast(repos: Repos, scope: StaffScope, req: { broadcastId: string; now: Date }): Promise<CancelStaffBroadcastResult> {
  const b = await broadcastInScope(repos, scope, req.broadcastId);
  if (!b) return { ok: false, reason: 'not_found' };
  const out = await cancelBroadcast(repos, { code: b.code, by: { kind: 'staff', staffId: scope.staffId }, now: req.now });
  if (!out.ok) return { ok: false, reason: out.reason === 'unknown' ? 'not_found' : out.reason };
  const a = parseAudience(b.audience);
  const schools = (await repos.audience.targets(unique(a.schoolIds), unique(a.classIds))).schoolIds;
  await recordAudit(repos, {
    staffId: scope.staffId,
    action: 'broadcast_cancelled',
    targetType: 'broadcast',
    targetId: b.id,
    schoolId: schools.length === 1 ? schools[0]! : null,
    ...(schools.length === 1 ? {} : { officeId: scope.officeId }),
    detail: { code: b.code, stopped: out.stopped },
    at: req.now,
  });
  return { ok: true, code: b.code, stopped: out.stopped };
}
