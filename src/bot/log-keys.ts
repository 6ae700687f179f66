import { createHash } from 'node:crypto';

/** A short stable hash of a lane key, so logs can follow one contact without containing their platform id. */
export function contactKey(laneKey: string): string {
  return createHash('sha256').update(laneKey).digest('hex').slice(0, 12);
}

/** The lane of a contact: events and deliveries of one lane are handled one at a time, in order. */
export function laneKeyOf(channel: string, accountId: string, userId: string): string {
  return `${channel}:${accountId}:${userId}`;
}
