import type { Repos } from '../../store/repos.js';
import { TIP_NOTE_AUTHOR } from '../../store/tip-inbox.repo.js';
import type { TipScope } from '../../store/tip.repo.js';
import type { TipKeys } from './tip-keys.js';

/** A tip as a handler sees it: decrypted text, never who sent it. */
export interface TipDetail {
  id: string;
  code: string;
  category: string;
  urgent: boolean;
  status: string;
  outcome: string | null;
  schoolId: string | null;
  description: string;
  place: string | null;
  /** Whether the tipster can be answered in chat (the route itself stays sealed). */
  canReply: boolean;
  acknowledgedAt: Date | null;
  createdAt: Date;
  closedAt: Date | null;
  messages: { author: string; text: string; at: Date }[];
  /** Photos (metadata stripped); fetch one with `viewTipPhoto`. */
  photos: { id: string; mime: string }[];
}

/** One tip of the handler's scope, decrypted, with its thread; null outside the scope. Never includes the handle. */
export async function viewTip(repos: Repos, keys: TipKeys, scope: TipScope, id: string): Promise<TipDetail | null> {
  const tip = await repos.tips.byId(id, scope);
  if (!tip) return null;
  // Internal notes (add-tip-note.ts) are sealed under their own context and read by the console only.
  const messages = (await repos.tips.messages(tip.id)).filter((m) => m.author !== TIP_NOTE_AUTHOR);
  const photos = await repos.tips.attachments(tip.id);
  return {
    id: tip.id,
    code: tip.publicCode,
    category: tip.category,
    urgent: tip.urgent,
    status: tip.status,
    outcome: tip.outcome,
    schoolId: tip.schoolId,
    description: keys.text.open(tip.descriptionCipher, `${tip.id}:description`),
    place: tip.placeCipher ? keys.text.open(tip.placeCipher, `${tip.id}:place`) : null,
    canReply: tip.replyHandleCipher !== null,
    acknowledgedAt: tip.acknowledgedAt,
    createdAt: tip.createdAt,
    closedAt: tip.closedAt,
    messages: messages.map((m) => ({ author: m.author, text: keys.text.open(m.bodyCipher, `${tip.id}:message`), at: m.createdAt })),
    photos: photos.map((a) => ({ id: a.id, mime: a.mime })),
  };
}
