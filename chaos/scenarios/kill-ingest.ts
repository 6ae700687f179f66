// Scenario 1: kill -9 of the server while signed Messenger webhooks arrive; restart on the same data. Every
// acknowledged (2xx) mid must be processed exactly once: its InboundEvent row done, one turn's replies written and
// sent, and at the double each sender served (extra sends bounded by the deliveries in flight at the kill).
import { startAppProcess } from '../lib/app-process.js';
import { sendsPerGreeting } from '../lib/calibrate.js';
import { embeddedDir, freshSchema } from '../lib/databases.js';
import { MESSENGER_APP_SECRET, messengerEnv, sendsPerRecipient, startMessengerDouble } from '../lib/doubles.js';
import { Scorecard, type ScenarioResult } from '../lib/result.js';
import { doubleTruth, eventTruth, sendingNow, unfinishedEvents, backlog } from '../lib/truth.js';
import { until } from '../lib/wait.js';
import { WebhookLoad } from '../lib/webhook-load.js';

const PAGE = '100000000000101';
/** The kill comes once this many webhooks were acknowledged and replies are going out: mid-stream, whatever the speed. */
const ACKED_BEFORE_KILL = 300;

export async function killDuringIngest(kind: 'postgres' | 'embedded'): Promise<ScenarioResult> {
  const card = new Scorecard(`1-${kind === 'postgres' ? 'pg' : 'emb'}`, 'kill -9 during webhook load', kind);
  const db = kind === 'postgres' ? await freshSchema() : embeddedDir();
  const messenger = await startMessengerDouble({ pageId: PAGE });
  const env = { ...db.env, ...messengerEnv(messenger), MESSENGER_RATE_PER_SECOND: '300' };
  const tag = kind === 'postgres' ? '11' : '12';
  try {
    const first = await startAppProcess(`1-${kind}-first`, env);
    const parts = await sendsPerGreeting(first.url, PAGE, () => messenger.sent(), MESSENGER_APP_SECRET, tag);
    card.set('sends per greeting', parts);

    const load = new WebhookLoad(() => [first.url], { pageId: PAGE, secret: MESSENGER_APP_SECRET, tag, connections: 16 }).start();
    await until(() => load.acked.size >= ACKED_BEFORE_KILL && messenger.sent().length >= 20, 'acknowledged webhooks and replies under way', 180_000, 20);
    await first.kill9();
    await load.stop();
    const acked = [...load.acked.keys()];
    const psids = [...load.acked.values()];
    card.set('acked before kill', acked.length);
    card.set('requests cut by the kill', load.statuses.error ?? 0);
    card.expect(acked.length > 0, 'nothing was acknowledged before the kill');

    // What was in flight at the kill, read from the rows the dead process left (the runner may open PGlite now).
    const atKill = await db.open();
    const inFlight = await sendingNow(atKill);
    const unfinished = await unfinishedEvents(atKill);
    if (kind === 'embedded') await atKill.close();
    card.set('events unfinished at kill', unfinished);
    card.set('deliveries sending at kill', inFlight);

    const restartAt = Date.now();
    const second = await startAppProcess(`1-${kind}-restart`, env);
    const perPsid = () => sendsPerRecipient(messenger.sent().map((s) => s.recipientId));
    await until(() => doubleTruth(perPsid(), psids, parts).short === 0, 'every acknowledged sender served at the double', 300_000, 250);
    let truthDb = atKill;
    if (kind === 'postgres') {
      await until(async () => {
        const b = await backlog(truthDb);
        return b.inbox === 0 && b.outbox === 0;
      }, 'inbox and outbox empty', 120_000, 200);
    }
    card.set('recovery s', (Date.now() - restartAt) / 1000);
    const code = await second.stop();
    card.expect(code === 0, `the restarted server did not stop cleanly (exit ${code})`);
    if (kind === 'embedded') truthDb = await db.open();

    const t = await eventTruth(truthDb, acked);
    const b = await backlog(truthDb);
    if (kind === 'embedded') await truthDb.close();
    const d = doubleTruth(perPsid(), psids, parts);
    // A delivery in flight may have reached the platform unrecorded: at most its parts again.
    const bound = inFlight * Math.max(1, Math.ceil(parts / Math.max(1, t.deliveriesPerEvent)));
    card.set('missing', t.missing);
    card.set('not done', t.notDone);
    card.set('replies per event', t.deliveriesPerEvent);
    card.set('events with other reply count', t.oddEvents);
    card.set('duplicate sends at double', d.duplicates);
    card.set('in-flight bound', bound);
    card.expect(t.missing === 0, `${t.missing} acknowledged events have no row`);
    card.expect(t.rows === acked.length, `${t.rows} rows for ${acked.length} acknowledged events`);
    card.expect(t.notDone === 0, `${t.notDone} acknowledged events not done`);
    card.expect(t.deliveriesPerEvent > 0 && t.oddEvents === 0, `${t.oddEvents} events with a reply count other than ${t.deliveriesPerEvent} (a turn run twice or never)`);
    card.expect(t.unsent === 0, `${t.unsent} replies of acknowledged events not sent`);
    card.expect(b.inbox === 0 && b.outbox === 0, `backlog left: ${b.inbox} events, ${b.outbox} deliveries`);
    card.expect(d.short === 0, `${d.short} acknowledged senders short of replies at the double`);
    card.expect(d.duplicates <= bound, `${d.duplicates} duplicate sends exceed the in-flight bound ${bound}`);
  } catch (err) {
    card.expect(false, err instanceof Error ? err.message : String(err));
  } finally {
    await messenger.close();
    await db.drop().catch(() => {});
  }
  return card.result();
}
