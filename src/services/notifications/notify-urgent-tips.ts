import { translate } from '../../content/i18n.js';
import type { OutMessage } from '../../content/messages.schema.js';
import { TIP_CATEGORIES, type TipCategory } from '../../content/tip-categories.js';
import type { Repos } from '../../store/repos.js';
import type { WaitingUrgentTip } from '../../store/staff-notification.repo.js';
import { hourOf } from '../tips/tip-rules.js';
import { notifyContacts } from './notify-contacts.js';

/** How often an urgent tip's alert is sent again to each handler until someone acknowledges it. */
export const URGENT_REPEAT_MS = 15 * 60_000;
/** The payload of an alert's "Đã nhận" button: `STAFF:ACK:<tip public code>` (read by the staff flow). */
export const STAFF_ACK_PAYLOAD_PREFIX = 'STAFF:ACK:';

/** What one run did: urgent tips waiting, and chat alerts sent. */
export interface UrgentTipRun {
  waiting: number;
  alerts: number;
}

/**
 * The alert of one tip. It names only the tip's public code, its category and its school and points to the console:
 * never the tip's text, place or photos, nor anything about who sent it or when (DESIGN.md §4).
 */
export function urgentTipAlert(tip: Pick<WaitingUrgentTip, 'publicCode' | 'category' | 'schoolName'>): OutMessage {
  const known: TipCategory = (TIP_CATEGORIES as readonly string[]).includes(tip.category) ? (tip.category as TipCategory) : 'other';
  return {
    type: 'buttons',
    text: translate('vi', 'staff.urgent.alert', { code: tip.publicCode, category: translate('vi', `tip.category.${known}`), school: tip.schoolName ?? translate('vi', 'staff.urgent.noSchool') }),
    buttons: [{ title: translate('vi', 'staff.urgent.ackButton'), payload: `${STAFF_ACK_PAYLOAD_PREFIX}${tip.publicCode}` }],
  };
}

/**
 * The scheduler's job (every minute): each urgent, open tip that no handler has acknowledged is alerted in chat to
 * every linked tip handler and admin of its scope, and again every 15 minutes, until a handler acknowledges it in
 * chat ("ĐÃ NHẬN <code>") or through the API. Alerts of tips that stopped waiting are settled first.
 */
export async function notifyUrgentTips(repos: Repos, now: Date): Promise<UrgentTipRun> {
  await repos.staffNotifications.settleUrgentTips(hourOf(now));
  const tips = await repos.staffNotifications.waitingUrgentTips();
  let alerts = 0;
  for (const tip of tips) {
    const contactIds = await repos.staffNotifications.handlerContacts(tip);
    if (contactIds.length === 0) continue;
    const out = await notifyContacts(repos, {
      kind: 'urgent_tip',
      subjectId: tip.id,
      contactIds,
      messages: [urgentTipAlert(tip)],
      repeatEveryMs: URGENT_REPEAT_MS,
      sensitive: true,
      now,
    });
    alerts += out.sent.length;
  }
  return { waiting: tips.length, alerts };
}

/** The job as the scheduler runs it (`{ name, run(now) }`). */
export function urgentTipAlertJob(repos: Repos): { name: string; run(now: Date): Promise<void> } {
  return { name: 'urgent-tip-alerts', run: async (now) => void (await notifyUrgentTips(repos, now)) };
}
