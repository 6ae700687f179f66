// The platform doubles of the test suite, started in the runner: the server processes send to them over loopback,
// and what they received is the ground truth of what went out.
import { startMessengerDouble, type MessengerDouble, type MessengerSentMessage } from '../../test/doubles/messenger-double.js';
import { startZaloDouble, type ZaloDouble } from '../../test/doubles/zalo-double.js';
import { messengerEnv, zaloEnv, MESSENGER_APP_SECRET } from '../../test/helpers/channels.js';

export { MESSENGER_APP_SECRET, messengerEnv, zaloEnv, startMessengerDouble, startZaloDouble, type MessengerDouble, type ZaloDouble, type MessengerSentMessage };

/** How many accepted sends each recipient got (from the doubles' own records). */
export function sendsPerRecipient(recipients: Iterable<string>): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of recipients) out.set(r, (out.get(r) ?? 0) + 1);
  return out;
}

/** Accepted sends per aligned second (epoch seconds), across every double given. */
export function perSecond(times: number[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const t of times) out.set(Math.floor(t / 1000), (out.get(Math.floor(t / 1000)) ?? 0) + 1);
  return out;
}
