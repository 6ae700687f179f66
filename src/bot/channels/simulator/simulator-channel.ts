import type { OutMessage } from '../../../content/messages.schema.js';
import { laneKeyOf } from '../../log-keys.js';
import type { Channel } from '../channel.js';

// Sensitive deliveries (the tip flow) have their text erased in the outbox as soon as they are sent, so the simulator
// API cannot read them back from there. The simulator "platform" keeps what it was handed for a short while, in
// memory only, like a real platform keeps the chat; the API reads erased messages from here.
const KEEP_MS = 2 * 60_000;
const MAX_KEPT = 2000;
const kept = new Map<string, { message: OutMessage; until: number }>();

const keyOf = (laneKey: string, deliveryId: bigint) => `${laneKey}#${deliveryId}`;

/** The message the simulator was handed for this delivery (kept two minutes), or undefined. */
export function simulatorSentMessage(laneKey: string, deliveryId: bigint): OutMessage | undefined {
  const entry = kept.get(keyOf(laneKey, deliveryId));
  return entry && entry.until > Date.now() ? entry.message : undefined;
}

/**
 * What the simulator was handed for this lane after a delivery id (kept two minutes), oldest first: a tip-flow message
 * sent outside a turn (a handler's reply notice, an urgent-tip alert) has its outbox row anonymised, lane and all, once
 * sent, so the page's poll finds it only here.
 */
export function simulatorSentToLane(laneKey: string, afterId: bigint): { id: bigint; message: OutMessage }[] {
  const now = Date.now();
  const out: { id: bigint; message: OutMessage }[] = [];
  for (const [key, entry] of kept) {
    const hash = key.lastIndexOf('#');
    if (entry.until <= now || key.slice(0, hash) !== laneKey) continue;
    const id = BigInt(key.slice(hash + 1));
    if (id > afterId) out.push({ id, message: entry.message });
  }
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function keep(laneKey: string, deliveryId: bigint, message: OutMessage): void {
  const now = Date.now();
  for (const [k, v] of kept) {
    if (v.until > now && kept.size < MAX_KEPT) break;
    kept.delete(k);
  }
  kept.set(keyOf(laneKey, deliveryId), { message, until: now + KEEP_MS });
}

/**
 * The simulator's sending side. It has no platform: a delivery is "sent" once the dispatcher hands it over, and the
 * simulator API reads the message back from the outbox. It goes through the same outbox and dispatcher as Zalo and
 * Messenger, so what you see in the simulator is what the pipeline produced.
 */
export const simulatorChannel: Channel = {
  id: 'simulator',
  policy: () => ({ kind: 'send' }),
  send: async (d) => {
    keep(laneKeyOf('simulator', d.accountId, d.recipient), d.id, d.message);
    return { ok: true, outcome: 'sent' };
  },
};
