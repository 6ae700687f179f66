import { hash } from '@node-rs/argon2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { eventually } from '../../helpers/channels.js';
import { submitTipInChat } from './tip-helpers.js';
import { createTips } from '../../../src/services/tips/tips.js';
import { ERASED } from '../../../src/store/outbox.repo.js';
import { inTransaction } from '../../../src/store/repos.js';
import { jpegWithExif } from '../../helpers/images.js';

let app: TestApp;
const HANDLER = { email: 'handler@test.local', password: 'handler-password-123' };
beforeAll(async () => {
  app = await startTestApp();
  // Office-level: the tips below name no school, which only office-level handlers (and admins) see.
  const office = await app.db.prisma.office.findUniqueOrThrow({ where: { code: 'PGD-Q7-DEMO' } });
  await app.db.prisma.staffUser.create({ data: { email: HANDLER.email, name: 'Cán bộ', role: 'tip_handler', passwordHash: await hash(HANDLER.password), officeId: office.id } });
  await app.db.prisma.staffUser.create({ data: { email: 'teacher@test.local', name: 'GV', role: 'teacher', passwordHash: await hash('teacher-password') } });
});
afterAll(async () => {
  await app?.close();
});

const auth = (email = HANDLER.email, password = HANDLER.password) => `Basic ${Buffer.from(`${email}:${password}`).toString('base64')}`;
async function api(method: string, path: string, body?: unknown, authorization = auth()) {
  const res = await fetch(`${app.url}${path}`, {
    method,
    headers: { authorization, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as any };
}

describe('the tip handler API', () => {
  it('refuses anyone but a tip handler or admin, with a generic 401', async () => {
    const none = await fetch(`${app.url}/api/tips`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toContain('Basic');
    expect((await api('GET', '/api/tips', undefined, auth(HANDLER.email, 'wrong'))).status).toBe(401);
    expect((await api('GET', '/api/tips', undefined, auth('teacher@test.local', 'teacher-password'))).status).toBe(401);
    expect((await api('GET', '/api/tips', undefined, auth('nobody@test.local', 'x'))).status).toBe(401);
  });

  it('lists, views (decrypted, never who), acknowledges the urgent alert, replies through the sealed handle and closes', async () => {
    const user = 'handler-flow-user-55120';
    const { code, pin } = await submitTipInChat(app, user, { parts: ['Có người mang pháo tự chế vào lớp 8A1'], urgent: true, consent: true });
    const list = await api('GET', '/api/tips');
    expect(list.status).toBe(200);
    const row = list.body.tips.find((t: any) => t.publicCode === code);
    expect(row).toMatchObject({ category: 'drugs', urgent: true, status: 'new' });
    expect(JSON.stringify(list.body)).not.toContain('pháo');

    const view = await api('GET', `/api/tips/${row.id}`);
    expect(view.body.tip).toMatchObject({ code, description: 'Có người mang pháo tự chế vào lớp 8A1', canReply: true, urgent: true });
    const viewText = JSON.stringify(view.body);
    expect(viewText).not.toContain(user);
    expect(viewText).not.toMatch(/handle|cipher|pinHash/i);

    expect(await app.db.prisma.systemAlert.count({ where: { kind: 'urgent_tip', resolvedAt: null } })).toBe(1);
    expect((await api('POST', `/api/tips/${row.id}/acknowledge`)).status).toBe(200);
    expect(await app.db.prisma.systemAlert.count({ where: { kind: 'urgent_tip', resolvedAt: null } })).toBe(0);

    expect((await api('POST', `/api/tips/${row.id}/status`, { status: 'triaged' })).status).toBe(200);
    const lastBefore = (await app.db.prisma.delivery.aggregate({ _max: { id: true } }))._max.id ?? 0n;
    const reply = await api('POST', `/api/tips/${row.id}/reply`, { text: 'Cảm ơn bạn, nhà trường đã kiểm tra lớp 8A1.' });
    expect(reply.body).toEqual({ ok: true, notified: true });
    // The notice goes to the tipster's chat as a sensitive delivery; once sent the row keeps neither the text nor to
    // whom or exactly when, and no flag says it was a tip-flow message.
    const notice = await eventually(async () => {
      const d = await app.db.prisma.delivery.findFirst({ where: { id: { gt: lastBefore }, inboundEventId: null }, orderBy: { id: 'desc' } });
      return d?.status === 'sent' && d;
    }, 'the reply notice sent');
    expect(notice).toMatchObject({ sensitive: false, message: ERASED, recipient: '', laneKey: '', contactId: null, sentAt: null, interactionAt: null, platformMessageId: null });
    expect(notice.createdAt.getTime() % 3600_000).toBe(0);
    const thread = await app.db.prisma.tipMessage.findMany({ where: { tipId: row.id } });
    expect(thread.every((m) => m.createdAt.getTime() % 3600_000 === 0)).toBe(true);

    // The tipster reads the reply after code + PIN.
    await app.say(user, { payload: 'FLOW:tip_followup' });
    await app.say(user, { text: code });
    const status = await app.say(user, { text: pin });
    expect(JSON.stringify(status.replies)).toContain('nhà trường đã kiểm tra lớp 8A1');
    expect(JSON.stringify(status.replies)).toContain('đã được xem xét');

    expect((await api('POST', `/api/tips/${row.id}/status`, { status: 'closed' })).status).toBe(400);
    expect((await api('POST', `/api/tips/${row.id}/status`, { status: 'closed', outcome: 'resolved' })).status).toBe(200);
    const closed = await app.db.prisma.tip.findUniqueOrThrow({ where: { id: row.id } });
    expect(closed.replyHandleCipher).toBeNull();
    expect(closed.closedAt).not.toBeNull();
    expect((await api('POST', `/api/tips/${row.id}/reply`, { text: 'Sau khi đóng' })).body).toEqual({ ok: true, notified: false });
  });

  it('marks spam and answers 404 for an unknown tip', async () => {
    const { code } = await submitTipInChat(app, 'handler-spam-user', { parts: ['asdfgh qwerty'] });
    const tip = await app.db.prisma.tip.findUniqueOrThrow({ where: { publicCode: code } });
    expect((await api('POST', `/api/tips/${tip.id}/status`, { status: 'closed', outcome: 'spam' })).status).toBe(200);
    expect((await app.db.prisma.tip.findUniqueOrThrow({ where: { id: tip.id } })).outcome).toBe('spam');
    expect((await api('GET', '/api/tips/00000000-0000-0000-0000-000000000000')).status).toBe(404);
    expect((await api('POST', '/api/tips/00000000-0000-0000-0000-000000000000/reply', { text: 'x' })).status).toBe(404);
  });
});

describe('tip photos', () => {
  it('stores photos stripped of EXIF/GPS and encrypted, and shows them to handlers only', async () => {
    const fetched: string[] = [];
    const tips = createTips({
      prisma: app.db.prisma,
      ...app.config.tips,
      webFormUrl: '/tip',
      fetchImage: async (url) => {
        fetched.push(url);
        return url.endsWith('good.jpg') ? jpegWithExif() : null;
      },
    });
    const draft = { category: 'theft' as const, description: 'Ảnh chụp kẻ lấy trộm xe', place: null, schoolId: null, urgent: false };
    const out = await inTransaction(app.db.prisma, (repos) =>
      tips.submit(repos, { ...draft, photoUrls: ['https://cdn.example/good.jpg', 'https://cdn.example/broken.jpg'] }, { submitter: 'test:photos', route: null }, new Date()),
    );
    if (!out.ok || !out.photoRequest) throw new Error(`no photo request: ${JSON.stringify(out)}`);
    // Nothing is fetched while the submission's transaction is open: only after, from the sealed request.
    expect(fetched).toHaveLength(0);
    expect(out.photoRequest.count).toBe(2);
    expect(out.photoRequest.sealed).not.toContain('cdn.example');
    const photos = await tips.fetchPhotos(out.photoRequest.sealed);
    expect(fetched).toEqual(['https://cdn.example/good.jpg', 'https://cdn.example/broken.jpg']);
    expect(photos).toHaveLength(1);
    const request = out.photoRequest.sealed;
    expect(await inTransaction(app.db.prisma, (repos) => tips.attachPhotos(repos, request, photos, new Date()))).toEqual({ stored: 1 });
    const tip = await app.db.prisma.tip.findUniqueOrThrow({ where: { publicCode: out.code }, include: { attachments: true } });
    expect(tip.attachments).toHaveLength(1);
    expect(tip.attachments[0]!.mime).toBe('image/jpeg');
    expect(tip.attachments[0]!.dataCipher).toMatch(/^v1\./);
    expect(Buffer.from(tip.attachments[0]!.dataCipher.split('.')[2]!, 'base64url').toString('latin1')).not.toContain('SCANDATA');

    const view = await api('GET', `/api/tips/${tip.id}`);
    expect(view.body.tip.photos).toEqual([{ id: tip.attachments[0]!.id, mime: 'image/jpeg' }]);
    expect(JSON.stringify(view.body)).not.toContain('cdn.example');
    const res = await fetch(`${app.url}/api/tips/${tip.id}/photos/${tip.attachments[0]!.id}`, { headers: { authorization: auth() } });
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    const bytes = Buffer.from(await res.arrayBuffer()).toString('latin1');
    expect(bytes).toContain('SCANDATA');
    expect(bytes).not.toContain('GPSLatitude');
    expect((await fetch(`${app.url}/api/tips/${tip.id}/photos/${tip.attachments[0]!.id}`)).status).toBe(401);
  });
});

describe('tip retention', () => {
  it('deletes tips closed longer ago than the retention period, and expired tip drafts', async () => {
    const tips = createTips({ prisma: app.db.prisma, ...app.config.tips, webFormUrl: '/tip' });
    const { code } = await submitTipInChat(app, 'retention-user', { parts: ['Tin báo sẽ bị xoá khi hết hạn lưu'] });
    const tip = await app.db.prisma.tip.findUniqueOrThrow({ where: { publicCode: code } });
    await tips.setStatus({ kind: 'all' }, tip.id, 'closed', 'no_action');
    // A draft left in the middle of the flow.
    await app.say('retention-draft', { payload: 'FLOW:tip' });
    await app.say('retention-draft', { payload: 'CAT:theft' });
    await app.say('retention-draft', { text: 'bản nháp bỏ dở' });

    const soon = await tips.sweep(new Date(Date.now() + 24 * 3600_000));
    expect(soon.deletedTips).toBe(0);
    const later = await tips.sweep(new Date(Date.now() + (app.config.tips.retentionDays + 1) * 24 * 3600_000));
    expect(later.deletedTips).toBeGreaterThanOrEqual(1);
    expect(later.deletedDrafts).toBeGreaterThanOrEqual(1);
    expect(await app.db.prisma.tip.findUnique({ where: { publicCode: code } })).toBeNull();
    const draftOwner = await app.db.prisma.contact.findFirstOrThrow({ where: { userId: 'retention-draft' }, include: { conversation: true } });
    expect(draftOwner.conversation).toBeNull();
  });
});
