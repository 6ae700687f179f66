import type { Repos } from '../../store/repos.js';
import type { TipRow } from '../../store/tip.repo.js';
import type { TipKeys } from './tip-keys.js';

/** Where a handler's reply goes back to: sealed, never shown. */
export interface ReplyRoute {
  channel: string;
  accountId: string;
  userId: string;
}

/** The sealed handle: the route, and when the tipster last wrote from it (for the platform's reply window). */
export interface SealedHandle extends ReplyRoute {
  at?: string;
}

/** Seals `route` as tip `tipId`'s reply handle, remembering `at` as the tipster's last message from it. */
export function sealHandle(keys: TipKeys, tipId: string, route: ReplyRoute, at: Date): string {
  const handle: SealedHandle = { channel: route.channel, accountId: route.accountId, userId: route.userId, at: at.toISOString() };
  return keys.handles.seal(JSON.stringify(handle), `${tipId}:handle`);
}

/** The reply handle of an open tip, or null (none, closed, or unreadable). */
export function openHandle(keys: TipKeys, tip: Pick<TipRow, 'id' | 'status' | 'replyHandleCipher'>): SealedHandle | null {
  if (!tip.replyHandleCipher || tip.status === 'closed') return null;
  try {
    return JSON.parse(keys.handles.open(tip.replyHandleCipher, `${tip.id}:handle`)) as SealedHandle;
  } catch {
    return null;
  }
}

/**
 * A right PIN from the very chat the replies go back to: the handle learns this newer time, so a later reply notice
 * is sent while the platform's window is still open (the contact row does not move for tip-flow turns).
 */
export async function refreshHandle(repos: Repos, keys: TipKeys, tip: TipRow, origin: ReplyRoute, now: Date): Promise<void> {
  const route = openHandle(keys, tip);
  if (!route || route.channel !== origin.channel || route.accountId !== origin.accountId || route.userId !== origin.userId) return;
  await repos.tips.setReplyHandle(tip.id, sealHandle(keys, tip.id, route, now));
}
