import type { Repos } from '../../store/repos.js';
import type { StaffScope } from '../staff/staff-scope.js';
import type { TipActor, TipConsoleResult } from './console-tip-types.js';
import { auditTip } from './open-tip.js';
import type { TipKeys } from './tip-keys.js';
import { hourOf } from './tip-rules.js';
import { tipScopeOf } from './tip-scope-of.js';

/** The longest internal note, in characters. */
export const MAX_TIP_NOTE = 4000;

interface SealedNote {
  by: string;
  text: string;
}

// Notes are sealed under their own context, so a note's ciphertext never opens as a thread message (nor the reverse).
const noteContext = (tipId: string) => `${tipId}:note`;

/**
 * Adds a handler's internal note to a tip of their scope: encrypted with the tip keys like the tip's text, dated to
 * the hour, naming its author inside the ciphertext, never sent or shown to the tipster. Audited (without the text).
 */
export async function addTipNote(repos: Repos, keys: TipKeys, scope: StaffScope, id: string, text: string, actor: TipActor): Promise<TipConsoleResult> {
  const body = text.trim();
  if (!body || body.length > MAX_TIP_NOTE) return { ok: false, reason: 'invalid' };
  const tip = await repos.tips.byId(id, tipScopeOf(scope));
  if (!tip) return { ok: false, reason: 'not_found' };
  const note: SealedNote = { by: actor.staffId, text: body };
  await repos.tipInbox.addNote(tip.id, keys.text.seal(JSON.stringify(note), noteContext(tip.id)), hourOf(actor.now));
  await auditTip(repos, scope, tip, actor, 'tip_note_added', { length: body.length });
  return { ok: true };
}

/** A stored note, decrypted, or null when it cannot be read. */
export function openNote(keys: TipKeys, tipId: string, sealed: string): SealedNote | null {
  try {
    const v = JSON.parse(keys.text.open(sealed, noteContext(tipId))) as Partial<SealedNote>;
    return typeof v.by === 'string' && typeof v.text === 'string' ? { by: v.by, text: v.text } : null;
  } catch {
    return null;
  }
}
