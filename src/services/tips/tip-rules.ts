/** Flows whose conversation state may hold a tip draft or a follow-up grant. */
export const TIP_FLOW_IDS: readonly string[] = ['tip', 'tip_followup'];
/** Kind of the SystemAlert open while an urgent tip waits for a handler. */
export const URGENT_TIP_ALERT = 'urgent_tip';
/** Photos one tip may carry from chat. */
export const MAX_TIP_PHOTOS = 3;
/** One day in milliseconds (submission windows, retention). */
export const DAY_MS = 24 * 3600_000;
const HOUR_MS = 3600_000;

/** `d` truncated to the hour: the resolution of every stored tip time, so no tip time dates a tipster's turn. */
export function hourOf(d: Date): Date {
  return new Date(Math.floor(d.getTime() / HOUR_MS) * HOUR_MS);
}

/** The outcome of a handler's action on a tip: done, no such tip in their scope, or a value it does not take. */
export type TipActionResult = { ok: true } | { ok: false; reason: 'not_found' | 'invalid' };
