import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OutMessage } from '../../../src/content/messages.schema.js';
import { createRepos } from '../../../src/store/repos.js';
import { startZaloDouble, type ZaloDouble } from '../../doubles/zalo-double.js';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { eventually, ZALO_OA_ID, zaloEnv } from '../../helpers/channels.js';

let zalo: ZaloDouble;
let app: TestApp;
beforeAll(async () => {
  zalo = await startZaloDouble();
  app = await startTestApp(zaloEnv(zalo));
});
afterAll(async () => {
  await app?.close();
  await zalo?.close();
});
beforeEach(() => {
  zalo.reset();
});

/** Queues one campaign message for a group as broadcast expansion writes it, and waits for its recorded outcome. */
async function sendToGroup(groupId: string, message: OutMessage) {
  const key = `test:${randomUUID()}`;
  await createRepos(app.db.prisma).outbox.enqueue([
    { contactId: null, channel: 'zalo', accountId: ZALO_OA_ID, recipient: `group:${groupId}`, laneKey: `zalo:${ZALO_OA_ID}:group:${groupId}`, message, kind: 'bulk', idempotencyKey: key },
  ]);
  app.signals.emit('outbox');
  return eventually(async () => {
    const d = await app.db.prisma.delivery.findUnique({ where: { idempotencyKey: key } });
    return d && ['sent', 'failed', 'skipped'].includes(d.status) ? d : undefined;
  }, 'the group delivery to be done');
}

async function storeGroup(id: string, health = 'ok') {
  await app.db.prisma.zaloGroup.upsert({ where: { id }, create: { id, accountId: ZALO_OA_ID, name: `Nhóm ${id}`, health }, update: { health, healthCode: null } });
}

const groupRow = (id: string) => app.db.prisma.zaloGroup.findUniqueOrThrow({ where: { id } });

describe('sending into Zalo class groups', () => {
  it('sends text to v3.0/oa/group/message with mentions escaped, so relayed text cannot @everyone', async () => {
    zalo.addGroup({ id: 'g-text', name: 'Phụ huynh 6A1' });
    const d = await sendToGroup('g-text', { type: 'text', text: 'Kính gửi [@g-text] quý phụ huynh và [@186729651760683225]' });
    expect(d.status).toBe('sent');
    const [sent] = zalo.sent();
    expect([sent!.kind, sent!.to]).toEqual(['group', 'g-text']);
    expect(sent!.message).toEqual({ text: 'Kính gửi [\u200B@g-text] quý phụ huynh và [\u200B@186729651760683225]' });
    expect(zalo.requests.find((r) => r.path === '/v3.0/oa/group/message')!.headers['access_token']).toBe(zalo.accessToken);
  });

  it('sends an image as a media template with its caption, mentions escaped', async () => {
    zalo.addGroup({ id: 'g-img', name: 'Phụ huynh 6A2' });
    const d = await sendToGroup('g-img', { type: 'image', url: 'https://example.org/mu-bao-hiem.png', caption: 'Đội mũ bảo hiểm [@all]' });
    expect(d.status).toBe('sent');
    expect(zalo.sent()[0]!.message).toEqual({
      text: 'Đội mũ bảo hiểm [\u200B@all]',
      attachment: { type: 'template', payload: { template_type: 'media', elements: [{ media_type: 'image', url: 'https://example.org/mu-bao-hiem.png' }] } },
    });
  });

  it('renders buttons as a numbered list (groups take no button templates) and links as text', async () => {
    zalo.addGroup({ id: 'g-btn', name: 'Phụ huynh 7A1' });
    await sendToGroup('g-btn', { type: 'buttons', text: 'Con đã đội mũ bảo hiểm hôm nay chưa?', buttons: [{ title: 'Đã đội', payload: 'A' }, { title: 'Chưa', payload: 'B' }, { title: 'Không đi xe', payload: 'C' }] });
    await sendToGroup('g-btn', { type: 'link', url: 'https://thuvienphapluat.vn/luat-36', title: 'Luật 36/2024/QH15', text: 'Đọc thêm' });
    const [buttons, link] = zalo.sent();
    expect(buttons!.message).toEqual({ text: 'Con đã đội mũ bảo hiểm hôm nay chưa?\n1. Đã đội\n2. Chưa\n3. Không đi xe' });
    expect(buttons!.message.attachment).toBeUndefined();
    expect(link!.message).toEqual({ text: 'Đọc thêm\nLuật 36/2024/QH15: https://thuvienphapluat.vn/luat-36' });
  });
});

describe('group health from send outcomes', () => {
  it('marks a group "disabled" with code −237 when Zalo answers that group messaging is off, and ok again after a success', async () => {
    await storeGroup('g-237');
    zalo.addGroup({ id: 'g-237', name: 'Nhóm hết hạn', status: 'disabled' });
    const failed = await sendToGroup('g-237', { type: 'text', text: 'Nhắc lịch họp' });
    expect([failed.status, failed.platformCode]).toEqual(['failed', '-237']);
    const g = await eventually(async () => ((await groupRow('g-237')).health === 'disabled' ? groupRow('g-237') : undefined), 'the group to be marked disabled');
    expect([g.health, g.healthCode]).toEqual(['disabled', '-237']);
    expect(g.healthAt).not.toBeNull();

    zalo.updateGroup('g-237', { status: 'enabled' });
    expect((await sendToGroup('g-237', { type: 'text', text: 'Nhắc lịch họp' })).status).toBe('sent');
    const back = await eventually(async () => ((await groupRow('g-237')).health === 'ok' ? groupRow('g-237') : undefined), 'the group to be ok again');
    expect(back.healthCode).toBeNull();
  });

  it('marks a group "not_member" with code −403 when the OA is not in it', async () => {
    await storeGroup('g-403');
    zalo.addGroup({ id: 'g-403', name: 'Nhóm OA đã rời', oaMember: false });
    const failed = await sendToGroup('g-403', { type: 'text', text: 'Thông báo' });
    expect([failed.status, failed.platformCode, failed.outcome]).toEqual(['failed', '-403', 'invalid']);
    const g = await eventually(async () => ((await groupRow('g-403')).health === 'not_member' ? groupRow('g-403') : undefined), 'the group to be marked not_member');
    expect(g.healthCode).toBe('-403');
  });

  it('leaves a group\'s health alone for errors that say nothing about the group', async () => {
    await storeGroup('g-201');
    zalo.addGroup({ id: 'g-201', name: 'Nhóm' });
    zalo.failNext(-201);
    const failed = await sendToGroup('g-201', { type: 'text', text: 'x' });
    expect([failed.status, failed.platformCode]).toEqual(['failed', '-201']);
    // The hook of the first delivery ran before a later one's is seen: had it written, the write would be visible.
    zalo.addGroup({ id: 'g-403b', name: 'Nhóm', oaMember: false });
    await storeGroup('g-403b');
    await sendToGroup('g-403b', { type: 'text', text: 'x' });
    await eventually(async () => (await groupRow('g-403b')).health === 'not_member', 'the second group to be marked');
    expect((await groupRow('g-201')).health).toBe('ok');
  });
});
