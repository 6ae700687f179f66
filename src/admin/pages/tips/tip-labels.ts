import { translate, type StringKey } from '../../../content/i18n.js';
import { TIP_CATEGORIES, type TipCategory, type TipOutcome, type TipStatus } from '../../../content/tip-categories.js';

/** How the console names a tip's category (the chat's own words). */
export function categoryLabel(category: string): string {
  return (TIP_CATEGORIES as readonly string[]).includes(category) ? translate('vi', `tip.category.${category as TipCategory}` as StringKey) : category;
}

/** How the console names a tip's status. */
export const STATUS_LABELS: Record<TipStatus, string> = {
  new: 'Mới nhận',
  triaged: 'Đã phân loại',
  in_progress: 'Đang xử lý',
  closed: 'Đã đóng',
};

/** How the console names the outcome of a closed tip. */
export const OUTCOME_LABELS: Record<TipOutcome, string> = {
  resolved: 'Đã giải quyết',
  referred: 'Đã chuyển cơ quan chức năng',
  no_action: 'Không cần xử lý',
  duplicate: 'Trùng với tin báo khác',
  spam: 'Tin rác, tin báo sai sự thật hoặc trêu đùa',
};

/** A status label, or the stored value for one we do not know. */
export function statusLabel(status: string): string {
  return (STATUS_LABELS as Record<string, string>)[status] ?? status;
}

/** An outcome label, or the stored value for one we do not know. */
export function outcomeLabel(outcome: string): string {
  return (OUTCOME_LABELS as Record<string, string>)[outcome] ?? outcome;
}

const TZ = 'Asia/Ho_Chi_Minh';

/**
 * A tip time as stored, to the hour and no finer ("22/11/2026, 9–10 giờ"): tip times are truncated to the hour so
 * none lines up with a tipster's activity, and the console must not suggest more precision than there is.
 */
export function formatTipHour(d: Date): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', hourCycle: 'h23' })
      .formatToParts(d)
      .map((x) => [x.type, x.value]),
  ) as Record<string, string>;
  const h = Number(p.hour);
  return `${p.day}/${p.month}/${p.year}, ${h}–${h + 1} giờ`;
}
