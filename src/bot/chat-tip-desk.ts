import type { TipDesk } from '../flows/ports/tip-desk.port.js';
import type { Repos } from '../store/repos.js';
import type { ReplyRoute } from '../services/tips/reply-handle.js';
import type { Tips } from '../services/tips/tips.js';
import { laneKeyOf } from './log-keys.js';

/**
 * The tip desk for one chat turn, over the tip services and the turn's transaction. It knows who is writing
 * (`origin`): submissions are sealed back to it only with consent, and it is the source the lookup limits count.
 */
export function chatTipDesk(tips: Tips, repos: Repos, origin: ReplyRoute, now: Date): TipDesk {
  const who = `chat:${laneKeyOf(origin.channel, origin.accountId, origin.userId)}`;
  return {
    platform: platformOf(origin),
    webFormUrl: tips.webFormUrl,
    submit: ({ allowReplies, ...draft }) => tips.submit(repos, draft, { submitter: who, route: allowReplies ? origin : null }, now),
    attachPhotos: (request, photos) => tips.attachPhotos(repos, request, photos, now),
    lookup: (code, pin) => tips.lookUp(repos, code, pin, { source: who, route: origin }, now),
    addInfo: (grant, text) => tips.addInfo(repos, grant, text, now),
    sealForState: (value) => tips.sealForState(value),
    openFromState: (sealed) => tips.openFromState(sealed),
  };
}

// The simulator stands in for a platform through its account id ("zalo" or "messenger").
function platformOf(origin: ReplyRoute): TipDesk['platform'] {
  if (origin.channel === 'zalo' || origin.accountId === 'zalo') return 'zalo';
  if (origin.channel === 'messenger' || origin.accountId === 'messenger') return 'messenger';
  return 'other';
}
