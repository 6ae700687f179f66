import { translate, type Locale } from '../../content/i18n.js';
import type { Repos } from '../../store/repos.js';
import { recordAudit } from '../audit/record-audit.js';
import { acknowledgeNotifications, notifyContacts } from '../notifications/notify-contacts.js';
import type { StaffScope } from '../staff/staff-scope.js';
import { parseAudience, unique } from './audience.js';
import type { BroadcastStatus } from './broadcast-types.js';
import { decideBroadcast } from './decide-broadcast.js';
import { broadcastInScope } from './staff-broadcast-view.js';

export type DecideStaffBroadcastResult = { ok: true; code: string; status: BroadcastStatus } | { ok: false; reason: 'not_found' | 'not_approver' | 'not_pending' };

/**
 * Approves or rejects, from the console, a broadcast waiting for approval, in the caller's transaction: the same
 * decision as the chat's "Duyệt"/"Từ chối" (`decideBroadcast`, one of two deciders wins), then, as in chat, the
 * approvers' chat notices stop and the teacher who wrote it is told in their chat; recorded in the audit log.
 */
export async function decideStaffBroadcast(repos: Repos, scope: StaffScope, req: { broadcastId: string; approve: boolean; now: Date }): Promise<DecideStaffBroadcastResult> {
  const b = await broadcastInScope(repos, scope, req.broadcastId);
  if (!b) return { ok: false, reason: 'not_found' };
  const out = await decideBroadcast(repos, { code: b.code, decider: { kind: 'staff', staffId: scope.staffId }, approve: req.approve, now: req.now });
  if (!out.ok) return { ok: false, reason: out.reason === 'unknown' ? 'not_found' : out.reason };
  await acknowledgeNotifications(repos, 'approval', b.id, req.now);
  if (out.authorContactId) {
    const author = await repos.contacts.get(out.authorContactId);
    const locale: Locale = author?.locale === 'en' ? 'en' : 'vi';
    const key = req.approve ? 'broadcast.notice.approved' : 'broadcast.notice.rejected';
    // Its own subject, as in chat: the author's answer is not one of the approvers' notices (which the decision stopped).
    await notifyContacts(repos, { kind: 'approval', subjectId: `${b.id}:author`, contactIds: [out.authorContactId], messages: [{ type: 'text', text: translate(locale, key, { code: out.code }) }], now: req.now });
  }
  const a = parseAudience(b.audience);
  const schools = (await repos.audience.targets(unique(a.schoolIds), unique(a.classIds))).schoolIds;
  await recordAudit(repos, {
    staffId: scope.staffId,
    action: req.approve ? 'broadcast_approved' : 'broadcast_rejected',
    targetType: 'broadcast',
    targetId: b.id,
    schoolId: schools.length === 1 ? schools[0]! : null,
    ...(schools.length === 1 ? {} : { officeId: scope.officeId }),
    detail: { code: out.code },
    at: req.now,
  });
  return { ok: true, code: out.code, status: out.status };
}
