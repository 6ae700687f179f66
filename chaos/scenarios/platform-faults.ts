// Scenario 4: platforms that misbehave. Phase A: every Messenger call hangs (SEND_TIMEOUT_MS 1 s) while a broadcast
// goes to Messenger and Zalo recipients: Zalo must be served meanwhile, Messenger once the platform heals. Phase B:
// single recipients' calls time out, answer 5xx, 429 with and without Retry-After, garbage or a dropped connection,
// a few times or for good, among healthy recipients on both channels. Healthy ones go out on their first attempt while
// the faulty ones still wait; each faulty one is retried after a growing wait (at least the backoff's floor, or what
// Retry-After asked) and ends sent, failed, or pending with its outcome and reason recorded.
import type { Fault } from '../../test/doubles/http-double.js';
import { startAppProcess, type AppProcess } from '../lib/app-process.js';
import { addContacts, sendNow } from '../lib/broadcast.js';
import { freshSchema } from '../lib/databases.js';
import { messengerEnv, startMessengerDouble, startZaloDouble, zaloEnv } from '../lib/doubles.js';
import { Scorecard, type ScenarioResult } from '../lib/result.js';
import { until } from '../lib/wait.js';
import type { Database } from '../../src/store/database.js';

const PAGE = '100000000000404';
const OA = '579745863508352884';
const HEALTHY = 100;
const TIMEOUT_MS = 1_000;

interface FaultCase {
  id: string;
  channel: 'messenger' | 'zalo';
  fault: Fault;
  /** How many calls fail (Infinity: every one). */
  times: number;
  /** The wait Retry-After asks for, if any. */
  retryAfterMs?: number;
}

const CASES: FaultCase[] = [
  { id: '430000000001', channel: 'messenger', fault: { kind: 'status', status: 503 }, times: 4 },
  { id: '430000000002', channel: 'messenger', fault: { kind: 'status', status: 429, retryAfter: '3' }, times: 2, retryAfterMs: 3_000 },
  { id: '430000000003', channel: 'messenger', fault: { kind: 'status', status: 429 }, times: 2 },
  { id: '430000000004', channel: 'messenger', fault: { kind: 'garbage', status: 502 }, times: 2 },
  { id: '430000000005', channel: 'messenger', fault: { kind: 'garbage', status: 200 }, times: 1 },
  { id: '430000000006', channel: 'messenger', fault: { kind: 'close' }, times: 3 },
  { id: '430000000007', channel: 'messenger', fault: { kind: 'hang' }, times: 2 },
  { id: '430000000008', channel: 'messenger', fault: { kind: 'garbage', status: 400 }, times: Infinity },
  { id: '430000000009', channel: 'messenger', fault: { kind: 'hang' }, times: Infinity },
  { id: '450000000001', channel: 'zalo', fault: { kind: 'status', status: 502 }, times: 4 },
  { id: '450000000002', channel: 'zalo', fault: { kind: 'status', status: 429, retryAfter: '3' }, times: 2, retryAfterMs: 3_000 },
  { id: '450000000003', channel: 'zalo', fault: { kind: 'status', status: 429 }, times: 2 },
  { id: '450000000004', channel: 'zalo', fault: { kind: 'garbage', status: 200 }, times: 2 },
  { id: '450000000005', channel: 'zalo', fault: { kind: 'close' }, times: 2 },
  { id: '450000000006', channel: 'zalo', fault: { kind: 'hang' }, times: 2 },
  { id: '450000000007', channel: 'zalo', fault: { kind: 'status', status: 503 }, times: Infinity },
];

const label = (c: FaultCase) => `${c.channel === 'messenger' ? 'M' : 'Z'}:${c.fault.kind}${'status' in c.fault ? c.fault.status : ''}${'retryAfter' in c.fault && c.fault.retryAfter ? `+RA${c.fault.retryAfter}` : ''}${c.times === Infinity ? '∞' : `×${c.times}`}`;

interface Row {
  recipient: string;
  status: string;
  outcome: string | null;
  reason: string | null;
  platformCode: string | null;
  attempts: number;
}

async function rowsOf(db: Database, broadcastId: string): Promise<Map<string, Row>> {
  const rows = await db.prisma.delivery.findMany({ where: { broadcastId }, select: { recipient: true, status: true, outcome: true, reason: true, platformCode: true, attempts: true } });
  return new Map(rows.map((r) => [r.recipient, r]));
}

export async function platformFaults(): Promise<ScenarioResult> {
  const card = new Scorecard('4-pg', 'platform timeouts, 5xx, 429 ± Retry-After, garbage, dropped connections', 'postgres');
  const db = await freshSchema();
  const messenger = await startMessengerDouble({ pageId: PAGE });
  const zalo = await startZaloDouble();
  const env = { ...db.env, ...messengerEnv(messenger), ...zaloEnv(zalo), SEND_TIMEOUT_MS: String(TIMEOUT_MS), MESSENGER_RATE_PER_SECOND: '300', ZALO_RATE_PER_MINUTE: '18000' };
  let app: AppProcess | undefined;
  const requestsTo = (c: { channel: 'messenger' | 'zalo'; id: string }) =>
    (c.channel === 'messenger' ? messenger.requests.filter((r) => (r.body as { recipient?: { id?: string } })?.recipient?.id === c.id) : zalo.requests.filter((r) => (r.body as { recipient?: { user_id?: string } })?.recipient?.user_id === c.id)).map((r) => r.at);
  const accepted = (channel: 'messenger' | 'zalo', prefix: string) => (channel === 'messenger' ? messenger.sent().map((s) => s.recipientId) : zalo.sent().map((s) => s.to)).filter((r) => r.startsWith(prefix));
  try {
    app = await startAppProcess('4-pg', env);
    const truth = await db.open();

    // Phase A: Messenger hangs for everyone; Zalo must not wait for it.
    const mA = Array.from({ length: HEALTHY }, (_, i) => `41${String(i).padStart(10, '0')}`);
    const zA = Array.from({ length: HEALTHY }, (_, i) => `42${String(i).padStart(10, '0')}`);
    const classA = await addContacts(truth, 'NTT-7A1', 'parent', [
      { channel: 'messenger', accountId: PAGE, userIds: mA },
      { channel: 'zalo', accountId: OA, userIds: zA },
    ]);
    messenger.faults.all({ kind: 'hang' });
    const a = await sendNow(truth, classA, 'parent', 'Nhắc phụ huynh lớp 7A1: họp về an toàn giao thông lúc 7 giờ 30 thứ Bảy.');
    const aAt = Date.now();
    await until(() => new Set(accepted('zalo', '42')).size === HEALTHY, 'every Zalo recipient served while Messenger hangs', 120_000, 100);
    card.set('A: Zalo served while Messenger hangs, s', (Date.now() - aAt) / 1000);
    card.set('A: Messenger calls hanging meanwhile', messenger.requests.filter((r) => (r.body as { recipient?: { id?: string } })?.recipient?.id?.startsWith('41')).length);
    card.expect(accepted('messenger', '41').length === 0, 'Messenger accepted a send while it was programmed to hang');
    // Each hung send ends in a recorded transient outcome (the 1 s timeout), then waits for its retry.
    await until(async () => [...(await rowsOf(truth, a)).values()].filter((r) => r.recipient.startsWith('41') && r.attempts >= 1 && r.outcome === 'transient').length === HEALTHY, 'every hung Messenger send recorded as transient', 60_000);
    const hung = [...(await rowsOf(truth, a)).values()].find((r) => r.recipient.startsWith('41'));
    card.set('A: hung send recorded as', `${hung?.status}/${hung?.outcome} "${hung?.reason}"`);
    messenger.faults.all(null);
    const healedAt = Date.now();
    await until(() => new Set(accepted('messenger', '41')).size === HEALTHY, 'every Messenger recipient served once it heals', 120_000, 100);
    card.set('A: Messenger served after healing, s', (Date.now() - healedAt) / 1000);
    card.expect(accepted('messenger', '41').length === HEALTHY && accepted('zalo', '42').length === HEALTHY, 'phase A: a recipient was sent twice');

    // Phase B: single recipients misbehave among healthy ones.
    const mB = Array.from({ length: HEALTHY }, (_, i) => `44${String(i).padStart(10, '0')}`);
    const zB = Array.from({ length: HEALTHY }, (_, i) => `46${String(i).padStart(10, '0')}`);
    const classB = await addContacts(truth, 'NTT-8A1', 'parent', [
      { channel: 'messenger', accountId: PAGE, userIds: [...mB, ...CASES.filter((c) => c.channel === 'messenger').map((c) => c.id)] },
      { channel: 'zalo', accountId: OA, userIds: [...zB, ...CASES.filter((c) => c.channel === 'zalo').map((c) => c.id)] },
    ]);
    for (const c of CASES) (c.channel === 'messenger' ? messenger : zalo).faults.forRecipient(c.id, c.fault, c.times);
    const b = await sendNow(truth, classB, 'parent', 'Nhắc phụ huynh lớp 8A1: học sinh đội mũ bảo hiểm khi đi xe máy.');
    const bAt = Date.now();
    await until(() => new Set(accepted('messenger', '44')).size === HEALTHY && new Set(accepted('zalo', '46')).size === HEALTHY, 'every healthy recipient served', 120_000, 100);
    const healthyDone = Date.now();
    card.set('B: healthy served, s', (healthyDone - bAt) / 1000);
    const retrying = CASES.filter((c) => c.times !== Infinity && c.times >= 2 && !(c.channel === 'messenger' ? accepted('messenger', c.id) : accepted('zalo', c.id)).length);
    card.set('B: faulty still retrying then', retrying.length);
    card.expect(retrying.length > 0, 'every faulty recipient was done before the healthy ones: they waited for the faults');
    const firstTry = [...mB.map((id) => ({ channel: 'messenger' as const, id })), ...zB.map((id) => ({ channel: 'zalo' as const, id }))].filter((h) => requestsTo(h).length !== 1);
    card.expect(firstTry.length === 0, `${firstTry.length} healthy recipients needed more than one call`);
    card.expect(accepted('messenger', '44').length === HEALTHY && accepted('zalo', '46').length === HEALTHY, 'phase B: a healthy recipient was sent twice');

    // Every faulty recipient: finite faults end sent after times+1 calls; permanent ones fail (400) or keep a recorded
    // outcome while they wait, called again with growing gaps.
    const finite = CASES.filter((c) => c.times !== Infinity);
    const dead = CASES.filter((c) => c.times === Infinity);
    await until(async () => {
      const rows = await rowsOf(truth, b);
      return finite.every((c) => rows.get(c.id)?.status === 'sent') && dead.every((c) => requestsTo(c).length >= 3 || rows.get(c.id)?.status === 'failed');
    }, 'every finite fault resolved and permanent ones retried', 180_000, 250);
    const rows = await rowsOf(truth, b);
    const outcomes: string[] = [];
    let minGapRatio = Infinity;
    for (const c of CASES) {
      const calls = requestsTo(c);
      const row = rows.get(c.id);
      const gaps = calls.slice(1).map((t, i) => t - calls[i]!);
      // The floor of attempt n's wait: half of 2 s·2^(n-1) (dispatcher.ts backoffMs), or Retry-After when given.
      const floors = gaps.map((_, i) => c.retryAfterMs ?? 1000 * 2 ** i);
      const ratio = Math.min(...gaps.map((g, i) => g / floors[i]!));
      if (gaps.length) minGapRatio = Math.min(minGapRatio, ratio);
      outcomes.push(`${label(c)}→${row?.status}/${row?.outcome ?? '-'}${row?.platformCode ? `(${row.platformCode})` : ''} calls ${calls.length}, gaps ${gaps.map((g) => (g / 1000).toFixed(1)).join('/')} s`);
      const acceptedN = (c.channel === 'messenger' ? accepted('messenger', c.id) : accepted('zalo', c.id)).length;
      if (c.times !== Infinity) {
        card.expect(row?.status === 'sent', `${label(c)}: ends ${row?.status}, expected sent`);
        // A garbage 200 is taken as sent by the Messenger client (Graph answers 200 only on success), so it is called
        // once and the double accepted nothing; Zalo answers errors with 200 too, so its client retries garbage.
        const takenAsSent = c.fault.kind === 'garbage' && c.fault.status === 200 && c.channel === 'messenger';
        const expectedCalls = takenAsSent ? 1 : c.times + 1;
        card.expect(calls.length === expectedCalls, `${label(c)}: ${calls.length} calls, expected ${expectedCalls}`);
        card.expect(acceptedN === (takenAsSent ? 0 : 1), `${label(c)}: ${acceptedN} accepted sends`);
      } else {
        // Between attempts the row waits `pending`; during one it is `sending`, still showing the last attempt's outcome.
        card.expect(row?.status === 'failed' || ((row?.status === 'pending' || row?.status === 'sending') && row.outcome !== null && row.reason !== null), `${label(c)}: ${row?.status} without a recorded outcome`);
      }
      card.expect(gaps.every((g, i) => g >= 0.95 * floors[i]!), `${label(c)}: retried after ${gaps.map((g) => g / 1000).join('/')} s, sooner than the backoff floor ${floors.map((f) => f / 1000).join('/')} s`);
    }
    card.set('B: smallest retry gap ÷ its floor', minGapRatio);
    const ends = new Map<string, number>();
    for (const c of CASES) {
      const row = rows.get(c.id);
      const end = `${row?.status}${row?.status === 'sent' ? '' : `/${row?.outcome}`}`;
      ends.set(end, (ends.get(end) ?? 0) + 1);
    }
    card.set('B: faulty recipients end', [...ends].map(([e, n]) => `${n} ${e}`).join(', '));
    card.detail('B: each fault', outcomes);
    const code = await app.stop();
    app = undefined;
    card.expect(code === 0, `the server did not stop cleanly (exit ${code})`);
  } catch (err) {
    card.expect(false, err instanceof Error ? err.message : String(err));
  } finally {
    await app?.kill9();
    await messenger.close();
    await zalo.close();
    await db.drop().catch(() => {});
  }
  return card.result();
}
