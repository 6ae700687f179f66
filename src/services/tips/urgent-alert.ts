import type { Repos } from '../../store/repos.js';
import { URGENT_TIP_ALERT } from './tip-rules.js';

/** Raises (or updates) the urgent-tip alert while urgent tips wait for a handler, and resolves it when none do. */
export async function refreshUrgentAlert(repos: Repos): Promise<void> {
  const waiting = await repos.tips.countUnacknowledgedUrgent();
  if (waiting === 0) await repos.alerts.resolve(URGENT_TIP_ALERT, { coarse: true });
  else await repos.alerts.raise(URGENT_TIP_ALERT, `Tin báo khẩn cấp chờ cán bộ xác nhận: ${waiting} / Urgent tips awaiting acknowledgement: ${waiting}`, { coarse: true });
}
