import type { Repos } from '../../store/repos.js';
import type { TipListRow, TipScope } from '../../store/tip.repo.js';

/** Tips of the handler's scope for their inbox (no text), urgent unacknowledged first; at most 500. */
export function listTips(repos: Repos, scope: TipScope, filter: { status?: string; limit?: number } = {}): Promise<TipListRow[]> {
  return repos.tips.list({ ...(filter.status ? { status: filter.status } : {}), limit: Math.min(filter.limit ?? 100, 500) }, scope);
}
