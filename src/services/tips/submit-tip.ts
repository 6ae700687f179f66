import { randomUUID } from 'node:crypto';
import type { TipCategory } from '../../content/tip-categories.js';
import type { Repos } from '../../store/repos.js';
import { hashPin } from '../../store/tip-crypto.js';
import { sealPhotoRequest } from './photo-request.js';
import { sealHandle, type ReplyRoute } from './reply-handle.js';
import { formatPin, newCode, newPin, PIN_DIGITS } from './tip-codes.js';
import type { TipKeys } from './tip-keys.js';
import { DAY_MS, hourOf, MAX_TIP_PHOTOS } from './tip-rules.js';
import { refreshUrgentAlert } from './urgent-alert.js';

/** What a tipster submits. Nothing here identifies them. */
export interface TipDraft {
  category: TipCategory;
  description: string;
  place: string | null;
  schoolId: string | null;
  urgent: boolean;
  /** Platform addresses of photos sent in the chat; fetched after the submission commits (`photoRequest`). */
  photoUrls?: string[];
}

/** Who submits: a label for the keyed daily limit (never stored), and where replies go (with consent only). */
export interface Submitter {
  submitter: string;
  route: ReplyRoute | null;
}

/**
 * The public code and the PIN (shown once, digits grouped for reading), or why not. With photos, `photoRequest`
 * (sealed) is what `fetchTipPhotos` and then `attachTipPhotos` need, once this submission has committed.
 */
export type SubmitTipResult =
  | { ok: true; code: string; pin: string; photoRequest?: { sealed: string; count: number } }
  | { ok: false; reason: 'rate_limited' };

/** Stores a tip, encrypted and unlinked from any contact: rate-limited by a keyed daily hash of the submitter. */
export async function submitTip(repos: Repos, keys: TipKeys, draft: TipDraft, from: Submitter, now: Date, dailyLimit: number): Promise<SubmitTipResult> {
  const day = new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS);
  if (!(await repos.tips.takeSubmission(keys.submitter(from.submitter, now), day, dailyLimit))) return { ok: false, reason: 'rate_limited' };
  const pin = newPin();
  const pinHash = await hashPin(pin);
  for (;;) {
    const id = randomUUID();
    const code = newCode();
    const created = await repos.tips.create({
      id,
      publicCode: code,
      pinHash,
      category: draft.category,
      urgent: draft.urgent,
      schoolId: draft.schoolId,
      descriptionCipher: keys.text.seal(draft.description, `${id}:description`),
      placeCipher: draft.place ? keys.text.seal(draft.place, `${id}:place`) : null,
      replyHandleCipher: from.route ? sealHandle(keys, id, from.route, now) : null,
      pinLength: PIN_DIGITS,
      createdAt: hourOf(now),
    });
    if (!created) continue;
    if (draft.urgent) await refreshUrgentAlert(repos);
    const urls = (draft.photoUrls ?? []).slice(0, MAX_TIP_PHOTOS);
    return { ok: true, code, pin: formatPin(pin), ...(urls.length ? { photoRequest: { sealed: sealPhotoRequest(keys, id, urls), count: urls.length } } : {}) };
  }
}
