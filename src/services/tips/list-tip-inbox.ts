import { TIP_STATUSES } from '../../content/tip-categories.js';
import type { Repos } from '../../store/repos.js';
import type { TipInboxCursor, TipInboxQuery } from '../../store/tip-inbox.repo.js';
import type { StaffScope } from '../staff/staff-scope.js';
import type { TipInboxFilter, TipInboxPage } from './console-tip-types.js';
import { tipScopeOf } from './tip-scope-of.js';

/** Tips on one page of the inbox (the urgent ones waiting come on top of the first page, up to 100). */
export const INBOX_PAGE_SIZE = 50;
const MAX_WAITING = 100;

/**
 * The console's tips inbox within the account's scope: urgent tips nobody acknowledged first, then every other tip
 * newest first, filtered by status, urgency, category and school; codes, categories, schools and hour-stamped
 * times only, never the text or anything about who sent it.
 */
export async function listTipInbox(repos: Repos, scope: StaffScope, filter: TipInboxFilter = {}): Promise<TipInboxPage> {
  const tipScope = tipScopeOf(scope);
  const empty: TipInboxPage = { waitingUrgent: [], tips: [], next: null, schoolOutOfScope: false };
  if (tipScope.kind === 'none') return empty;
  const query: TipInboxQuery = {};
  const status = filter.status ?? 'open';
  if (status === 'open') query.statuses = TIP_STATUSES.filter((s) => s !== 'closed');
  else if (status !== 'all') query.statuses = [status];
  if (filter.urgency) query.urgent = filter.urgency === 'urgent';
  if (filter.category) query.category = filter.category;
  if (filter.school === 'none') {
    // Only office-level and system-wide accounts see tips that name no school.
    if (tipScope.kind === 'school') return { ...empty, schoolOutOfScope: true };
    query.schoolId = null;
  } else if (filter.school) {
    const inScope = tipScope.kind === 'all' ? (await repos.tipInbox.schoolName(filter.school)) !== null : tipScope.kind === 'office' ? tipScope.schoolIds.includes(filter.school) : tipScope.schoolId === filter.school;
    if (!inScope) return { ...empty, schoolOutOfScope: true };
    query.schoolId = filter.school;
  }
  const before = filter.before ? decodeCursor(filter.before) : undefined;
  const waitingUrgent = before ? [] : await repos.tipInbox.waitingUrgent(tipScope, query, MAX_WAITING);
  const rows = await repos.tipInbox.others(tipScope, query, { limit: INBOX_PAGE_SIZE + 1, ...(before ? { before } : {}) });
  const tips = rows.slice(0, INBOX_PAGE_SIZE);
  const last = tips[tips.length - 1];
  return { waitingUrgent, tips, next: rows.length > INBOX_PAGE_SIZE && last ? encodeCursor({ createdAt: last.createdAt, id: last.id }) : null, schoolOutOfScope: false };
}

/** A page position as text for a link: `<epoch ms>.<tip id>`. */
export function encodeCursor(c: TipInboxCursor): string {
  return `${c.createdAt.getTime()}.${c.id}`;
}

/** The position a `next` names, or undefined when it is not one (the first page is shown then). */
export function decodeCursor(text: string): TipInboxCursor | undefined {
  const m = /^(\d{1,15})\.([0-9a-fA-F-]{1,64})$/.exec(text);
  if (!m) return undefined;
  const at = new Date(Number(m[1]));
  return Number.isNaN(at.getTime()) ? undefined : { createdAt: at, id: m[2]! };
}
