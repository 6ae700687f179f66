import { AppError } from '../../errors.js';
import type { Repos } from '../../store/repos.js';
import { isEmptyAudience, unique } from './audience.js';
import { approverContactsOf } from './broadcast-approvers.js';
import { newBroadcastCode } from './broadcast-codes.js';
import { outOfScope, resolveBroadcastScope, scopeNeedsApproval } from './broadcast-scope.js';
import type { Audience, BroadcastAuthor, BroadcastDraft, BroadcastStatus } from './broadcast-types.js';

const DAY_MS = 24 * 3600_000;
// Vietnam keeps UTC+7 all year.
const VN_OFFSET_MS = 7 * 3600_000;
/** Without a campaign, a recipient whose window was closed can still be caught up this long after the send time. */
export const CATCH_UP_WITHOUT_CAMPAIGN_MS = 14 * DAY_MS;
/** "Send now" computed a moment before it is stored is not in the past. */
const PAST_TOLERANCE_MS = 60_000;
const CODE_ATTEMPTS = 8;

/** A broadcast as its author is told about it. */
export interface CreatedBroadcast {
  id: string;
  code: string;
  status: BroadcastStatus;
  needsApproval: boolean;
  sendAt: Date;
}

export type CreateBroadcastResult =
  | { ok: true; broadcast: CreatedBroadcast; approverContactIds: string[] }
  | { ok: false; reason: 'not_allowed' | 'empty_audience' | 'in_past' | 'no_message' };

/**
 * Stores a broadcast. A contact author must be a verified teacher of every school and class addressed (and may not
 * address staff); staff and reminder authors are trusted here (the console checks its own). A contact's school-wide
 * broadcast, or one to a class not its own, waits for approval where the school asks for it (`pending_approval`,
 * `approverContactIds` to notify), unless the author is itself one of the approvers; anything else is `scheduled`
 * and expanded once `sendAt` comes. Catch-up lasts until the campaign's last day ends, or 14 days without a campaign.
 */
export async function createBroadcast(repos: Repos, draft: BroadcastDraft, now: Date): Promise<CreateBroadcastResult> {
  if (draft.messages.length === 0) return { ok: false, reason: 'no_message' };
  const audience: Audience = { ...draft.audience, schoolIds: unique(draft.audience.schoolIds), classIds: unique(draft.audience.classIds), roles: [...new Set(draft.audience.roles)] };
  if (isEmptyAudience(audience)) return { ok: false, reason: 'empty_audience' };
  if (draft.sendAt.getTime() < now.getTime() - PAST_TOLERANCE_MS) return { ok: false, reason: 'in_past' };

  let needsApproval = false;
  if (draft.author.kind === 'contact') {
    const scope = await resolveBroadcastScope(repos, draft.author.contactId);
    if (scope.schools.length === 0 || audience.roles.includes('staff') || outOfScope(scope, audience) !== null) return { ok: false, reason: 'not_allowed' };
    needsApproval = scopeNeedsApproval(scope, audience);
  }
  let approverContactIds: string[] = [];
  if (needsApproval) {
    approverContactIds = await approverContactsOf(repos, { audience });
    if (draft.author.kind === 'contact' && approverContactIds.includes(draft.author.contactId)) {
      needsApproval = false;
      approverContactIds = [];
    }
  }

  const campaign = draft.campaignId ? { id: draft.campaignId, endsOn: await repos.audience.campaignEnd(draft.campaignId) } : await repos.audience.activeCampaign();
  // A campaign's `endsOn` is its last day (stored as its UTC midnight): catch-up runs to the end of that day in Vietnam
  // (UTC+7 all year), not to 07:00 the day after.
  const catchUpUntil = campaign?.endsOn ? new Date(campaign.endsOn.getTime() + DAY_MS - VN_OFFSET_MS) : new Date(draft.sendAt.getTime() + CATCH_UP_WITHOUT_CAMPAIGN_MS);
  const status: BroadcastStatus = needsApproval ? 'pending_approval' : 'scheduled';
  for (let attempt = 0; attempt < CODE_ATTEMPTS; attempt++) {
    const row = await repos.broadcasts.insert({
      code: newBroadcastCode(),
      campaignId: campaign?.id ?? null,
      audience,
      message: draft.messages,
      status,
      sendAt: draft.sendAt,
      needsApproval,
      ...authorColumns(draft.author),
      catchUpUntil,
    });
    if (row) {
      return { ok: true, broadcast: { id: row.id, code: row.code, status, needsApproval, sendAt: row.sendAt }, approverContactIds };
    }
  }
  throw new AppError('internal', { message: `no free broadcast code after ${CODE_ATTEMPTS} draws: too many broadcasts for five digits` });
}

/** The columns that record who made a broadcast. */
export function authorColumns(author: BroadcastAuthor): { createdByContactId: string | null; createdByStaffId: string | null; source: string | null } {
  switch (author.kind) {
    case 'contact':
      return { createdByContactId: author.contactId, createdByStaffId: null, source: null };
    case 'staff':
      return { createdByContactId: null, createdByStaffId: author.staffId, source: null };
    case 'reminder':
      return { createdByContactId: null, createdByStaffId: null, source: `reminder:${author.reminderId}` };
  }
}
