// Scenario 5: two replicas (two server processes) on one PostgreSQL schema, webhooks spread over both while a
// broadcast goes out. Each replica sends through its own Messenger double with the same Page id, so the shared rate
// limit has one key and the sends can be told apart. Nothing is killed, so the in-flight bound is zero: no event may
// be processed twice, no delivery sent twice, and the Page's rate limit must hold for both replicas together.
import { startAppProcess, type AppProcess } from '../lib/app-process.js';
import { addContacts, broadcastRows, sendNow } from '../lib/broadcast.js';
import { sendsPerGreeting } from '../lib/calibrate.js';
import { freshSchema } from '../lib/databases.js';
import { MESSENGER_APP_SECRET, messengerEnv, perSecond, sendsPerRecipient, startMessengerDouble, type MessengerDouble } from '../lib/doubles.js';
import { Scorecard, type ScenarioResult } from '../lib/result.js';
import { backlog, doubleTruth, eventTruth } from '../lib/truth.js';
import { until } from '../lib/wait.js';
import { WebhookLoad } from '../lib/webhook-load.js';

const PAGE = '100000000000505';
const RATE = 150;
const RECIPIENTS = 3_000;
const LOAD_RATE = 30;
/**
 * The limit is counted in fixed one-second windows in the database before each send; a send reaches the double a
 * moment after its slot was taken (the HTTP call), so near a window's end it may land in the next second. Over
 * aligned 5-second spans at most one window's worth can spill in from before: ≤ 6 windows, +20 %. The whole run must
 * stay within one window of the limit (sends ≤ RATE × (seconds + 1)). The peak single second is printed too.
 */
const SPAN_S = 5;

export async function twoReplicas(): Promise<ScenarioResult> {
  const card = new Scorecard('5-pg', 'two replicas: webhooks + a broadcast', 'postgres');
  const db = await freshSchema();
  const doubles: MessengerDouble[] = [await startMessengerDouble({ pageId: PAGE }), await startMessengerDouble({ pageId: PAGE })];
  const apps: AppProcess[] = [];
  try {
    for (const [i, d] of doubles.entries()) apps.push(await startAppProcess(`5-replica-${i + 1}`, { ...db.env, ...messengerEnv(d), MESSENGER_RATE_PER_SECOND: String(RATE) }));
    const all = () => doubles.flatMap((d) => d.sent());
    const parts = await sendsPerGreeting(apps[0]!.url, PAGE, all, MESSENGER_APP_SECRET, '51');
    const truth = await db.open();
    const userIds = Array.from({ length: RECIPIENTS }, (_, i) => `5${String(i).padStart(9, '0')}`);
    const classId = await addContacts(truth, 'NTT-9A1', 'parent', [{ channel: 'messenger', accountId: PAGE, userIds }]);

    const load = new WebhookLoad(() => apps.map((a) => a.url), { pageId: PAGE, secret: MESSENGER_APP_SECRET, tag: '52', connections: 8, ratePerSecond: LOAD_RATE }).start();
    await until(() => load.acked.size >= 50, 'webhooks acknowledged by the replicas', 60_000);
    const broadcastId = await sendNow(truth, classId, 'parent', 'Kính gửi phụ huynh lớp 9A1: tuần này nhà trường kiểm tra mũ bảo hiểm của học sinh.');
    const broadcastSends = () => all().filter((s) => s.recipientId.startsWith('5'));
    await until(() => new Set(broadcastSends().map((s) => s.recipientId)).size >= RECIPIENTS, 'every broadcast recipient served', 240_000, 250);
    await load.stop();
    await until(async () => {
      const b = await backlog(truth);
      return b.inbox === 0 && b.outbox === 0;
    }, 'inbox and outbox empty', 120_000);

    const acked = [...load.acked.keys()];
    const t = await eventTruth(truth, acked);
    const replies = doubleTruth(sendsPerRecipient(all().map((s) => s.recipientId)), load.acked.values(), parts);
    const rows = await broadcastRows(truth, broadcastId);
    const bSends = broadcastSends();
    const bDistinct = new Set(bSends.map((s) => s.recipientId)).size;
    card.set('acked', acked.length);
    card.set('events missing / not done / other reply count', `${t.missing} / ${t.notDone} / ${t.oddEvents}`);
    card.set('reply duplicates at doubles', replies.duplicates);
    card.set('broadcast sends / recipients', `${bSends.length} / ${bDistinct}`);
    card.set('sends by replica', doubles.map((d) => d.sent().length).join(' + '));
    card.expect(acked.length > 0 && t.missing === 0 && t.rows === acked.length && t.notDone === 0, `${t.missing} acknowledged events missing, ${t.notDone} not done`);
    card.expect(t.oddEvents === 0 && t.unsent === 0, `${t.oddEvents} events with another reply count (processed twice?), ${t.unsent} replies unsent`);
    card.expect(replies.short === 0 && replies.duplicates === 0, `replies at the doubles: ${replies.short} senders short, ${replies.duplicates} duplicates (in-flight bound 0: nothing was killed)`);
    card.expect(rows.total === RECIPIENTS && rows.sent === RECIPIENTS, `broadcast rows ${rows.total}, sent ${rows.sent ?? 0}, expected ${RECIPIENTS}`);
    card.expect(bSends.length === RECIPIENTS && bDistinct === RECIPIENTS, `broadcast: ${bSends.length} sends to ${bDistinct} recipients, expected ${RECIPIENTS} once each`);
    card.expect(doubles.every((d) => d.sent().length > 0), 'one replica sent nothing');

    // The shared limit, as the platform saw it: every accepted send of the Page, both replicas, replies included.
    const times = all().map((s) => s.at).sort((a, b) => a - b);
    const seconds = perSecond(times);
    const first = Math.floor(times[0]! / 1000);
    const last = Math.floor(times.at(-1)! / 1000);
    let peakSpan = 0;
    for (let s = first; s <= last; s += 1) {
      let n = 0;
      for (let k = 0; k < SPAN_S; k++) n += seconds.get(s + k) ?? 0;
      peakSpan = Math.max(peakSpan, n);
    }
    const span = (times.at(-1)! - times[0]!) / 1000;
    card.set('rate limit /s', RATE);
    card.set('average sends/s', times.length / (span + 1));
    card.set(`peak ${SPAN_S} s ÷ (${SPAN_S}×limit)`, peakSpan / (SPAN_S * RATE));
    card.set('peak 1 s', Math.max(...seconds.values()));
    card.expect(times.length <= RATE * (span + 1), `${times.length} sends in ${span.toFixed(1)} s: above the limit`);
    card.expect(peakSpan <= (SPAN_S + 1) * RATE, `${peakSpan} sends in a ${SPAN_S} s span: more than ${SPAN_S + 1} windows of ${RATE}`);
    for (const a of apps) {
      const code = await a.stop();
      card.expect(code === 0, `${a.name} did not stop cleanly (exit ${code})`);
    }
    apps.length = 0;
  } catch (err) {
    card.expect(false, err instanceof Error ? err.message : String(err));
  } finally {
    for (const a of apps) await a.kill9();
    for (const d of doubles) await d.close();
    await db.drop().catch(() => {});
  }
  return card.result();
}
