import type { PledgeCounts, PledgeSideStatus } from '../../../services/pledges/pledge-report-types.js';
import { formatVnDate } from '../../../content/vn-time.js';

/** "18/30 (60 %)": signed against the roster; just the count when the class has no roster. */
export function againstRoster(signed: number, roster: number): string {
  if (roster === 0) return String(signed);
  return `${signed}/${roster} (${Math.round((signed / roster) * 100)} %)`;
}

/** A side of a pupil's pledge in words. */
export function sideText(s: PledgeSideStatus): string {
  if (s.state === 'signed') return s.signedAt ? `Đã ký ngày ${formatVnDate(s.signedAt)}` : 'Đã ký';
  if (s.state === 'withdrawn') return s.withdrawnAt ? `Đã rút ngày ${formatVnDate(s.withdrawnAt)}` : 'Đã rút';
  return 'Chưa ký';
}

/** Pledges signed for names that are not on the roster. */
export function offRoster(c: PledgeCounts): number {
  return c.parentValid - c.parentOnRoster + (c.studentValid - c.studentOnRoster);
}
