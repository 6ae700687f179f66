import type { Repos } from '../../store/repos.js';

/**
 * Catch-up, when a contact writes again: its campaign messages skipped because its window was closed go back to the
 * queue once (behind the reply to what it wrote, as replies go first), if their broadcast is not cancelled and its
 * catch-up time has not passed. One statement; returns how many messages were queued again.
 */
export async function catchUpBroadcasts(repos: Repos, contactId: string, now: Date): Promise<number> {
  return repos.broadcasts.catchUp(contactId, now);
}
