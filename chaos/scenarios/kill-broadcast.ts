// Scenario 2: kill -9 while a broadcast to 10 000 Messenger recipients is being sent (at 300/s against the double),
// then restart. Every recipient must be served; extra sends at the double must not exceed the deliveries that were
// in flight at the kill (rows left `sending`, itself at most the dispatcher's concurrency, and sends whose lease
// expired before their outcome could be recorded: the server logs each, and such a row is queued again).
import { dispatchConcurrency } from '../../src/config.js';
import { LEASE_LOST_MESSAGE } from '../../src/bot/dispatcher.js';
import { startAppProcess, type AppProcess } from '../lib/app-process.js';
import { addContacts, broadcastRows, sendNow } from '../lib/broadcast.js';
import { embeddedDir, freshSchema } from '../lib/databases.js';
import { messengerEnv, startMessengerDouble } from '../lib/doubles.js';
import { Scorecard, type ScenarioResult } from '../lib/result.js';
import { sendingNow } from '../lib/truth.js';
import { until } from '../lib/wait.js';

const PAGE = '100000000000202';
const RECIPIENTS = 10_000;
const RATE = 300;
/** The kill comes once this share of the recipients has been sent to. */
const KILL_AT = 0.4;

export async function killDuringBroadcast(kind: 'postgres' | 'embedded'): Promise<ScenarioResult> {
  const card = new Scorecard(`2-${kind === 'postgres' ? 'pg' : 'emb'}`, 'kill -9 during a 10 000-recipient broadcast', kind);
  const db = kind === 'postgres' ? await freshSchema() : embeddedDir();
  const messenger = await startMessengerDouble({ pageId: PAGE });
  const env = { ...db.env, ...messengerEnv(messenger), MESSENGER_RATE_PER_SECOND: String(RATE) };
  const userIds = Array.from({ length: RECIPIENTS }, (_, i) => `6${String(i).padStart(9, '0')}`);
  const ours = () => messenger.sent().filter((s) => s.recipientId.startsWith('6'));
  const distinct = () => new Set(ours().map((s) => s.recipientId)).size;
  let app: AppProcess | undefined;
  try {
    // The embedded database is one process's: recipients are written while no server has it open.
    app = await startAppProcess(`2-${kind}-seed`, env);
    if (kind === 'embedded') await app.stop();
    const setup = await db.open();
    const classId = await addContacts(setup, 'NTT-6A2', 'parent', [{ channel: 'messenger', accountId: PAGE, userIds }]);
    const broadcastId = await sendNow(setup, classId, 'parent', 'Kính gửi phụ huynh lớp 6A2: nhắc ký cam kết an toàn giao thông trước thứ Sáu.');
    if (kind === 'embedded') {
      await setup.close();
      app = await startAppProcess(`2-${kind}-first`, env);
    }
    const startedAt = Date.now();
    await until(() => distinct() >= RECIPIENTS * KILL_AT, `${KILL_AT * 100} % of the recipients sent`, 300_000, 20);
    const leaseLost = app.messages.get(LEASE_LOST_MESSAGE) ?? 0;
    await app.kill9();
    app = undefined;
    const killedAt = Date.now();
    const sentBeforeKill = ours().length;
    const duplicatesBeforeKill = sentBeforeKill - distinct();
    card.set('sent before kill', sentBeforeKill);
    card.set('duplicates before kill', duplicatesBeforeKill);
    card.set('sends/s before kill', sentBeforeKill / ((Date.now() - startedAt) / 1000));

    const atKill = kind === 'postgres' ? setup : await db.open();
    const inFlight = await sendingNow(atKill, `"broadcastId" = '${broadcastId}'`);
    if (kind === 'embedded') await atKill.close();
    const concurrency = dispatchConcurrency([RATE]);
    card.set('sending at kill', inFlight);
    card.set('leases lost mid-send', leaseLost);
    card.set('dispatch concurrency', concurrency);

    const restartAt = Date.now();
    app = await startAppProcess(`2-${kind}-restart`, env);
    await until(() => distinct() >= RECIPIENTS, 'every recipient served at the double', 300_000, 250);
    let truth = atKill;
    if (kind === 'postgres') await until(async () => (await broadcastRows(truth, broadcastId)).sent === RECIPIENTS, 'every row sent', 120_000, 250);
    card.set('recovery s', (Date.now() - restartAt) / 1000);
    const code = await app.stop();
    app = undefined;
    card.expect(code === 0, `the restarted server did not stop cleanly (exit ${code})`);
    if (kind === 'embedded') truth = await db.open();
    const rows = await broadcastRows(truth, broadcastId);
    if (kind === 'embedded') await truth.close();

    const sends = ours().length;
    const duplicates = sends - distinct();
    // A duplicate the kill explains has its first send before the kill; one sent twice after the restart does not.
    const firstAt = new Map<string, number>();
    let afterRestart = 0;
    for (const s of ours()) {
      const first = firstAt.get(s.recipientId);
      if (first === undefined) firstAt.set(s.recipientId, s.at);
      else if (first > killedAt) afterRestart++;
    }
    card.set('duplicates both after restart', afterRestart);
    card.set('rows', rows.total);
    card.set('rows sent', rows.sent ?? 0);
    card.set('recipients served', distinct());
    card.set('duplicates at double', duplicates);
    card.set('in-flight bound', inFlight + leaseLost);
    card.expect(rows.total === RECIPIENTS && rows.recipients === RECIPIENTS, `${rows.total} rows for ${rows.recipients} recipients, expected ${RECIPIENTS}`);
    card.expect(rows.sent === RECIPIENTS, `${rows.sent ?? 0} rows sent of ${RECIPIENTS}`);
    card.expect(distinct() === RECIPIENTS, `${RECIPIENTS - distinct()} recipients never served`);
    card.expect(duplicatesBeforeKill === 0, `${duplicatesBeforeKill} duplicate sends before any kill`);
    card.expect(afterRestart === 0, `${afterRestart} recipients sent twice after the restart (not explained by the kill)`);
    card.expect(duplicates <= inFlight + leaseLost, `${duplicates} duplicates exceed the ${inFlight} deliveries in flight at the kill and the ${leaseLost} whose lease expired mid-send`);
    card.expect(inFlight <= concurrency, `${inFlight} rows sending at the kill, more than the dispatcher's ${concurrency} slots`);
  } catch (err) {
    card.expect(false, err instanceof Error ? err.message : String(err));
  } finally {
    await app?.kill9();
    await messenger.close();
    await db.drop().catch(() => {});
  }
  return card.result();
}
