import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelHealth } from '../../../src/services/dashboard/channel-health.js';
import { dashboardFigures } from '../../../src/services/dashboard/dashboard-figures.js';
import { pledgeProgressFigures } from '../../../src/services/dashboard/pledge-progress-figures.js';
import { tipFigures } from '../../../src/services/dashboard/tip-figures.js';
import { weekBroadcasts } from '../../../src/services/dashboard/week-broadcasts.js';
import { createReadOnlyRepos, createRepos, type Repos } from '../../../src/store/repos.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.js';
import { buildWorld, NOW, scopeOf, type World } from './world.js';

let db: TestDatabase;
let repos: Repos;
let w: World;

beforeAll(async () => {
  db = await createTestDatabase();
  repos = createRepos(db.prisma);
  w = await buildWorld(db.prisma);
});
afterAll(async () => {
  await db?.drop();
});

const side = (signed: number, onRoster: number | null) => ({ signed, onRoster });

describe('pledge progress on the dashboard', () => {
  it('counts a school admin’s classes against their rosters, leaving out withdrawn pledges and other campaigns', async () => {
    const out = await pledgeProgressFigures(repos, w.scopes.schoolA);
    expect(out).toMatchObject({ ok: true, level: 'class', campaign: { id: w.campaign } });
    if (!out.ok) return;
    expect(out.rows).toEqual([
      { id: w.a1, name: '6A1', schoolId: w.a.id, rosterSize: 4, parents: side(3, 2), students: side(1, 1) },
      { id: w.a2, name: '6A2', schoolId: w.a.id, rosterSize: 2, parents: side(0, 0), students: side(1, 1) },
    ]);
    expect(out.total).toEqual({ rosterSize: 6, parents: side(3, 2), students: side(2, 2) });
  });

  it('gives a teacher only their own class', async () => {
    const out = await pledgeProgressFigures(repos, w.scopes.teacherA1);
    expect(out.ok && out.rows.map((r) => r.name)).toEqual(['6A1']);
    expect(out.ok && out.total.rosterSize).toBe(4);
  });

  it('gives an office admin one row per school of the office, never a school of another office', async () => {
    const out = await pledgeProgressFigures(repos, w.scopes.office);
    expect(out.ok && out.level).toBe('school');
    if (!out.ok) return;
    const rows = Object.fromEntries(out.rows.map((r) => [r.id, r]));
    expect(Object.keys(rows).sort()).toEqual([w.a.id, w.b.id].sort());
    // Per school the pledges are not matched to roster pupils (a province's worth of joins): valid pledges only.
    expect(rows[w.a.id]).toMatchObject({ rosterSize: 6, parents: side(3, null), students: side(2, null) });
    expect(rows[w.b.id]).toMatchObject({ rosterSize: 3, parents: side(1, null), students: side(1, null) });
    expect(out.total).toEqual({ rosterSize: 9, parents: side(4, null), students: side(3, null) });
    // Narrowed to one of its schools: that school's classes.
    const one = await pledgeProgressFigures(repos, w.scopes.office, { schoolId: w.b.id });
    expect(one.ok && one.rows.map((r) => r.name)).toEqual(['7B1']);
  });

  it('refuses a school outside the scope and reads nothing of it', async () => {
    expect(await pledgeProgressFigures(repos, w.scopes.schoolA, { schoolId: w.b.id })).toEqual({ ok: false, reason: 'not_visible' });
    expect(await pledgeProgressFigures(repos, w.scopes.office, { schoolId: w.c.id })).toEqual({ ok: false, reason: 'not_visible' });
  });

  it('gives a tip handler no pledge figures at all', async () => {
    expect(await pledgeProgressFigures(repos, w.scopes.handlerA)).toEqual({ ok: false, reason: 'not_allowed' });
  });
});

describe('tips on the dashboard', () => {
  it('counts a handler’s school by status and urgency and lists urgent tips nobody acknowledged, oldest first', async () => {
    const out = await tipFigures(repos, w.scopes.handlerA);
    expect(out).toMatchObject({ ok: true, total: 5, urgentWaiting: 2 });
    if (!out.ok) return;
    expect(out.byStatus).toEqual([
      { status: 'new', total: 3, urgent: 2, urgentUnacknowledged: 2 },
      { status: 'triaged', total: 1, urgent: 1, urgentUnacknowledged: 0 },
      { status: 'in_progress', total: 0, urgent: 0, urgentUnacknowledged: 0 },
      { status: 'closed', total: 1, urgent: 0, urgentUnacknowledged: 0 },
    ]);
    expect(out.waiting.map((t) => [t.code, t.category, t.schoolName])).toEqual([
      [w.codes.aOld, 'school_violence', w.a.name],
      [w.codes.aUrgent, 'drugs', w.a.name],
    ]);
  });

  it('shows nothing of a tip but its code, category, school and hour', async () => {
    const out = await tipFigures(repos, w.scopes.handlerA);
    expect(out.ok && Object.keys(out.waiting[0]!).sort()).toEqual(['category', 'code', 'schoolName', 'since']);
    expect(JSON.stringify(out)).not.toContain('secret');
  });

  it('gives an office handler the office’s schools and the tips naming no school, not another office’s', async () => {
    const out = await tipFigures(repos, w.scopes.officeHandler);
    expect(out.ok && out.total).toBe(8);
    expect(out.ok && out.waiting.map((t) => t.code).sort()).toEqual([w.codes.aOld, w.codes.aUrgent, w.codes.bUrgent, w.codes.noSchool].sort());
  });

  it('never gives the tips naming no school to a handler whose account also names a school', async () => {
    // resolve-staff-scope.ts resolves an account with a school and an office to its school alone.
    const out = await tipFigures(repos, scopeOf('tip_handler', { officeId: w.o1, schoolIds: [w.a.id] }));
    expect(out.ok && out.total).toBe(5);
    expect(out.ok && out.waiting.map((t) => t.code)).not.toContain(w.codes.noSchool);
  });

  it('gives a school admin the counts without the codes, and a teacher nothing', async () => {
    const admin = await tipFigures(repos, w.scopes.schoolA);
    expect(admin).toMatchObject({ ok: true, total: 5, urgentWaiting: 2, waiting: [] });
    expect(await tipFigures(repos, w.scopes.teacherA1)).toEqual({ ok: false, reason: 'not_allowed' });
    expect(await tipFigures(repos, w.scopes.handlerA, { schoolId: w.b.id })).toEqual({ ok: false, reason: 'not_visible' });
  });
});

describe('broadcasts of the week', () => {
  it('lists the broadcasts reaching the school, newest first, with each recipient counted once', async () => {
    const out = await weekBroadcasts(repos, w.scopes.schoolA, NOW);
    expect(out.ok && out.broadcasts.map((b) => b.code)).toEqual([w.broadcasts.schoolA.code]);
    expect(out.ok && out.broadcasts[0]!.figures).toEqual({
      code: w.broadcasts.schoolA.code, status: 'expanded', audienceSize: 6, queued: 1, sent: 3, delivered: 1, seen: 1,
      skipped: { window_closed: 1, group_unhealthy: 1 }, failed: {}, caughtUp: 0, cancelled: 0,
    });
  });

  it('counts a school-wide broadcast for a teacher over their class alone', async () => {
    const out = await weekBroadcasts(repos, w.scopes.teacherA1, NOW);
    expect(out.ok && out.broadcasts[0]!.figures).toMatchObject({ audienceSize: 4, queued: 1, sent: 1, delivered: 1, seen: 1, skipped: { window_closed: 1, group_unhealthy: 1 } });
  });

  it('gives an office admin both schools’ broadcasts, and the system admin the broadcast’s own audience size', async () => {
    const office = await weekBroadcasts(repos, w.scopes.office, NOW);
    expect(office.ok && office.broadcasts.map((b) => b.code)).toEqual([w.broadcasts.schoolA.code, w.broadcasts.classB.code]);
    const system = await weekBroadcasts(repos, w.scopes.system, NOW);
    expect(system.ok && system.broadcasts.map((b) => [b.code, b.figures.audienceSize, b.figures.sent])).toEqual([
      [w.broadcasts.schoolA.code, 6, 3],
      [w.broadcasts.classB.code, 2, 1],
    ]);
    // Another office's admin sees neither; a tip handler gets none.
    const other = await weekBroadcasts(repos, scopeOf('admin', { officeId: w.o2, schoolIds: [w.c.id] }), NOW);
    expect(other.ok && other.broadcasts).toEqual([]);
    expect(await weekBroadcasts(repos, w.scopes.handlerA, NOW)).toEqual({ ok: false, reason: 'not_allowed' });
  });
});

describe('a broadcast reaching beyond the scope', () => {
  it('is counted for an office admin over the office’s recipients alone', async () => {
    const out = await weekBroadcasts(repos, w.scopes.office, NOW);
    const before = out.ok ? out.broadcasts.length : 0;
    // To school A and to school C of the other office; C's parent was sent it, A's 6A2 parent too.
    const id = await w.broadcastTo({ schoolIds: [w.a.id, w.c.id], classIds: [] }, new Date(NOW.getTime() - 3 * 3600_000));
    await w.markSent(id, w.contacts.c1p);
    await w.markSent(id, w.contacts.a2p);
    const after = await weekBroadcasts(repos, w.scopes.office, NOW);
    expect(after.ok && after.broadcasts.length).toBe(before + 1);
    const figures = after.ok ? after.broadcasts[0]!.figures : null;
    // School A: 4 people and 2 groups (one skipped as unhealthy); C's parent is not the office's.
    expect(figures).toMatchObject({ audienceSize: 6, sent: 1, queued: 4, skipped: { group_unhealthy: 1 } });
    const system = await weekBroadcasts(repos, w.scopes.system, NOW);
    expect(system.ok && system.broadcasts[0]!.figures).toMatchObject({ audienceSize: 7, sent: 2 });
  });
});

describe('a broadcast to a class of another office', () => {
  it('is counted over the office’s own recipients, and a school admin of C sees it through its class', async () => {
    const id = await w.broadcastTo({ schoolIds: [w.b.id], classIds: [w.c1] }, new Date(NOW.getTime() - 2 * 3600_000));
    await w.markSent(id, w.contacts.c1p);
    const office = await weekBroadcasts(repos, w.scopes.office, NOW);
    // School B: its parent and its (unhealthy) group; C's parent is not the office's.
    expect(office.ok && office.broadcasts[0]!.figures).toMatchObject({ audienceSize: 2, sent: 0, queued: 1, skipped: { group_unhealthy: 1 } });
    const adminC = await weekBroadcasts(repos, scopeOf('school_admin', { schoolIds: [w.c.id] }), NOW);
    // This one and the one to schools A and C above: C's parent, sent to, in each.
    expect(adminC.ok && adminC.broadcasts.map((b) => [b.figures.audienceSize, b.figures.sent])).toEqual([[1, 1], [1, 1]]);
  });
});

describe('channel health', () => {
  it('tells the token expiry, the last webhook per channel, sends waiting on the rate limit and open alerts', async () => {
    const out = await channelHealth(repos, w.scopes.office, NOW);
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    expect(out.system?.tokens).toEqual([{ id: 'zalo:oa-test', expiresAt: new Date(NOW.getTime() + 90 * 60_000), minutesLeft: 90, refreshedAt: null, refreshing: false, lastError: 'Zalo -124: refresh token invalid' }]);
    expect(out.system?.lastWebhook).toEqual([
      { channel: 'messenger', at: new Date(NOW.getTime() - 30 * 60_000), minutesAgo: 30 },
      { channel: 'zalo', at: new Date(NOW.getTime() - 5 * 60_000), minutesAgo: 5 },
    ]);
    expect(out.system?.deferred).toEqual([{ channel: 'messenger', reason: 'rate_limited', count: 1, oldestMinutes: 12, nextTryAt: new Date(NOW.getTime() + 1000) }]);
    expect(out.system?.alerts.map((a) => a.kind)).toEqual(['zalo_token_refresh_failed']);
    expect(JSON.stringify(out)).not.toMatch(/ACCESS-SECRET|REFRESH-SECRET/);
    expect(out.groups.total).toBe(2);
    expect(out.groups.shown.map((g) => [g.className, g.health, g.code]).sort()).toEqual([['6A1', 'disabled', '-237'], ['7B1', 'not_member', '-403']]);
  });

  it('gives a teacher the unhealthy groups of their class only, and no system figures', async () => {
    const out = await channelHealth(repos, w.scopes.teacherA1, NOW);
    expect(out).toMatchObject({ ok: true, system: null, groups: { total: 1 } });
    expect(out.ok && out.groups.shown.map((g) => g.id)).toEqual([w.groups.a1]);
    expect(await channelHealth(repos, w.scopes.handlerA, NOW)).toEqual({ ok: false, reason: 'not_allowed' });
  });
});

describe('the dashboard as a whole', () => {
  it('puts every section together and says per section what a role may not see', async () => {
    const out = await dashboardFigures(repos, w.scopes.handlerA, NOW);
    expect(out.ok && [out.figures.pledges.ok, out.figures.tips.ok, out.figures.broadcasts.ok, out.figures.health.ok]).toEqual([false, true, false, false]);
    const teacher = await dashboardFigures(repos, w.scopes.teacherA1, NOW);
    expect(teacher.ok && [teacher.figures.pledges.ok, teacher.figures.tips.ok, teacher.figures.broadcasts.ok, teacher.figures.health.ok]).toEqual([true, false, true, true]);
  });

  it('never reads a school the scope does not reach, even for one section', async () => {
    expect(await dashboardFigures(repos, w.scopes.schoolA, NOW, { schoolId: w.b.id })).toEqual({ ok: false, reason: 'not_visible' });
  });

  it('only reads: no figure needs a transaction', async () => {
    let wrote = false;
    const ro = createReadOnlyRepos(db.prisma, () => (wrote = true));
    const out = await dashboardFigures(ro, w.scopes.system, NOW);
    expect(out.ok && out.figures.pledges.ok && out.figures.tips.ok && out.figures.broadcasts.ok && out.figures.health.ok).toBe(true);
    expect(wrote).toBe(false);
  });
});
