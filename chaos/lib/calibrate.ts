// How many sends one "xin chào" from a new sender produces at the Messenger double (the onboarding reply's parts):
// one message through the real pipeline, counted at the double once it has been quiet for a while. The count is only
// used to know when a run has finished; every check counts rows and the double's records.
import { messengerBody, signature } from '../../bench/messenger-body.js';
import { until } from './wait.js';

/**
 * Sends one message from a fresh sender to `url` and returns how many accepted sends it received, counted in `sent`
 * (the sends of every double a replica may send through: any replica may dispatch the reply).
 */
export async function sendsPerGreeting(url: string, pageId: string, sent: () => { recipientId: string }[], secret: string, tag: string, text = 'xin chào'): Promise<number> {
  const psid = `8${tag}0000000`;
  const body = messengerBody(pageId, psid, `m_calibrate_${tag}`, { text });
  const res = await fetch(`${url}/webhooks/messenger`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature(body, secret) }, body });
  if (res.status !== 200) throw new Error(`calibration webhook answered ${res.status}`);
  const count = () => sent().filter((s) => s.recipientId === psid).length;
  await until(() => count() > 0, 'the calibration reply', 120_000, 50);
  // Quiet for 2 s: every part of the reply has gone out (parts of one delivery follow each other within milliseconds).
  let last = count();
  let stableSince = Date.now();
  await until(
    () => {
      const now = count();
      if (now !== last) [last, stableSince] = [now, Date.now()];
      return Date.now() - stableSince >= 2_000;
    },
    'the calibration reply to finish',
    60_000,
    100,
  );
  return last;
}
