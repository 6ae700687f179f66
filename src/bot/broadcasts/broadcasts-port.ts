import { translate, type Locale } from '../../content/i18n.js';
import type { OutMessage } from '../../content/messages.schema.js';
import { BROADCAST_PAYLOAD } from '../../flows/broadcast-commands.js';
import { formatVnTime } from '../../flows/broadcast-time.js';
import type { BroadcastStatusView, Broadcasts as BroadcastsPort, ContactView } from '../../flows/index.js';
import { approverContactsOf } from '../../services/broadcasts/broadcast-approvers.js';
import { normaliseBroadcastCode } from '../../services/broadcasts/broadcast-codes.js';
import type { Broadcasts as BroadcastServices } from '../../services/broadcasts/broadcasts.js';
import { acknowledgeNotifications, notifyContacts } from '../../services/notifications/notify-contacts.js';
import type { Repos } from '../../store/repos.js';
import { previewBroadcast } from './broadcast-preview.js';

/** Staff chat notifications (src/services/notifications): approvers are told of a broadcast, the author of a decision. */
export interface BroadcastNotifier {
  notify(repos: Repos, req: { kind: 'approval'; subjectId: string; contactIds: string[]; messages: OutMessage[]; now: Date }): Promise<{ sent: string[] }>;
  /** Stops a subject's notifications (the broadcast has been decided). */
  acknowledge(repos: Repos, kind: 'approval', subjectId: string, now: Date): Promise<unknown>;
}

/** Everything the port needs for one turn. */
export interface BroadcastsPortDeps {
  repos: Repos;
  contact: ContactView;
  services: BroadcastServices;
  /** Default: the staff chat notifications. */
  notifier?: BroadcastNotifier;
}

/** Approvers and authors are told through the staff chat notifications (one row per contact and subject). */
export const staffChatNotifier: BroadcastNotifier = { notify: notifyContacts, acknowledge: acknowledgeNotifications };

// "Send now" stored a moment before it is read back.
const NOW_TOLERANCE_MS = 60_000;

/** The messages written out for the approvers' notice: texts as they are, a picture or a link by its address. */
function contentOf(messages: OutMessage[]): string {
  return messages
    .map((m) => (m.type === 'text' ? m.text : m.type === 'image' ? translate('vi', 'broadcast.preview.image', { url: m.url }) : m.type === 'link' ? `${m.title}: ${m.url}` : m.text))
    .join('\n\n');
}

async function senderOf(repos: Repos, contact: ContactView): Promise<string> {
  const cls = contact.classId ? await repos.directory.getClass(contact.classId) : null;
  if (cls) return translate('vi', 'broadcast.notice.senderClass', { class: cls.name, school: cls.schoolName });
  const school = contact.schoolId ? await repos.directory.getSchool(contact.schoolId) : null;
  return school?.name ?? '';
}

/**
 * The flows' broadcast port for one contact, in the turn's transaction, over the broadcast services. The services
 * check every right (a verified teacher's scope, an approver's schools); this adds who may read figures (the author
 * and the approvers) and the chat notifications: the approvers' notice with "Duyệt"/"Từ chối" buttons, the author
 * told of the decision. Notices are in Vietnamese, the author's answer in the author's language.
 */
export function createBroadcastsPort(deps: BroadcastsPortDeps): BroadcastsPort {
  const { repos, contact, services, notifier = staffChatNotifier } = deps;
  const me = { kind: 'contact' as const, contactId: contact.id };

  async function mayRead(code: string): Promise<boolean> {
    const normalised = normaliseBroadcastCode(code);
    const b = normalised ? await repos.broadcasts.byCode(normalised) : null;
    if (!b) return false;
    return b.createdByContactId === contact.id || (await approverContactsOf(repos, b)).includes(contact.id);
  }

  return {
    scope: () => services.scope(repos, contact.id),
    forecast: (audience, at) => services.forecast(repos, audience, at),
    preview: (messages, opts) => previewBroadcast(messages, { includeGroups: opts.includeGroups, locale: contact.locale }),

    async create(request, now) {
      const out = await services.create(repos, { audience: request.audience, messages: request.messages, sendAt: request.sendAt, author: me }, now);
      if (!out.ok) return out;
      const b = out.broadcast;
      let approversNotified = 0;
      if (b.needsApproval && out.approverContactIds.length > 0) {
        const time = b.sendAt.getTime() <= now.getTime() + NOW_TOLERANCE_MS ? translate('vi', 'broadcast.notice.sendNow') : formatVnTime(b.sendAt);
        const notice: OutMessage = {
          type: 'buttons',
          text: translate('vi', 'broadcast.notice.approval', { code: b.code, sender: await senderOf(repos, contact), audience: request.audienceLabel, time, content: contentOf(request.messages) }),
          buttons: [
            { title: translate('vi', 'broadcast.notice.approve'), payload: `${BROADCAST_PAYLOAD.approve}${b.code}` },
            { title: translate('vi', 'broadcast.notice.reject'), payload: `${BROADCAST_PAYLOAD.reject}${b.code}` },
          ],
        };
        approversNotified = (await notifier.notify(repos, { kind: 'approval', subjectId: b.id, contactIds: out.approverContactIds, messages: [notice], now })).sent.length;
      }
      return { ok: true, code: b.code, status: b.status as BroadcastStatusView, needsApproval: b.needsApproval, sendAt: b.sendAt, approversNotified };
    },

    async decide(code, approve, now) {
      const out = await services.decide(repos, { code, decider: me, approve, now });
      if (!out.ok) return out;
      const b = await repos.broadcasts.byCode(out.code);
      if (b) {
        await notifier.acknowledge(repos, 'approval', b.id, now);
        if (out.authorContactId) {
          const author = await repos.contacts.get(out.authorContactId);
          const locale: Locale = author?.locale === 'en' ? 'en' : 'vi';
          const key = approve ? 'broadcast.notice.approved' : 'broadcast.notice.rejected';
          // Its own subject: the author's answer is not one of the approvers' notices (which the decision stopped).
          await notifier.notify(repos, { kind: 'approval', subjectId: `${b.id}:author`, contactIds: [out.authorContactId], messages: [{ type: 'text', text: translate(locale, key, { code: out.code }) }], now });
        }
      }
      return { ok: true, code: out.code, status: out.status as BroadcastStatusView };
    },

    async cancel(code, now) {
      const normalised = normaliseBroadcastCode(code) ?? code;
      let out = await services.cancel(repos, { code: normalised, by: me, now });
      // Not theirs: an approver of the broadcast may stop it too.
      if (!out.ok && out.reason === 'not_allowed') out = await services.cancel(repos, { code: normalised, by: { kind: 'approver', contactId: contact.id }, now });
      return out.ok ? { ok: true, code: normalised, stopped: out.stopped } : out;
    },

    async figures(code) {
      if (!(await mayRead(code))) return null;
      const f = await services.figures(repos, code);
      return f && { ...f, status: f.status as BroadcastStatusView };
    },

    async mine(limit) {
      const rows = await repos.broadcasts.listBy({ createdByContactId: contact.id }, limit);
      return rows.map((b) => ({ code: b.code, status: b.status as BroadcastStatusView, sendAt: b.sendAt }));
    },
  };
}
