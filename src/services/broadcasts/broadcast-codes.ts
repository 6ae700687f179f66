import { randomInt } from 'node:crypto';

/** A broadcast's short code, as teachers and approvers type it in chat: `TB-` and five digits. */
export function newBroadcastCode(random: (max: number) => number = randomInt): string {
  return `TB-${String(random(100_000)).padStart(5, '0')}`;
}

/** A code as typed (`tb 01234`, `TB-01234`, `01234`) in its stored form, or null when it is not one. */
export function normaliseBroadcastCode(typed: string): string | null {
  const m = /^\s*(?:tb)?[\s-]*(\d{5})\s*$/i.exec(typed);
  return m ? `TB-${m[1]}` : null;
}
