import type { DeliveryResult } from '../../store/outbox.repo.js';
import type { Repos } from '../../store/repos.js';
import type { GroupHealth } from '../../store/zalo-group.repo.js';

/** Recipients of GMF group deliveries are written `group:<group_id>` (as `channels/zalo` sends them). */
export const GROUP_RECIPIENT_PREFIX = 'group:';

/** What a Zalo answer says about a group: −237 messaging disabled, −403 OA not a member, success (null) fine. */
export function healthOfCode(platformCode: string | null): GroupHealth | undefined {
  if (platformCode === null) return 'ok';
  if (platformCode === '-237') return 'disabled';
  if (platformCode === '-403') return 'not_member';
  return undefined;
}

/**
 * Records what a send into a group showed: `platformCode` null for a success (the group is ok again), `-237` or
 * `-403` for an unhealthy group (kept with that code as its reason); other codes say nothing about the group. One
 * statement that writes only on a change. Returns the new health, or null when nothing changed.
 */
export async function recordGroupHealth(repos: Repos, groupId: string, platformCode: string | null, now: Date): Promise<GroupHealth | null> {
  const health = healthOfCode(platformCode);
  if (!health) return null;
  return (await repos.zaloGroups.setHealth(groupId, health, platformCode, now)) ? health : null;
}

/**
 * The dispatcher's hook (`onRecorded`): a Zalo group delivery's final outcome updates the group's health. Anything
 * else costs a string comparison. Never throws for a non-group row.
 */
export async function recordDeliveryGroupHealth(repos: Repos, row: { channel: string; recipient: string }, result: DeliveryResult, now: Date): Promise<GroupHealth | null> {
  if (row.channel !== 'zalo' || !row.recipient.startsWith(GROUP_RECIPIENT_PREFIX)) return null;
  const groupId = row.recipient.slice(GROUP_RECIPIENT_PREFIX.length);
  if (result.status === 'sent') return recordGroupHealth(repos, groupId, null, now);
  if (result.status === 'failed' && result.platformCode) return recordGroupHealth(repos, groupId, result.platformCode, now);
  return null;
}
