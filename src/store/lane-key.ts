/** The lane of a contact: events and deliveries of one lane are handled one at a time, in order. */
export function laneKeyOf(channel: string, accountId: string, userId: string): string {
  return `${channel}:${accountId}:${userId}`;
}
