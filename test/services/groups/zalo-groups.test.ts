import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ZaloApi, zaloGroupsApi } from '../../../src/bot/channels/zalo/zalo-api.js';
import { ZaloTokens } from '../../../src/bot/channels/zalo/zalo-tokens.js';
import { loadConfig } from '../../../src/config.js';
import { createClassGroup } from '../../../src/services/groups/create-class-group.js';
import { groupsOfClasses, healthyGroupsOfClasses } from '../../../src/services/groups/healthy-groups.js';
import { linkGroupToClass } from '../../../src/services/groups/link-group-to-class.js';
import { recordGroupHealth } from '../../../src/services/groups/record-group-health.js';
import { syncZaloGroups } from '../../../src/services/groups/sync-zalo-groups.js';
import type { ZaloGroupsApi } from '../../../src/services/groups/zalo-groups-api.js';
import { seedDemoData } from '../../../src/store/demo-seed.repo.js';
import { createRepos, type Repos } from '../../../src/store/repos.js';
import { startZaloDouble, type ZaloDouble } from '../../doubles/zalo-double.js';
import { ZALO_OA_ID, zaloEnv } from '../../helpers/channels.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.js';

let zalo: ZaloDouble;
let db: TestDatabase;
let repos: Repos;
let api: ZaloGroupsApi;
const now = () => new Date();

beforeAll(async () => {
  zalo = await startZaloDouble();
  db = await createTestDatabase();
  await seedDemoData(db.prisma);
  repos = createRepos(db.prisma);
  const settings = loadConfig({ ...zaloEnv(zalo), APP_SECRET: 'x'.repeat(40), DATA_DIR: '/tmp/zalo-groups' }).channels.zalo!;
  const zaloApi = new ZaloApi(settings);
  const tokens = new ZaloTokens({ settings, repo: repos.tokens, alerts: repos.alerts, api: zaloApi, log: pino({ level: 'silent' }) });
  await tokens.init();
  api = zaloGroupsApi(zaloApi, tokens);
});
afterAll(async () => {
  await db?.drop();
  await zalo?.close();
});
beforeEach(async () => {
  zalo.reset();
  await db.prisma.zaloGroup.deleteMany();
});

async function classId(code: string): Promise<string> {
  return (await db.prisma.class.findUniqueOrThrow({ where: { code } })).id;
}

/** A Zalo contact of a class that redeemed a teacher invite of its school, last seen `ago` ms before now. */
async function zaloTeacher(userId: string, classCode: string, ago = 3600_000) {
  const cls = await db.prisma.class.findUniqueOrThrow({ where: { code: classCode } });
  const contact = await db.prisma.contact.create({
    data: { channel: 'zalo', accountId: ZALO_OA_ID, userId, role: 'teacher', schoolId: cls.schoolId, classId: cls.id, lastInteractionAt: new Date(Date.now() - ago) },
  });
  await db.prisma.teacherInvite.create({
    data: { codeHash: `hash-${userId}`, schoolId: cls.schoolId, classId: cls.id, expiresAt: new Date(Date.now() + 86_400_000), usedAt: new Date(), usedByContactId: contact.id },
  });
  return contact;
}

describe('listing the OA\'s groups (npm run zalo:groups -- list)', () => {
  it('stores every group the API lists, across pages, with the health the listing shows', async () => {
    for (let i = 0; i < 57; i++) zalo.addGroup({ id: `g${String(i).padStart(2, '0')}`, name: `Nhóm ${i}` });
    zalo.updateGroup('g05', { status: 'disabled' });
    const out = await syncZaloGroups(repos, api, { accountId: ZALO_OA_ID, now: now() });
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    expect([out.added, out.groups.length]).toEqual([57, 57]);
    const pages = zalo.requests.filter((r) => r.path === '/v3.0/oa/group/getgroupsofoa');
    expect(pages.map((r) => r.query.offset)).toEqual(['0', '50']);
    expect(pages[0]!.headers['access_token']).toBe(zalo.accessToken);
    const g05 = out.groups.find((g) => g.id === 'g05')!;
    expect([g05.health, g05.healthCode, g05.accountId]).toEqual(['disabled', 'listed:disabled', ZALO_OA_ID]);
    expect(out.groups.filter((g) => g.health === 'ok')).toHaveLength(56);
  });

  it('updates names, keeps class links, and marks groups the OA no longer lists as not_member', async () => {
    zalo.addGroup({ id: 'ga', name: 'Phụ huynh 6A1' });
    zalo.addGroup({ id: 'gb', name: 'Phụ huynh 6A2' });
    await syncZaloGroups(repos, api, { accountId: ZALO_OA_ID, now: now() });
    expect(await linkGroupToClass(repos, { groupId: 'ga', classCode: 'NTT-6A1' })).toMatchObject({ ok: true, class: { code: 'NTT-6A1' } });
    zalo.addGroup({ id: 'ga', name: 'Phụ huynh lớp 6A1 (2026)' });
    zalo.updateGroup('gb', { oaMember: false });
    const out = await syncZaloGroups(repos, api, { accountId: ZALO_OA_ID, now: now() });
    expect(out).toMatchObject({ ok: true, added: 0, unlisted: 1 });
    const ga = await repos.zaloGroups.get('ga');
    expect([ga?.name, ga?.classId, ga?.health]).toEqual(['Phụ huynh lớp 6A1 (2026)', await classId('NTT-6A1'), 'ok']);
    const gb = await repos.zaloGroups.get('gb');
    expect([gb?.health, gb?.healthCode]).toEqual(['not_member', 'not_listed']);
  });

  it('refreshes an expired access token and lists again', async () => {
    zalo.addGroup({ id: 'gt', name: 'Nhóm' });
    zalo.expireAccessToken();
    const out = await syncZaloGroups(repos, api, { accountId: ZALO_OA_ID, now: now() });
    expect(out).toMatchObject({ ok: true, added: 1 });
  });

  it('reports Zalo\'s error code and message when the listing is refused', async () => {
    zalo.failNextManage(-201, 1, 'GMF is not available for this OA');
    const out = await syncZaloGroups(repos, api, { accountId: ZALO_OA_ID, now: now() });
    expect(out).toEqual({ ok: false, reason: 'api', failure: { ok: false, code: -201, detail: 'GMF is not available for this OA' } });
    expect(await repos.zaloGroups.list()).toEqual([]);
  });
});

describe('linking a group to a class', () => {
  it('refuses an unknown group or class, and moves a group to the class it is linked to last', async () => {
    zalo.addGroup({ id: 'gl', name: 'Nhóm' });
    await syncZaloGroups(repos, api, { accountId: ZALO_OA_ID, now: now() });
    expect(await linkGroupToClass(repos, { groupId: 'nope', classCode: 'NTT-6A1' })).toEqual({ ok: false, reason: 'unknown_group' });
    expect(await linkGroupToClass(repos, { groupId: 'gl', classCode: 'XX-1' })).toEqual({ ok: false, reason: 'unknown_class' });
    await linkGroupToClass(repos, { groupId: 'gl', classCode: 'ntt-6a1' });
    await linkGroupToClass(repos, { groupId: 'gl', classCode: 'NTT-7A1' });
    expect((await repos.zaloGroups.get('gl'))?.classId).toBe(await classId('NTT-7A1'));
  });
});

describe('group health and the groups a broadcast reaches', () => {
  it('leaves unhealthy groups out of healthyGroupsOfClasses, with their reason in groupsOfClasses', async () => {
    for (const id of ['h1', 'h2', 'h3']) zalo.addGroup({ id, name: id });
    await syncZaloGroups(repos, api, { accountId: ZALO_OA_ID, now: now() });
    for (const id of ['h1', 'h2']) await linkGroupToClass(repos, { groupId: id, classCode: 'NTT-8A1' });
    await linkGroupToClass(repos, { groupId: 'h3', classCode: 'TP-1A' });
    const classes = [await classId('NTT-8A1'), await classId('TP-1A')];
    expect((await healthyGroupsOfClasses(repos, classes)).map((g) => g.id).sort()).toEqual(['h1', 'h2', 'h3']);

    expect(await recordGroupHealth(repos, 'h1', '-237', now())).toBe('disabled');
    expect(await recordGroupHealth(repos, 'h3', '-403', now())).toBe('not_member');
    // Codes that say nothing about the group change nothing; the same health again writes nothing.
    expect(await recordGroupHealth(repos, 'h2', '-32', now())).toBeNull();
    expect(await recordGroupHealth(repos, 'h1', '-237', now())).toBeNull();
    expect((await healthyGroupsOfClasses(repos, classes)).map((g) => g.id)).toEqual(['h2']);
    const all = await groupsOfClasses(repos, classes);
    expect(all.map((g) => [g.id, g.health, g.healthCode]).sort()).toEqual([['h1', 'disabled', '-237'], ['h2', 'ok', null], ['h3', 'not_member', '-403']]);

    expect(await recordGroupHealth(repos, 'h1', null, now())).toBe('ok');
    expect((await healthyGroupsOfClasses(repos, classes)).map((g) => g.id).sort()).toEqual(['h1', 'h2']);
  });
});

describe('creating a group for a class (npm run zalo:groups -- create)', () => {
  it('needs a verified teacher of the class who wrote on Zalo within 7 days', async () => {
    zalo.addAssets({ assetId: 'asset-1', productType: 'gmf100', quotaType: 'sub_quota' });
    await zaloTeacher('u-old', 'NTT-9A1', 8 * 24 * 3600_000);
    expect(await createClassGroup(repos, api, { classCode: 'NTT-9A1', accountId: ZALO_OA_ID, now: now() })).toEqual({ ok: false, reason: 'no_members' });
    expect(await createClassGroup(repos, api, { classCode: 'NOPE', accountId: ZALO_OA_ID, now: now() })).toEqual({ ok: false, reason: 'unknown_class' });
    expect(zalo.requests.some((r) => r.path === '/v3.0/oa/group/creategroupwithoa')).toBe(false);
  });

  it('says so when the OA has no free GMF asset, after trying its package, bought and granted quotas', async () => {
    await zaloTeacher('u-6a2', 'NTT-6A2');
    zalo.addAssets({ assetId: 'used-1', productType: 'gmf100', quotaType: 'sub_quota', status: 'used' }, { assetId: 'small', productType: 'gmf10', quotaType: 'sub_quota' });
    const out = await createClassGroup(repos, api, { classCode: 'NTT-6A2', accountId: ZALO_OA_ID, now: now() });
    expect(out).toEqual({ ok: false, reason: 'no_quota', productType: 'gmf100' });
    const asked = zalo.requests.filter((r) => r.path === '/v3.0/oa/quota/group').map((r) => (r.body as any).quota_type);
    expect(asked).toEqual(['sub_quota', 'purchase_quota', 'reward_quota']);
  });

  it('creates the group on a free asset with the class\'s teachers, stores it linked to the class and returns its link', async () => {
    await zaloTeacher('u-7a1', 'NTT-7A1');
    zalo.addAssets({ assetId: 'bought', productType: 'gmf50', quotaType: 'purchase_quota' });
    const out = await createClassGroup(repos, api, { classCode: 'NTT-7A1', accountId: ZALO_OA_ID, productType: 'gmf50', now: now() });
    expect(out).toMatchObject({ ok: true, name: 'Lớp 7A1 – Trường THCS Nguyễn Thị Thập', members: 1 });
    if (!out.ok) return;
    const created = zalo.listGroups().find((g) => g.id === out.groupId)!;
    expect(created.members).toEqual(['u-7a1']);
    expect(created.assetId).toBe('bought');
    expect(out.groupLink).toBe(created.link);
    const stored = await repos.zaloGroups.get(out.groupId);
    expect([stored?.classId, stored?.health, stored?.accountId]).toEqual([await classId('NTT-7A1'), 'ok', ZALO_OA_ID]);
    // The asset is used now: a second group needs another one.
    expect(await createClassGroup(repos, api, { classCode: 'NTT-7A1', accountId: ZALO_OA_ID, productType: 'gmf50', now: now() })).toMatchObject({ ok: false, reason: 'no_quota' });
  });

  it('reports the step and Zalo\'s answer when the creation is refused', async () => {
    await zaloTeacher('u-8a1', 'NTT-8A1');
    zalo.addAssets({ assetId: 'a-8a1', productType: 'gmf100', quotaType: 'sub_quota' });
    zalo.failNextManage(-201); // the quota call
    expect(await createClassGroup(repos, api, { classCode: 'NTT-8A1', accountId: ZALO_OA_ID, now: now() })).toMatchObject({ ok: false, reason: 'api', step: 'quota', failure: { code: -201 } });
    zalo.failNextManage(-201, 1, 'member_user_ids must be followers of the OA', 'create');
    expect(await createClassGroup(repos, api, { classCode: 'NTT-8A1', accountId: ZALO_OA_ID, now: now() })).toMatchObject({
      ok: false, reason: 'api', step: 'create', failure: { code: -201, detail: 'member_user_ids must be followers of the OA' },
    });
    expect(await repos.zaloGroups.list()).toEqual([]);
    // Names are cut to Zalo's 100 characters (the double refuses longer ones), so this one goes through.
    const out = await createClassGroup(repos, api, { classCode: 'NTT-8A1', accountId: ZALO_OA_ID, name: 'x'.repeat(150), now: now() });
    expect(out).toMatchObject({ ok: true, name: 'x'.repeat(100) });
  });
});
