import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeText } from '../../../src/bot/channels/normalize-text.js';
import { startMessengerDouble, type MessengerDouble } from '../../doubles/messenger-double.js';
import { startZaloDouble, type ZaloDouble } from '../../doubles/zalo-double.js';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { messengerEnv, postWebhook, signMessenger, signZalo, zaloEnv, ZALO_OA_ID } from '../../helpers/channels.js';

// Both webhooks (correctly signed) and the simulator get arbitrary JSON and arbitrary unicode: NUL, lone surrogates,
// numbers no double holds, deep nesting, wrong types, oversized ids. Whatever arrives, the answer is never a 5xx, and
// every well-formed item of a batch is stored exactly once, whatever bad items sit next to it.

let zalo: ZaloDouble;
let meta: MessengerDouble;
let app: TestApp;
beforeAll(async () => {
  [zalo, meta] = await Promise.all([startZaloDouble(), startMessengerDouble()]);
  app = await startTestApp({ ...zaloEnv(zalo), ...messengerEnv(meta) });
});
afterAll(async () => {
  await app?.close();
  await Promise.all([zalo?.close(), meta?.close()]);
});

/** JSON text written as is (numbers beyond a double, exponents, deep nesting), which JSON.stringify cannot produce. */
class Raw {
  constructor(readonly text: string) {}
}
type J = null | boolean | number | string | Raw | J[] | { [key: string]: J | undefined };

function toJson(v: J | undefined): string {
  if (v instanceof Raw) return v.text;
  if (Array.isArray(v)) return `[${v.map((x) => (x === undefined ? 'null' : toJson(x))).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const parts = Object.entries(v).filter(([, x]) => x !== undefined);
    return `{${parts.map(([k, x]) => `${JSON.stringify(k)}:${toJson(x)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

// Characters that have broken storage or parsing before, mixed into otherwise arbitrary text.
const nasty = fc.constantFrom('\u0000', '\ud800', '\udbff', '\udc00', '\udfff', '\ufffd', '\u2028', '"', '\\', ':', ',', ']', '}');
const char = fc.oneof({ weight: 1, arbitrary: nasty }, { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) }, { weight: 2, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }) });
const digits = (min: number, max: number) => fc.integer({ min, max }).chain((n) => fc.stringMatching(new RegExp(`^[1-9][0-9]{${n - 1}}$`)));
const longNumberText = digits(16, 30).chain((d) => fc.constantFrom(`STK:${d}, ok`, `[${d}]`, `{"id":${d}}`, `${d}`, `số ${d}: chuyển ngay`));
const text = (maxLength: number) => fc.oneof(fc.string({ unit: char, maxLength }), longNumberText);
/** Nesting depth within the 1 MB limit: shallow, around the stack limit of recursive parsers, and very deep. */
const deep = fc.oneof(fc.integer({ min: 50, max: 3000 }), fc.integer({ min: 3000, max: 60_000 })).map((d) => new Raw('['.repeat(d) + ']'.repeat(d)));
const bigNumber = fc.oneof(
  fc.constantFrom('9e15', '1e400', '-1e400', '12345678901234567890', '9007199254740993', '-9007199254740993123', '0.1e-400', '1E+2'),
  digits(17, 40),
).map((t) => new Raw(t));
const junk: fc.Arbitrary<J> = fc.oneof(fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<J>, text(50), bigNumber, deep);
/** A timestamp as a platform might (mis)send it: now, far out of range, huge, fractional, of the wrong type. */
const timestamp: fc.Arbitrary<J | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.integer({ min: -86_400_000, max: 86_400_000 }).map((d) => Date.now() + d),
  bigNumber,
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  text(20),
  fc.constant(null),
);
/** 2.7 kB is PostgreSQL's B-tree limit; random text does not compress below it. */
const hugeId = fc.string({ unit: 'grapheme-ascii', minLength: 6000, maxLength: 7000 });

// ---------- Messenger ----------

type GoodMessengerItem = { good: true; psid: string; psidAsNumber: boolean; ts: J | undefined; kind: 'text' | 'quick' | 'postback' | 'image' | 'referral'; value: string; junk: J | undefined };
type BadMessengerItem = { good: false; item: (mid: string) => J };
const goodMessengerItem: fc.Arbitrary<GoodMessengerItem> = fc.record({
  good: fc.constant(true as const),
  psid: digits(15, 19),
  psidAsNumber: fc.boolean(),
  ts: timestamp,
  kind: fc.constantFrom('text' as const, 'quick' as const, 'postback' as const, 'image' as const, 'referral' as const),
  value: text(300),
  junk: fc.option(junk, { nil: undefined }),
});
const badMessengerItem: fc.Arbitrary<BadMessengerItem> = fc.oneof(
  junk.map((j) => ({ good: false as const, item: () => j })),
  fc.record({ id: hugeId, t: text(20) }).map(({ id, t }) => ({ good: false as const, item: (mid: string) => ({ sender: { id }, recipient: { id: meta.pageId }, timestamp: Date.now(), message: { mid, text: t } }) })),
  hugeId.map((id) => ({ good: false as const, item: () => ({ sender: { id: '7000000000000001' }, recipient: { id: meta.pageId }, message: { mid: id, text: 'x' } }) })),
  fc.jsonValue({ maxDepth: 2 }).map((t) => ({ good: false as const, item: (mid: string) => ({ sender: { id: '7000000000000001' }, recipient: { id: meta.pageId }, message: { mid, text: typeof t === 'string' ? 1 : (t as J) } }) })),
  fc.constant({ good: false as const, item: (mid: string) => ({ sender: { id: '7000000000000001' }, recipient: { id: 'another-page' }, message: { mid, text: 'x' } }) }),
);
const messengerBatch = fc.array(fc.array(fc.oneof(goodMessengerItem, badMessengerItem), { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 3 });

function messengerItem(g: GoodMessengerItem, mid: string): J {
  const message: Record<string, J | undefined> =
    g.kind === 'text' ? { mid, text: g.value } :
    g.kind === 'quick' ? { mid, text: 'Phụ huynh', quick_reply: { payload: g.value } } :
    g.kind === 'image' ? { mid, attachments: [{ type: 'image', payload: { url: g.value } }] } : {};
  return {
    sender: { id: g.psidAsNumber ? new Raw(g.psid) : g.psid },
    recipient: { id: meta.pageId },
    timestamp: g.ts,
    // A referral carries no message id: its dedupe key is a hash of the whole item, junk included.
    ...(g.kind === 'postback' ? { postback: { mid, title: 'Bắt đầu', payload: `P${g.value}` } } : g.kind === 'referral' ? { referral: { ref: `R${g.value}`, source: 'SHORTLINK' }, junk: g.junk } : { message: { ...message, nlp: g.junk } }),
  };
}

// ---------- Zalo ----------

type GoodZaloEvent = { good: true; user: string; idsAsNumbers: boolean; ts: { json: J; signed: string }; text: string; junk: J | undefined };
/** Zalo signs the timestamp as written in the body; a number is signed as its digits. */
const zaloTimestamp = fc.oneof(
  fc.constant(null).map(() => String(Date.now())).map((s) => ({ json: s as J, signed: s })),
  fc.integer({ min: 0, max: 86_400_000 }).map((d) => String(Date.now() - d)).map((s) => ({ json: new Raw(s) as J, signed: s })),
  digits(14, 30).map((s) => ({ json: new Raw(s) as J, signed: s })),
  digits(14, 30).map((s) => ({ json: s as J, signed: s })),
  text(30).map((s) => ({ json: s as J, signed: s })),
);
const goodZaloEvent: fc.Arbitrary<GoodZaloEvent> = fc.record({
  good: fc.constant(true as const),
  user: digits(15, 19),
  idsAsNumbers: fc.boolean(),
  ts: zaloTimestamp,
  text: text(500),
  junk: fc.option(junk, { nil: undefined }),
});
type BadZaloEvent = { good: false; body: (msgId: string) => J; ts: { json: J; signed: string } };
const badZaloEvent: fc.Arbitrary<BadZaloEvent> = fc.record({
  ts: zaloTimestamp,
  shape: fc.oneof(
    junk.map((j) => (ts: J) => ({ timestamp: ts, junk: j }) as J),
    junk.map((j) => (ts: J) => (Array.isArray(j) || j === null || typeof j !== 'object' || j instanceof Raw ? ({ timestamp: ts, event_name: j }) : ({ ...j, timestamp: ts })) as J),
    hugeId.map((id) => (ts: J, msgId: string) => ({ event_name: 'user_send_text', timestamp: ts, sender: { id }, recipient: { id: ZALO_OA_ID }, message: { msg_id: msgId, text: 'x' } })),
    hugeId.map((id) => (ts: J) => ({ event_name: 'follow', timestamp: ts, oa_id: ZALO_OA_ID, follower: { id } })),
    hugeId.map((id) => (ts: J) => ({ event_name: 'user_send_text', timestamp: ts, sender: { id: '2468123456789012345' }, recipient: { id: ZALO_OA_ID }, message: { msg_id: id, text: 'x' } })),
    fc.jsonValue({ maxDepth: 2 }).map((t) => (ts: J, msgId: string) => ({ event_name: 'user_send_text', timestamp: ts, sender: { id: '2468123456789012345' }, recipient: { id: ZALO_OA_ID }, message: { msg_id: msgId, text: typeof t === 'string' ? 1 : (t as J) } })),
    fc.integer({ min: 0, max: 60_000 }).map((n) => (ts: J) => ({ event_name: 'user_seen_message', timestamp: ts, message: { msg_ids: Array.from({ length: n }, (_, i) => String(i)) } })),
  ),
}).map(({ ts, shape }) => ({ good: false as const, ts, body: (msgId: string) => shape(ts.json, msgId) }));

function zaloEvent(g: GoodZaloEvent, msgId: string): J {
  const id = (s: string) => (g.idsAsNumbers ? new Raw(s) : s);
  return { app_id: zalo.appId, event_name: 'user_send_text', timestamp: g.ts.json, sender: { id: id(g.user) }, recipient: { id: id(ZALO_OA_ID) }, message: { msg_id: msgId, text: g.text }, extra: g.junk };
}

// ---------- Simulator ----------

type GoodSimulatorMessage = { good: true; channel: 'zalo' | 'messenger'; kind: 'text' | 'payload' | 'ref'; value: string };
const goodSimulatorMessage: fc.Arbitrary<GoodSimulatorMessage> = fc.record({
  good: fc.constant(true as const),
  channel: fc.constantFrom('zalo' as const, 'messenger' as const),
  kind: fc.constantFrom('text' as const, 'payload' as const, 'ref' as const),
  value: text(90),
});
const badSimulatorBody: fc.Arbitrary<{ good: false; body: J }> = fc
  .oneof(
    junk,
    fc.record({ user: fc.oneof(text(20), fc.jsonValue({ maxDepth: 1 }) as fc.Arbitrary<J>), channel: fc.oneof(fc.constantFrom('zalo', 'messenger', 'viber'), junk), text: fc.option(junk, { nil: undefined }), extra: fc.option(junk, { nil: undefined }) }),
    fc.constantFrom<J>({ user: '\u0000', channel: 'zalo', text: 'x' }, { user: 'a', channel: 'zalo', text: 'x'.repeat(2001) }, { user: '\ud800', channel: 'messenger', payload: '\u0000' }),
  )
  .map((body) => ({ good: false as const, body }));

// ---------- the properties ----------

let run = 0;
const serverErrors: string[] = [];
function noteStatus(where: string, status: number): void {
  if (status >= 500) serverErrors.push(`${where}: ${status}`);
}

/** An item we expect stored: by its message id, or (no message id) as the only row of its sender with a hashed key. */
type Expected = { dedupeKey: string; laneKey: string } | { keyPrefix: string; laneKey: string };

async function storedOnce(channel: string, expected: Expected[]): Promise<boolean> {
  if (expected.length === 0) return true;
  const rows = await app.db.prisma.inboundEvent.findMany({ where: { channel, laneKey: { in: expected.map((e) => e.laneKey) } }, select: { dedupeKey: true, laneKey: true } });
  return expected.every((e) => rows.filter((r) => r.laneKey === e.laneKey && ('dedupeKey' in e ? r.dedupeKey === e.dedupeKey : r.dedupeKey.startsWith(e.keyPrefix))).length === 1);
}

describe('bad input at the edge', () => {
  it('a signed Messenger batch never gets a 5xx, and each of its well-formed items is stored exactly once', async () => {
    await fc.assert(
      fc.asyncProperty(messengerBatch, async (entries) => {
        const r = ++run;
        const expected: Expected[] = [];
        const entry = entries.map((items, e) => ({
          id: meta.pageId,
          time: Date.now(),
          messaging: items.map((it, i) => {
            const mid = `m.${r}.${e}.${i}`;
            if (!it.good) return it.item(mid);
            // Referrals are found by their sender (their key is a hash), so each gets a sender of its own.
            const g = it.kind === 'referral' ? { ...it, psid: `8${String(r).padStart(8, '0')}${e}${String(i).padStart(2, '0')}` } : it;
            const laneKey = `messenger:${meta.pageId}:${g.psid}`;
            expected.push(g.kind === 'referral' ? { keyPrefix: `${g.psid}:`, laneKey } : { dedupeKey: mid, laneKey });
            return messengerItem(g, mid);
          }),
        }));
        const body = toJson({ object: 'page', entry });
        if (Buffer.byteLength(body) > 1_000_000) return true;
        const res = await postWebhook(`${app.url}/webhooks/messenger`, body, { 'x-hub-signature-256': signMessenger(body) });
        noteStatus('messenger', res.status);
        expect(res.status).toBeLessThan(500);
        expect(res.status).toBe(200);
        expect(await storedOnce('messenger', expected)).toBe(true);
      }),
      { numRuns: 25 },
    );
  });

  it('a signed Zalo event never gets a 5xx, and a well-formed one is stored exactly once', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(goodZaloEvent, badZaloEvent), async (ev) => {
        const msgId = `z.${++run}`;
        const body = toJson(ev.good ? zaloEvent(ev, msgId) : ev.body(msgId));
        if (Buffer.byteLength(body) > 1_000_000) return true;
        const res = await postWebhook(`${app.url}/webhooks/zalo`, body, { 'x-zevent-signature': signZalo(zalo.appId, body, ev.ts.signed) });
        noteStatus('zalo', res.status);
        expect(res.status).toBeLessThan(500);
        if (ev.good) {
          expect(res.status).toBe(200);
          expect(await storedOnce('zalo', [{ dedupeKey: msgId, laneKey: `zalo:${ZALO_OA_ID}:${ev.user}` }])).toBe(true);
        }
      }),
      { numRuns: 50 },
    );
  });

  it('the simulator never answers a 5xx, and stores each well-formed message exactly once', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(goodSimulatorMessage, badSimulatorBody), async (m) => {
        const r = ++run;
        const user = `sim-fuzz-${r}`;
        const messageId = `s.${r}`;
        const body = m.good ? toJson({ user, channel: m.channel, messageId, [m.kind]: m.kind === 'text' ? m.value : `P${m.value}` }) : toJson(m.body);
        if (Buffer.byteLength(body) > 1_000_000) return true;
        const res = await postWebhook(`${app.url}/api/simulator/messages`, body, {});
        noteStatus('simulator', res.status);
        expect(res.status).toBeLessThan(500);
        if (m.good) {
          expect([200, 202]).toContain(res.status);
          expect(await storedOnce('simulator', [{ dedupeKey: `${m.channel}:${user}:${messageId}`, laneKey: `simulator:${m.channel}:${user}` }])).toBe(true);
        }
      }),
      { numRuns: 15 },
    );
  });

  it('the simulator poll never answers a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(text(40), fc.constantFrom('a\u0000b', '\ud800', 'sim-1')),
        fc.oneof({ weight: 3, arbitrary: fc.constantFrom('zalo', 'messenger') }, { weight: 1, arbitrary: text(10) }),
        fc.oneof({ weight: 3, arbitrary: digits(1, 19) }, { weight: 1, arbitrary: fc.constantFrom('9223372036854775807', '9223372036854775808', '9999999999999999999') }, { weight: 1, arbitrary: text(20) }),
        async (user, channel, after) => {
        const res = await fetch(`${app.url}/api/simulator/messages?${new URLSearchParams({ user, channel, after })}`);
        noteStatus('simulator poll', res.status);
        expect(res.status).toBeLessThan(500);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('saw no 5xx at all', () => {
    expect(serverErrors).toEqual([]);
  });
});

describe('the text normaliser', () => {
  it('removes NUL, replaces lone surrogates, and leaves every well-formed string without NUL unchanged', () => {
    fc.assert(
      fc.property(fc.string({ unit: char, maxLength: 50 }), (s) => {
        const n = normalizeText(s);
        expect(n.includes('\u0000')).toBe(false);
        expect(/\p{Cs}/u.test(n)).toBe(false);
        if (!s.includes('\u0000') && !/\p{Cs}/u.test(s)) expect(n).toBe(s);
      }),
    );
  });
});
