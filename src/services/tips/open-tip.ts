import type { Repos } from '../../store/repos.js';
import type { TipRow } from '../../store/tip.repo.js';
import { recordAudit } from '../audit/record-audit.js';
import type { StaffScope } from '../staff/staff-scope.js';
import type { ConsoleTipDetail, TipActor } from './console-tip-types.js';
import { openNote } from './add-tip-note.js';
import type { TipKeys } from './tip-keys.js';
import { tipScopeOf } from './tip-scope-of.js';

/**
 * A tip of the account's scope for the console's detail page, decrypted, with its thread, internal notes and photos,
 * and the view recorded in the audit log in the same transaction (no view goes unrecorded). Null outside the scope,
 * like a tip that does not exist. A part that cannot be decrypted is null (`unreadable`), so one damaged row does
 * not hide the rest. Never includes the reply handle: only whether there is one.
 */
export async function openTip(repos: Repos, keys: TipKeys, scope: StaffScope, id: string, actor: TipActor): Promise<ConsoleTipDetail | null> {
  const tip = await repos.tips.byId(id, tipScopeOf(scope));
  if (!tip) return null;
  const [messages, noteRows, photos, schoolName] = await Promise.all([
    repos.tips.messages(tip.id),
    repos.tipInbox.notes(tip.id),
    repos.tips.attachments(tip.id),
    tip.schoolId ? repos.tipInbox.schoolName(tip.schoolId) : Promise.resolve(null),
  ]);
  let unreadable = false;
  const open = (sealed: string, context: string): string | null => {
    try {
      return keys.text.open(sealed, context);
    } catch {
      unreadable = true;
      return null;
    }
  };
  const notes = noteRows.map((n) => {
    const note = openNote(keys, tip.id, n.bodyCipher);
    if (!note) unreadable = true;
    return { staffId: note?.by ?? null, text: note?.text ?? null, at: n.createdAt };
  });
  const names = await repos.tipInbox.staffNames([...new Set(notes.map((n) => n.staffId).filter((x): x is string => x !== null))]);
  const detail: ConsoleTipDetail = {
    id: tip.id,
    code: tip.publicCode,
    category: tip.category,
    urgent: tip.urgent,
    status: tip.status,
    outcome: tip.outcome,
    schoolId: tip.schoolId,
    schoolName,
    description: open(tip.descriptionCipher, `${tip.id}:description`),
    place: tip.placeCipher ? open(tip.placeCipher, `${tip.id}:place`) : null,
    canReply: tip.replyHandleCipher !== null && tip.status !== 'closed',
    acknowledgedAt: tip.acknowledgedAt,
    createdAt: tip.createdAt,
    closedAt: tip.closedAt,
    thread: messages
      .filter((m) => m.author === 'tipster' || m.author === 'handler')
      .map((m) => ({ author: m.author as 'tipster' | 'handler', text: open(m.bodyCipher, `${tip.id}:message`), at: m.createdAt })),
    notes: notes.map((n) => ({ by: n.staffId ? (names.get(n.staffId) ?? null) : null, text: n.text, at: n.at })),
    photos: photos.map((p) => ({ id: p.id, mime: p.mime })),
    unreadable,
  };
  await auditTip(repos, scope, tip, actor, 'tip_viewed', { photos: photos.length });
  return detail;
}

/** Records a console action on a tip: its school (an office-level account's office for a tip without one). */
export async function auditTip(
  repos: Repos,
  scope: StaffScope,
  tip: Pick<TipRow, 'id' | 'schoolId'>,
  actor: TipActor,
  action: 'tip_viewed' | 'tip_triaged' | 'tip_replied' | 'tip_note_added' | 'tip_closed' | 'tip_acknowledged',
  detail: Record<string, string | number | boolean | null> = {},
): Promise<void> {
  await recordAudit(repos, {
    staffId: actor.staffId,
    action,
    targetType: 'tip',
    targetId: tip.id,
    schoolId: tip.schoolId,
    ...(tip.schoolId ? {} : { officeId: scope.officeId }),
    detail,
    at: actor.now,
  });
}
