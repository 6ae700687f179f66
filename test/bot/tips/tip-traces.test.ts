import { randomUUID } from 'node:crypto';
import { hash } from '@node-rs/argon2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMessengerDouble, type MessengerDouble } from '../../doubles/messenger-double.js';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { eventually, messengerEnv, postWebhook, signMessenger } from '../../helpers/channels.js';

// Issue 5: after a tip, a follow-up and a handler's reply, no table tells the tipster apart from a contact who wrote
// in the same hour and never tipped. Every row of every table is scanned generically: the rows that mention the
// tipster must look exactly like those of a contact who did only the same ordinary turns, and none of them may carry
// a time from the moment the tip flow began.

let meta: MessengerDouble;
let app: TestApp;
beforeAll(async () => {
  meta = await startMessengerDouble();
  app = await startTestApp(messengerEnv(meta));
  await app.db.prisma.staffUser.create({ data: { email: 'admin@traces.test', name: 'Admin', role: 'admin', passwordHash: await hash('traces-admin-pw') } });
});
afterAll(async () => {
  await app?.close();
  await meta?.close();
});

const settled = async () =>
  (await app.db.prisma.inboundEvent.count({ where: { status: { in: ['pending', 'processing'] } } })) === 0 &&
  (await app.db.prisma.delivery.count({ where: { status: { in: ['pending', 'sending'] } } })) === 0;

/** One Messenger message from `psid`, then waits until it is processed and its replies are sent. */
async function say(psid: string, message: { text: string; payload?: string }): Promise<void> {
  const body = JSON.stringify({
    object: 'page',
    entry: [{
      id: meta.pageId,
      time: Date.now(),
      // Real mids are opaque: they do not contain the sender's id.
      messaging: [{ sender: { id: psid }, recipient: { id: meta.pageId }, timestamp: Date.now(), message: { mid: `m_${randomUUID()}`, text: message.text, ...(message.payload ? { quick_reply: { payload: message.payload } } : {}) } }],
    }],
  });
  const res = await postWebhook(`${app.url}/webhooks/messenger`, body, { 'x-hub-signature-256': signMessenger(body) });
  expect(res.status).toBe(200);
  await eventually(settled, 'the turn processed and its replies sent');
}
const tap = (psid: string, payload: string) => say(psid, { text: payload, payload });

async function ordinaryTurns(psid: string): Promise<void> {
  await say(psid, { text: 'xin chào' });
  await tap(psid, 'ROLE:student');
  await say(psid, { text: 'NTT-7A1' });
}

type Row = { table: string; row: Record<string, unknown>; text: string };
async function everyRow(): Promise<Row[]> {
  const tables = await app.db.prisma.$queryRawUnsafe<{ table_name: string }[]>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
  );
  const out: Row[] = [];
  for (const { table_name } of tables) {
    const rows = await app.db.prisma.$queryRawUnsafe<{ j: string }[]>(`SELECT row_to_json(t)::text AS j FROM "${table_name.replace(/"/g, '""')}" t`);
    for (const r of rows) out.push({ table: table_name, row: JSON.parse(r.j) as Record<string, unknown>, text: r.j });
  }
  return out;
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?$/;
const asDate = (v: string) => new Date(`${v}Z`);
const isHour = (v: string) => asDate(v).getTime() % 3600_000 === 0;

/** A row with the contact's identifiers replaced, ids and opaque platform keys blanked, times reduced to "hour" or "fine". */
function shapeOf(r: Row, ids: string[]): string {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r.row)) {
    if (k === 'id' || k === 'inboundEventId') out[k] = v === null ? null : '<id>';
    else if (k === 'dedupeKey' || k === 'platformMessageId') out[k] = v === null ? null : '<opaque>';
    else if (typeof v === 'string' && TIMESTAMP.test(v)) out[k] = isHour(v) ? '<hour>' : '<fine>';
    else {
      let s = JSON.stringify(v);
      for (const id of ids) s = s.split(id).join('<contact>');
      out[k] = JSON.parse(s) as unknown;
    }
  }
  return `${r.table} ${JSON.stringify(out)}`;
}

describe('a tipster among other contacts of the same hour', () => {
  it('cannot be told apart, in any table, from a contact who only did the same ordinary turns', async () => {
    const tipster = '7100000000000001';
    const bystander = '7100000000000002';
    const busy = '7100000000000003';
    await ordinaryTurns(tipster);
    const tipFlowBegan = new Date();
    // The tip, with another contact writing in between.
    await tap(tipster, 'FLOW:tip');
    await say(busy, { text: 'xin chào' });
    await tap(tipster, 'CAT:theft');
    await say(tipster, { text: 'ZEBRA-8801 có người lấy trộm xe đạp ở nhà xe sau giờ học' });
    await tap(busy, 'ROLE:parent');
    for (const p of ['DONE', 'SKIP', 'SKIP', 'NO', 'YES', 'SEND']) await tap(tipster, p);
    const sent = JSON.stringify(meta.sent());
    const code = /TB-[A-Z0-9]{4}-[A-Z0-9]{4}/.exec(sent)![0];
    const pin = /Mã PIN: (\d{4} \d{3} \d{3})/.exec(sent)![1]!;
    // A follow-up with more information, then back to the menu.
    await tap(tipster, 'FLOW:tip_followup');
    await say(tipster, { text: code });
    await say(busy, { text: 'NTT-6A1' });
    await say(tipster, { text: pin });
    await tap(tipster, 'ADD');
    await say(tipster, { text: 'Bổ sung ZEBRA-8802: xe màu xanh' });
    await tap(tipster, 'CMD:MENU');
    // A handler answers; the notice goes back to the tipster's chat.
    const tip = await app.db.prisma.tip.findUniqueOrThrow({ where: { publicCode: code } });
    const sentBefore = meta.sent().length;
    const reply = await fetch(`${app.url}/api/tips/${tip.id}/reply`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from('admin@traces.test:traces-admin-pw').toString('base64')}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'Cảm ơn bạn, nhà trường đã kiểm tra nhà xe.' }),
    });
    expect(await reply.json()).toEqual({ ok: true, notified: true });
    await eventually(async () => meta.sent().length > sentBefore && (await settled()), 'the reply notice sent');
    expect(JSON.stringify(meta.sent().slice(sentBefore))).toContain('Có phản hồi mới');
    // Someone who never tipped, in the same hour, doing only the tipster's ordinary turns.
    await ordinaryTurns(bystander);

    const rows = await everyRow();
    const contactId = async (psid: string) => (await app.db.prisma.contact.findFirstOrThrow({ where: { userId: psid } })).id;
    const idsOf = async (psid: string) => [psid, await contactId(psid)];
    const mentions = (ids: string[]) => rows.filter((r) => ids.some((id) => r.text.includes(id)));
    const tipsterIds = await idsOf(tipster);
    const bystanderIds = await idsOf(bystander);
    const tipsterRows = mentions(tipsterIds);
    const bystanderRows = mentions(bystanderIds);

    // 1. The same rows, table by table and column by column, as the bystander's.
    expect(tipsterRows.length).toBeGreaterThan(5);
    expect(tipsterRows.map((r) => shapeOf(r, tipsterIds)).sort()).toEqual(bystanderRows.map((r) => shapeOf(r, bystanderIds)).sort());
    // 2. No time in them from the moment the tip flow began; nor an expiry set then (a conversation expires
    //    CONVERSATION_TTL_HOURS after it was written). The bystander's, written later, do carry such times.
    const scanned = new Date();
    const ttl = app.config.conversationTtlHours * 3600_000;
    const fromTipFlow = (t: Date) => [0, ttl].some((shift) => t.getTime() - shift >= tipFlowBegan.getTime() && t.getTime() - shift <= scanned.getTime());
    const fineTimes = (rs: Row[]) => rs.flatMap((r) => Object.values(r.row).filter((v): v is string => typeof v === 'string' && TIMESTAMP.test(v) && !isHour(v)).map(asDate));
    const late = tipsterRows.filter((r) => fineTimes([r]).some(fromTipFlow));
    expect(late.map((r) => r.text), 'rows of the tipster with a time from the tip flow').toEqual([]);
    expect(fineTimes(bystanderRows).some(fromTipFlow)).toBe(true);
    // 3. What the tip flow left behind names nobody and keeps only the hour.
    const anonymous = rows.filter((r) => ['Tip', 'TipMessage', 'TipAttachment'].includes(r.table) || (['Delivery', 'InboundEvent'].includes(r.table) && (r.row.laneKey === '' )));
    expect(anonymous.some((r) => r.table === 'Delivery')).toBe(true);
    expect(anonymous.some((r) => r.table === 'InboundEvent')).toBe(true);
    expect(anonymous.some((r) => r.table === 'TipMessage' && r.row.author === 'handler')).toBe(true);
    for (const r of anonymous) {
      for (const [k, v] of Object.entries(r.row)) {
        if (typeof v === 'string' && TIMESTAMP.test(v)) expect(isHour(v), `${r.table}.${k} is not truncated to the hour: ${r.text.slice(0, 200)}`).toBe(true);
      }
      if (r.table === 'Delivery') expect(r.row).toMatchObject({ sensitive: false, contactId: null, recipient: '', sentAt: null });
    }
    // 4. No row at all flags a contact as having been in a tip flow.
    expect(rows.filter((r) => r.table === 'Delivery' && r.row.sensitive === true)).toEqual([]);
    expect(rows.filter((r) => r.table === 'Conversation' && typeof r.row.flowId === 'string' && r.row.flowId.startsWith('tip'))).toEqual([]);
  });
});
