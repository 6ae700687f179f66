// Scenario 3: PostgreSQL "restarts" under webhook load, twice: the app's database stops accepting connections and
// every backend of it is terminated (the machine's PostgreSQL service keeps running: CI shares it), then it comes
// back. `/readyz` must turn 503 and back by itself, webhooks must answer 503 meanwhile (Meta and Zalo retry), every
// acknowledged event must be processed exactly once, and the process must not spin (CPU and log lines per second
// sampled during the outage; the second outage without webhook load shows the background loops alone).
import { startAppProcess } from '../lib/app-process.js';
import { adminQuery, ownDatabase } from '../lib/databases.js';
import { MESSENGER_APP_SECRET, messengerEnv, startMessengerDouble } from '../lib/doubles.js';
import { Scorecard, type ScenarioResult } from '../lib/result.js';
import { backlog, eventTruth } from '../lib/truth.js';
import { pause, until } from '../lib/wait.js';
import { WebhookLoad } from '../lib/webhook-load.js';

const PAGE = '100000000000303';
const OUTAGE_MS = 6_000;
const LOAD_RATE = 60;
/** Thresholds of "does not spin": CPU in cores and log lines per second while the database is gone. */
const IDLE_CPU_MAX = 0.3;
const IDLE_LOG_MAX = 10;
const LOAD_CPU_MAX = 0.9;

interface Sample {
  at: number;
  value: number;
}

export async function postgresRestart(): Promise<ScenarioResult> {
  const card = new Scorecard('3-pg', 'PostgreSQL restart under load (×2)', 'postgres');
  const db = await ownDatabase();
  const messenger = await startMessengerDouble({ pageId: PAGE });
  const env = { ...db.env, ...messengerEnv(messenger), MESSENGER_RATE_PER_SECOND: '300' };
  let stopPolling = false;
  try {
    const app = await startAppProcess('3-pg', env);
    const readiness: Sample[] = [];
    const cpu: Sample[] = [];
    const polling = (async () => {
      while (!stopPolling) {
        const status = await fetch(`${app.url}/readyz`, { signal: AbortSignal.timeout(3_000) }).then((r) => r.status, () => 0);
        readiness.push({ at: Date.now(), value: status });
        cpu.push({ at: Date.now(), value: app.cpuSeconds() });
        await pause(100);
      }
    })();
    const load = new WebhookLoad(() => [app.url], { pageId: PAGE, secret: MESSENGER_APP_SECRET, tag: '31', connections: 8, ratePerSecond: LOAD_RATE }).start();
    await until(() => load.acked.size >= 100, 'acknowledged webhooks before the outage', 120_000);

    const outage = async (label: string) => {
      const from = Date.now();
      await adminQuery(db.adminUrl, `ALTER DATABASE "${db.name}" WITH ALLOW_CONNECTIONS false`);
      const [killed] = await adminQuery<{ n: number }>(db.adminUrl, `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [db.name]);
      const saw503 = await until(() => readiness.find((s) => s.at > from && s.value === 503), `/readyz 503 (${label})`, 30_000, 50).then(
        (s) => s.at - from,
        () => NaN,
      );
      // The outage lasts OUTAGE_MS (the fault's length, not a wait for a result).
      await pause(Math.max(0, from + OUTAGE_MS - Date.now()));
      const to = Date.now();
      await adminQuery(db.adminUrl, `ALTER DATABASE "${db.name}" WITH ALLOW_CONNECTIONS true`);
      const back = await until(() => readiness.find((s) => s.at > to && s.value === 200), `/readyz 200 again (${label})`, 60_000, 50).then(
        (s) => s.at - to,
        () => NaN,
      );
      // Sampled from a second in (the first failures may log once each) to the end of the outage.
      const window = cpu.filter((s) => s.at >= from + 1_000 && s.at <= to && Number.isFinite(s.value));
      const cores = window.length >= 2 ? (window.at(-1)!.value - window[0]!.value) / ((window.at(-1)!.at - window[0]!.at) / 1000) : NaN;
      const logs = app.logTimes.filter((t) => t >= from + 1_000 && t <= to).length / ((to - from - 1_000) / 1000);
      const statuses = load.statusesSince(from, to);
      return { killed: killed?.n ?? 0, saw503, back, cores, logs, statuses };
    };

    const first = await outage('under load');
    card.set('backends terminated', first.killed);
    card.set('readyz 503 after ms', first.saw503);
    card.set('readyz 200 again after ms', first.back);
    card.set('webhook answers in outage', Object.entries(first.statuses).map(([s, n]) => `${s}×${n}`).join(' '));
    card.set('CPU cores in outage (load)', first.cores);
    card.set('log lines/s in outage (load)', first.logs);
    card.expect(Number.isFinite(first.saw503), '/readyz never answered 503 during the first outage');
    card.expect(Number.isFinite(first.back), '/readyz did not come back to 200 after the first outage');
    card.expect(!first.statuses['500'], `${first.statuses['500']} webhooks answered 500 while the database was gone (should be 503)`);
    card.expect(first.cores <= LOAD_CPU_MAX, `${first.cores} cores used during the outage under load`);
    card.expect(first.logs <= LOAD_RATE + IDLE_LOG_MAX, `${first.logs} log lines per second during the outage under load`);
    await until(() => load.acked.size >= 150 && load.samples.at(-1)?.status === 200, 'webhooks acknowledged again', 60_000);

    load.pause();
    const second = await outage('idle');
    card.set('CPU cores in outage (idle)', second.cores);
    card.set('log lines/s in outage (idle)', second.logs);
    card.set('readyz 200 again after ms (2nd)', second.back);
    card.expect(Number.isFinite(second.saw503) && Number.isFinite(second.back), '/readyz did not turn 503 and back during the second outage');
    card.expect(second.cores <= IDLE_CPU_MAX, `${second.cores} cores used by an idle server while the database was gone (a loop spins)`);
    card.expect(second.logs <= IDLE_LOG_MAX, `${second.logs} log lines per second from an idle server while the database was gone`);
    load.resume();
    const before = load.acked.size;
    await until(() => load.acked.size >= before + 60, 'webhooks acknowledged after the second outage', 60_000);
    await load.stop();

    const truthDb = await db.open();
    await until(async () => {
      const b = await backlog(truthDb).catch(() => ({ inbox: NaN, outbox: NaN }));
      return b.inbox === 0 && b.outbox === 0;
    }, 'inbox and outbox empty after the outages', 180_000);
    const acked = [...load.acked.keys()];
    const t = await eventTruth(truthDb, acked);
    card.set('acked', acked.length);
    card.set('missing', t.missing);
    card.set('not done', t.notDone);
    card.set('events with other reply count', t.oddEvents);
    card.expect(t.missing === 0 && t.rows === acked.length, `${t.missing} acknowledged events lost (${t.rows} rows for ${acked.length})`);
    card.expect(t.notDone === 0, `${t.notDone} acknowledged events not done`);
    card.expect(t.oddEvents === 0 && t.unsent === 0, `${t.oddEvents} events with another reply count, ${t.unsent} replies unsent`);
    stopPolling = true;
    await polling;
    const code = await app.stop();
    card.expect(code === 0, `the server did not stop cleanly (exit ${code})`);
  } catch (err) {
    card.expect(false, err instanceof Error ? err.message : String(err));
  } finally {
    stopPolling = true;
    await messenger.close();
    await db.drop().catch(() => {});
  }
  return card.result();
}
