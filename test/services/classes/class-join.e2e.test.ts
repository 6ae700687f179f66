import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classLinks, type ChannelAccounts } from '../../../src/services/classes/class-links.js';
import { createClass } from '../../../src/services/classes/create-class.js';
import type { StaffScope } from '../../../src/services/staff/staff-scope.js';
import { createRepos } from '../../../src/store/repos.js';
import { startMessengerDouble, type MessengerDouble } from '../../doubles/messenger-double.js';
import { startZaloDouble, type ZaloDouble } from '../../doubles/zalo-double.js';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { eventually, messengerEnv, postWebhook, signMessenger, signZalo, zaloEnv, ZALO_OA_ID } from '../../helpers/channels.js';

let meta: MessengerDouble;
let zalo: ZaloDouble;
let app: TestApp;
let accounts: ChannelAccounts;
let admin: StaffScope;
beforeAll(async () => {
  meta = await startMessengerDouble();
  zalo = await startZaloDouble();
  app = await startTestApp({ ...messengerEnv(meta), ...zaloEnv(zalo) });
  accounts = { messengerPage: app.config.channels.messenger!.pageId, zaloOaId: app.config.channels.zalo!.oaId };
  const ntt = await app.db.prisma.school.findUniqueOrThrow({ where: { code: 'NTT' } });
  admin = { staffId: 'staff-ntt', role: 'school_admin', officeId: null, schoolIds: [ntt.id], classIds: 'all' };
}, 120_000);
afterAll(async () => {
  await app?.close();
  await meta?.close();
  await zalo?.close();
});

async function newClass(name: string) {
  const repos = createRepos(app.db.prisma);
  const created = await createClass(repos, admin, admin.schoolIds[0] as string, { name, grade: 6 }, new Date());
  if (!created.ok) throw new Error(created.reason);
  const links = await classLinks(repos, admin, created.class.id, accounts);
  if (!links.ok) throw new Error(links.reason);
  return { cls: created.class, links: links.links };
}

const contactClass = (channel: string, userId: string) =>
  eventually(async () => (await app.db.prisma.contact.findFirst({ where: { channel, userId }, include: { class: true } }))?.class ?? undefined, `${userId} linked to a class`);

function messengerItem(psid: string, item: Record<string, unknown>): string {
  return JSON.stringify({ object: 'page', entry: [{ id: meta.pageId, time: Date.now(), messaging: [{ sender: { id: psid }, recipient: { id: meta.pageId }, timestamp: Date.now(), ...item }] }] });
}
const toMessenger = (body: string) => postWebhook(`${app.url}/webhooks/messenger`, body, { 'x-hub-signature-256': signMessenger(body) });

function zaloEvent(fields: Record<string, unknown>): string {
  return JSON.stringify({ app_id: zalo.appId, oa_id: ZALO_OA_ID, timestamp: String(Date.now()), ...fields });
}
const toZalo = (body: string) => postWebhook(`${app.url}/webhooks/zalo`, body, { 'x-zevent-signature': signZalo(zalo.appId, body, JSON.parse(body).timestamp) });

describe('joining a class created in the console', () => {
  it('links a new student who opens the class’s m.me link (Get Started with its ref) and taps “Học sinh”', async () => {
    const { cls, links } = await newClass('6A7');
    const ref = new URL(links.messenger!.url).searchParams.get('ref');
    expect(ref).toBe(cls.code);
    const psid = '7300000000000001';
    expect((await toMessenger(messengerItem(psid, { postback: { title: 'Bắt đầu', payload: 'GET_STARTED', referral: { ref, source: 'SHORTLINK', type: 'OPEN_THREAD' } } }))).status).toBe(200);
    await eventually(() => meta.sent().some((m) => m.recipientId === psid && JSON.stringify(m).includes('Học sinh')), 'the role question');
    await toMessenger(messengerItem(psid, { message: { mid: 'join-1', text: 'Học sinh', quick_reply: { payload: 'ROLE:student' } } }));
    expect((await contactClass('messenger', psid)).code).toBe(cls.code);
    await eventually(() => meta.sent().some((m) => m.recipientId === psid && JSON.stringify(m).includes(`lớp ${cls.name}`)), 'the confirmation');
  });

  it('links someone already talking to the Page who opens the link (a referral event)', async () => {
    const { cls, links } = await newClass('6A8');
    const psid = '7300000000000002';
    await toMessenger(messengerItem(psid, { message: { mid: 'hi-2', text: 'xin chào' } }));
    await eventually(() => meta.sent().some((m) => m.recipientId === psid), 'a greeting');
    await toMessenger(messengerItem(psid, { referral: { ref: links.messenger!.ref, source: 'SHORTLINK', type: 'OPEN_THREAD' } }));
    await eventually(async () => (await app.db.prisma.inboundEvent.count({ where: { laneKey: { endsWith: psid }, status: 'done' } })) === 2, 'the referral processed');
    await toMessenger(messengerItem(psid, { message: { mid: 'role-2', text: 'Phụ huynh', quick_reply: { payload: 'ROLE:parent' } } }));
    expect((await contactClass('messenger', psid)).code).toBe(cls.code);
  });

  it('links a Zalo parent who follows the OA and sends the class code printed next to its QR code', async () => {
    const { cls, links } = await newClass('6A9');
    expect(links.zalo!.instructions).toContain(`nhắn mã lớp ${cls.code}`);
    const uid = '2468123456789019999';
    await toZalo(zaloEvent({ event_name: 'follow', source: 'qr_code', follower: { id: uid } }));
    await eventually(() => zalo.sent().some((m) => m.to === uid), 'the welcome');
    await toZalo(zaloEvent({ event_name: 'user_send_text', sender: { id: uid }, recipient: { id: ZALO_OA_ID }, message: { msg_id: 'zl-code-1', text: cls.code.toLowerCase() } }));
    await eventually(() => zalo.sent().some((m) => m.to === uid && JSON.stringify(m).includes(`Mã lớp ${cls.name} – Trường THCS Nguyễn Thị Thập`)), 'the class recognised');
    await toZalo(zaloEvent({ event_name: 'user_send_text', sender: { id: uid }, recipient: { id: ZALO_OA_ID }, message: { msg_id: 'zl-role-1', text: '#ROLE:parent' } }));
    expect((await contactClass('zalo', uid)).code).toBe(cls.code);
  });
});
