import type { Repos } from '../../store/repos.js';
import { TIP_HANDLER_ROLES, type StaffChatAccount } from '../../store/staff-notification.repo.js';
import type { TipScope } from '../../store/tip.repo.js';
import { acknowledgeTip } from '../tips/acknowledge-tip.js';
import { normalizeCode } from '../tips/tip-codes.js';
import { hourOf } from '../tips/tip-rules.js';

/** The outcome of "ĐÃ NHẬN <tip code>" in chat. */
export type ChatAcknowledgeOutcome =
  | { ok: true; code: string; already: boolean }
  | { ok: false; reason: 'malformed' }
  | { ok: false; reason: 'not_linked' }
  /** No such tip, or one outside the account's scope: the two answer alike, as in the console. */
  | { ok: false; reason: 'not_found'; code: string };

/**
 * The tip scope of a linked staff account, as its urgent-tip alerts reach it (`StaffNotificationRepo.handlerContacts`):
 * an office-level account sees its office's schools and tips naming no school; a school-level one its school.
 */
export async function chatScopeOf(repos: Repos, account: StaffChatAccount): Promise<TipScope> {
  if (account.officeId) return { kind: 'office', schoolIds: await repos.staff.schoolIdsOfOffice(account.officeId) };
  if (account.schoolId) return { kind: 'school', schoolId: account.schoolId };
  return { kind: 'none' };
}

/**
 * A handler acknowledges an urgent tip from the chat its account is linked to: only a tip handler or admin whose
 * scope holds the tip may; the tip stops counting in the urgent alert and its chat alerts stop for everyone.
 */
export async function acknowledgeTipInChat(repos: Repos, req: { contactId: string; typed: string; now: Date }): Promise<ChatAcknowledgeOutcome> {
  const code = normalizeCode(req.typed);
  if (!code) return { ok: false, reason: 'malformed' };
  const account = await repos.staffNotifications.accountOfContact(req.contactId);
  if (!account || !(TIP_HANDLER_ROLES as readonly string[]).includes(account.role)) return { ok: false, reason: 'not_linked' };
  const tip = await repos.tips.byCode(code);
  const scope = await chatScopeOf(repos, account);
  if (!tip || !(await repos.tips.byId(tip.id, scope))) return { ok: false, reason: 'not_found', code };
  const already = tip.acknowledgedAt !== null;
  if (!already) {
    const done = await acknowledgeTip(repos, scope, tip.id, req.now);
    if (!done.ok) return { ok: false, reason: 'not_found', code };
  }
  // Tip times are kept to the hour (README "Anonymous tips"); the alerts' rows follow.
  await repos.staffNotifications.acknowledge('urgent_tip', tip.id, hourOf(req.now));
  return { ok: true, code, already };
}
