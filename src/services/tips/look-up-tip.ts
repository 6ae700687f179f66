import { TIP_STATUSES, type TipCategory, type TipStatus } from '../../content/tip-categories.js';
import type { Repos } from '../../store/repos.js';
import { hashPin, verifyPin } from '../../store/tip-crypto.js';
import { minutesUntil } from '../limits/attempt-limits.js';
import { refreshHandle, type ReplyRoute } from './reply-handle.js';
import { compactPin, newPin, normalizeCode } from './tip-codes.js';
import { issueGrant } from './tip-grant.js';
import type { TipKeys } from './tip-keys.js';

/** What a tipster sees when following up (never who handled it). */
export interface TipStatusView {
  code: string;
  category: TipCategory;
  status: TipStatus;
  createdAt: Date;
  replies: { at: Date; text: string }[];
}

/** The tip's status and a short-lived grant to add information; or wrong; or locked for `retryAfterMinutes`. */
export type LookUpTipResult =
  | { ok: true; tip: TipStatusView; grant: string }
  | { ok: false; reason: 'wrong' }
  | { ok: false; reason: 'locked'; retryAfterMinutes: number };

/** Who looks up: a source label for the limits (a chat identity or a web address), and the chat it came from. */
export interface LookUpSource {
  source: string;
  route?: ReplyRoute;
}

// The hash an unknown code is checked against, so that both cost the same argon2 work.
let dummyHash: Promise<string> | undefined;

/**
 * Checks code + PIN under three limits (README "Anonymous tips"): lookups per source per hour, wrong PINs per code
 * per hour, and a backoff of this source on this code. An unknown code goes through the same limits and the same
 * hash work, so neither the answer nor its timing tells whether a code exists.
 */
export async function lookUpTip(repos: Repos, keys: TipKeys, rawCode: string, rawPin: string, from: LookUpSource, now: Date): Promise<LookUpTipResult> {
  const locked = (retryAt: Date): LookUpTipResult => ({ ok: false, reason: 'locked', retryAfterMinutes: minutesUntil(retryAt, now) });
  const perSource = await keys.limits.lookupSource(repos, from.source, now);
  if (!perSource.ok) return locked(perSource.retryAt);
  const code = normalizeCode(rawCode);
  const pin = compactPin(rawPin);
  const tip = code ? await repos.tips.byCode(code) : null;
  const gate = code ? await keys.limits.lookupCode(repos, code, from.source, tip?.pinLength === 6, now) : null;
  if (gate && !gate.ok) return locked(gate.retryAt);
  // Always run the hash check, even for a malformed PIN or an unknown code, so timing says nothing either.
  const wellFormed = tip !== null && /^\d+$/.test(pin) && pin.length === tip.pinLength;
  const matches = await verifyPin(tip?.pinHash ?? (await (dummyHash ??= hashPin(newPin()))), wellFormed ? pin : 'not-a-pin');
  if (!tip || !wellFormed || !matches) return { ok: false, reason: 'wrong' };
  if (gate?.ok) await gate.succeeded();
  if (from.route) await refreshHandle(repos, keys, tip, from.route, now);
  const messages = await repos.tips.messages(tip.id);
  return {
    ok: true,
    grant: issueGrant(keys, tip.id, now),
    tip: {
      code: tip.publicCode,
      category: tip.category as TipCategory,
      status: (TIP_STATUSES as readonly string[]).includes(tip.status) ? (tip.status as TipStatus) : 'new',
      createdAt: tip.createdAt,
      replies: messages.filter((m) => m.author === 'handler').map((m) => ({ at: m.createdAt, text: keys.text.open(m.bodyCipher, `${tip.id}:message`) })),
    },
  };
}
