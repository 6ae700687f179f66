import type { Channel } from '../channel.js';

/**
 * The simulator's sending side. It has no platform: a delivery is "sent" once the dispatcher hands it over, and the
 * simulator API reads the message back from the outbox. It goes through the same outbox and dispatcher as Zalo and
 * Messenger, so what you see in the simulator is what the pipeline produced.
 */
export const simulatorChannel: Channel = {
  id: 'simulator',
  policy: () => ({ kind: 'send' }),
  send: async () => ({ ok: true, outcome: 'sent' }),
};
