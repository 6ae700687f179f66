import type { Repos } from '../../store/repos.js';
import { DAY_MS, TIP_FLOW_IDS } from './tip-rules.js';

/** What one retention sweep removed. */
export interface SweepResult {
  deletedTips: number;
  wipedHandles: number;
  deletedDrafts: number;
}

/**
 * Retention: deletes tips closed more than `retentionDays` ago, any handle left on a closed tip, tip drafts of
 * expired conversations and old submission and attempt counters.
 */
export async function sweepTips(repos: Repos, retentionDays: number, now: Date): Promise<SweepResult> {
  const deletedTips = await repos.tips.deleteClosedBefore(new Date(now.getTime() - retentionDays * DAY_MS));
  const wipedHandles = await repos.tips.wipeClosedHandles();
  const deletedDrafts = await repos.tips.deleteExpiredDrafts([...TIP_FLOW_IDS], now);
  await repos.tips.pruneSubmissionWindows(new Date(now.getTime() - DAY_MS));
  await repos.throttle.prune(new Date(now.getTime() - DAY_MS), now);
  return { deletedTips, wipedHandles, deletedDrafts };
}
