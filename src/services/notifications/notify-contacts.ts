import type { OutMessage } from '../../content/messages.schema.js';
import { laneKeyOf } from '../../store/lane-key.js';
import type { Repos } from '../../store/repos.js';
import type { StaffNotificationKind } from '../../store/staff-notification.repo.js';

/** What to tell which staff contacts, about what. */
export interface NotifyRequest {
  kind: StaffNotificationKind;
  /** The tip or broadcast it is about. */
  subjectId: string;
  contactIds: string[];
  messages: OutMessage[];
  /** Send again this long after each sending until the notification is acknowledged; unset: once. */
  repeatEveryMs?: number;
  /**
   * Erase the sent rows like tip-flow messages (text, recipient and times to the hour once done; never logged), so
   * an alert about a tip does not date it in the outbox (README "Anonymous tips").
   */
  sensitive?: boolean;
  now: Date;
}

/** Who was sent the notification now, and why the others were not. */
export interface NotifyOutcome {
  sent: string[];
  notSent: { contactId: string; reason: 'not_due' | 'acknowledged' | 'unknown_contact' | 'taken_by_another_run' | 'previous_unsent' }[];
}

/**
 * Notifies staff contacts in chat: enqueues the messages as replies (they go ahead of campaign sends and are not
 * campaign messages, so opting out of broadcasts does not stop them) and records a `StaffNotification` per contact.
 * A contact already notified is sent again only when `repeatEveryMs` is set, the time has come and nobody has
 * acknowledged. Safe to run on several replicas at once and again after a crash: the rows of the n-th sending carry
 * the idempotency key `staff:<kind>:<subject>:<contact>:<n>:<part>`, and the n-th sending is recorded once.
 */
export async function notifyContacts(repos: Repos, req: NotifyRequest): Promise<NotifyOutcome> {
  const out: NotifyOutcome = { sent: [], notSent: [] };
  const contactIds = [...new Set(req.contactIds)];
  if (contactIds.length === 0 || req.messages.length === 0) return out;
  const rows = new Map((await repos.staffNotifications.forSubject(req.kind, req.subjectId)).map((r) => [r.contactId, r]));
  const routes = new Map((await repos.staffNotifications.routesOf(contactIds)).map((r) => [r.contactId, r]));
  for (const contactId of contactIds) {
    const row = rows.get(contactId);
    if (row?.acknowledgedAt) {
      out.notSent.push({ contactId, reason: 'acknowledged' });
      continue;
    }
    if (row && (req.repeatEveryMs === undefined || row.nextAt === null || row.nextAt.getTime() > req.now.getTime())) {
      out.notSent.push({ contactId, reason: 'not_due' });
      continue;
    }
    // A repeat waits while the previous round is still queued (Zalo's night hours defer it): one alert at 06:00, not
    // one for every quarter hour of the night.
    const previous = row ? req.messages.map((_, i) => notificationKey(req, contactId, row.sentCount, i)) : [];
    if (previous.length && (await repos.outbox.anyUnfinished(previous))) {
      out.notSent.push({ contactId, reason: 'previous_unsent' });
      continue;
    }
    const route = routes.get(contactId);
    if (!route) {
      out.notSent.push({ contactId, reason: 'unknown_contact' });
      continue;
    }
    const n = (row?.sentCount ?? 0) + 1;
    const laneKey = laneKeyOf(route.channel, route.accountId, route.userId);
    // Enqueued before the sending is recorded: a crash in between leaves rows that the next run's identical keys
    // find already there, never a recorded sending without its messages.
    await repos.outbox.enqueue(
      req.messages.map((message, i) => ({
        contactId,
        channel: route.channel,
        accountId: route.accountId,
        recipient: route.userId,
        laneKey,
        message,
        kind: 'reply' as const,
        sensitive: req.sensitive ?? false,
        idempotencyKey: notificationKey(req, contactId, n, i),
      })),
    );
    const nextAt = req.repeatEveryMs === undefined ? null : new Date(req.now.getTime() + req.repeatEveryMs);
    // Coarse on sensitive subjects: the row need not say to the minute when the alert went.
    const at = req.sensitive ? new Date(Math.floor(req.now.getTime() / 3600_000) * 3600_000) : req.now;
    if (await repos.staffNotifications.recordSent(req.kind, req.subjectId, contactId, n - 1, at, nextAt)) out.sent.push(contactId);
    else out.notSent.push({ contactId, reason: 'taken_by_another_run' });
  }
  return out;
}

/** The outbox key of part `i` of round `n` of a notification to one contact. */
function notificationKey(req: { kind: string; subjectId: string }, contactId: string, n: number, i: number): string {
  return `staff:${req.kind}:${req.subjectId}:${contactId}:${n}:${i}`;
}

/** Stops a subject's notifications for every contact (an approval given, an urgent tip acknowledged). */
export async function acknowledgeNotifications(repos: Repos, kind: StaffNotificationKind, subjectId: string, now: Date): Promise<number> {
  return repos.staffNotifications.acknowledge(kind, subjectId, now);
}
