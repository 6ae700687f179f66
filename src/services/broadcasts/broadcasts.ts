import type { Repos } from '../../store/repos.js';
import { resolveBroadcastScope, type BroadcastScope } from './broadcast-scope.js';
import { broadcastFigures, listBroadcastsBy } from './broadcast-figures.js';
import type { Audience, BroadcastAuthor, BroadcastDraft, BroadcastFigures, ReachForecast } from './broadcast-types.js';
import { cancelBroadcast, type BroadcastCanceller, type CancelBroadcastResult } from './cancel-broadcast.js';
import { catchUpBroadcasts } from './catch-up.js';
import { createBroadcast, type CreateBroadcastResult } from './create-broadcast.js';
import { decideBroadcast, type BroadcastDecider, type DecideBroadcastResult } from './decide-broadcast.js';
import { forecastReach } from './forecast-reach.js';
import type { QuietHours } from './reach-rules.js';

/** The broadcast verbs for the chat (inside a turn's transaction: the `repos` given) and the console. */
export interface Broadcasts {
  scope(repos: Repos, contactId: string): Promise<BroadcastScope>;
  forecast(repos: Repos, audience: Audience, now: Date, campaignId?: string | null): Promise<ReachForecast>;
  create(repos: Repos, draft: BroadcastDraft, now: Date): Promise<CreateBroadcastResult>;
  decide(repos: Repos, req: { code: string; decider: BroadcastDecider; approve: boolean; now: Date }): Promise<DecideBroadcastResult>;
  cancel(repos: Repos, req: { code: string; by: BroadcastCanceller; now: Date }): Promise<CancelBroadcastResult>;
  figures(repos: Repos, code: string): Promise<BroadcastFigures | null>;
  listBy(repos: Repos, author: BroadcastAuthor, limit: number): Promise<BroadcastFigures[]>;
  catchUp(repos: Repos, contactId: string, now: Date): Promise<number>;
}

/** Wires the broadcast verbs (one per file in this folder) with the send policy the forecast follows. */
export function createBroadcasts(opts: { zaloQuietHours?: QuietHours } = {}): Broadcasts {
  const policy = { zaloQuietHours: opts.zaloQuietHours ?? { start: 22, end: 6 } };
  return {
    scope: resolveBroadcastScope,
    forecast: (repos, audience, now, campaignId = null) => forecastReach(repos, audience, now, policy, campaignId),
    create: createBroadcast,
    decide: decideBroadcast,
    cancel: cancelBroadcast,
    figures: broadcastFigures,
    listBy: listBroadcastsBy,
    catchUp: catchUpBroadcasts,
  };
}
