import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inQuietHours as dispatcherQuiet, quietHoursEnd as dispatcherQuietEnd } from '../../../src/bot/channels/policy.js';
import type { Audience } from '../../../src/services/broadcasts/broadcast-types.js';
import { forecastReach } from '../../../src/services/broadcasts/forecast-reach.js';
import { inQuietHours, quietHoursEnd } from '../../../src/services/broadcasts/reach-rules.js';
import { createReadOnlyRepos, createRepos, type Repos } from '../../../src/store/repos.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.js';
import { BroadcastFixtures } from './fixtures.js';

let db: TestDatabase;
let fx: BroadcastFixtures;
let repos: Repos;
const H = 3600_000;
const D = 24 * H;
// 10:00 in Hanoi; QUIET is 22:30 there (the Zalo quiet hours are 22–6).
const NOW = new Date('2026-10-05T03:00:00Z');
const QUIET = new Date('2026-10-05T15:30:00Z');
const POLICY = { zaloQuietHours: { start: 22, end: 6 } };
const ago = (ms: number, from = NOW) => new Date(from.getTime() - ms);
const audience = (a: Partial<Audience>): Audience => ({ schoolIds: [], classIds: [], roles: ['parent', 'student'], onlyUnpledged: false, includeGroups: false, ...a });

let school: Awaited<ReturnType<BroadcastFixtures['school']>>;
let classA: string;
let classB: string;
const ids: Record<string, string> = {};
beforeAll(async () => {
  db = await createTestDatabase();
  fx = new BroadcastFixtures(db.prisma);
  repos = createRepos(db.prisma);
  school = await fx.school();
  classA = school.classes[0]!.id;
  classB = school.classes[1]!.id;
  await fx.group(classA, 'ok');
  await fx.group(classB, 'disabled', '-237');
  const inA = { schoolId: school.id, classId: classA };
  const inB = { schoolId: school.id, classId: classB };
  ids.z1h = await fx.contact({ ...inA, channel: 'zalo', wrote: ago(H) });
  ids.z6d = await fx.contact({ ...inA, channel: 'zalo', wrote: ago(6 * D) });
  ids.z8d = await fx.contact({ ...inA, channel: 'zalo', wrote: ago(8 * D) });
  ids.m2h = await fx.contact({ ...inA, channel: 'messenger', role: 'student', wrote: ago(2 * H) });
  ids.m30h = await fx.contact({ ...inA, channel: 'messenger', role: 'student', wrote: ago(30 * H) });
  ids.zNever = await fx.contact({ ...inA, channel: 'zalo', wrote: null });
  ids.zOut = await fx.contact({ ...inA, channel: 'zalo', wrote: ago(H), subscribed: false });
  ids.sim = await fx.contact({ ...inA, channel: 'simulator', wrote: ago(40 * D) });
  ids.bz8d = await fx.contact({ ...inB, channel: 'zalo', wrote: ago(8 * D) });
  ids.bmNever = await fx.contact({ ...inB, channel: 'messenger', wrote: null });
  // A self-declared teacher is nobody's teacher; a verified one of class B, and a linked school admin.
  await fx.contact({ ...inB, role: 'teacher', wrote: ago(H) });
  ids.teacher = await fx.contact({ role: 'teacher', channel: 'zalo', wrote: ago(H) });
  await fx.verify(ids.teacher, school.id, classB);
  ids.admin = await fx.contact({ role: null, channel: 'messenger', wrote: ago(H) });
  await fx.staff({ role: 'school_admin', schoolId: school.id, chatContactId: ids.admin });
  // Another school's parents are never counted.
  const other = await fx.school();
  await fx.contact({ schoolId: other.id, classId: other.classes[0]!.id, wrote: ago(H) });
});
afterAll(async () => {
  await db?.drop();
});

describe('the reach forecast', () => {
  it('counts each channel: now, only through the class group, and not reachable by reason', async () => {
    expect(await forecastReach(repos, audience({ classIds: [classA, classB], includeGroups: true }), NOW, POLICY)).toEqual({
      people: 10,
      byChannel: {
        zalo: { reachableNow: 2, reachableLater: 0, onlyThroughGroup: 2, notReachable: { opted_out: 1, zalo_window_closed: 1 } },
        messenger: { reachableNow: 1, reachableLater: 0, onlyThroughGroup: 1, notReachable: { never_wrote: 1 } },
        simulator: { reachableNow: 1, reachableLater: 0, onlyThroughGroup: 0, notReachable: {} },
      },
      groups: { healthy: 1, unhealthy: 1 },
    });
  });

  it('counts a closed window as not reachable when the groups are not included, and the whole school as its classes', async () => {
    expect(await forecastReach(repos, audience({ schoolIds: [school.id] }), NOW, POLICY)).toEqual({
      people: 10,
      byChannel: {
        zalo: { reachableNow: 2, reachableLater: 0, onlyThroughGroup: 0, notReachable: { opted_out: 1, zalo_window_closed: 2, never_wrote: 1 } },
        messenger: { reachableNow: 1, reachableLater: 0, onlyThroughGroup: 0, notReachable: { messenger_window_closed: 1, never_wrote: 1 } },
        simulator: { reachableNow: 1, reachableLater: 0, onlyThroughGroup: 0, notReachable: {} },
      },
      groups: { healthy: 0, unhealthy: 0 },
    });
    expect((await forecastReach(repos, audience({ classIds: [classB], roles: ['parent'] }), NOW, POLICY)).people).toBe(2);
  });

  it('defers Zalo in quiet hours and judges its 7-day window when they end, as the dispatcher will', async () => {
    const s = await fx.school();
    const c = s.classes[0]!.id;
    await fx.contact({ classId: c, channel: 'zalo', wrote: ago(H, QUIET) });
    // 6 days 20 hours ago now, but 7 days 3.5 hours ago at 06:00.
    await fx.contact({ classId: c, channel: 'zalo', wrote: ago(6 * D + 20 * H, QUIET) });
    await fx.contact({ classId: c, channel: 'messenger', wrote: ago(H, QUIET) });
    expect(await forecastReach(repos, audience({ classIds: [c] }), QUIET, POLICY)).toEqual({
      people: 3,
      byChannel: {
        zalo: { reachableNow: 0, reachableLater: 1, onlyThroughGroup: 0, notReachable: { zalo_window_closed: 1 } },
        messenger: { reachableNow: 1, reachableLater: 0, onlyThroughGroup: 0, notReachable: {} },
      },
      groups: { healthy: 0, unhealthy: 0 },
    });
  });

  it('reaches verified teachers and linked staff of the schools by those roles, each person once', async () => {
    const f = await forecastReach(repos, audience({ schoolIds: [school.id], roles: ['teacher', 'staff'] }), NOW, POLICY);
    expect([f.people, f.byChannel.zalo?.reachableNow, f.byChannel.messenger?.reachableNow]).toEqual([2, 1, 1]);
    // Class A has no verified teacher; class B's is counted once though also a staff contact of the school.
    expect((await forecastReach(repos, audience({ classIds: [classA], roles: ['teacher'] }), NOW, POLICY)).people).toBe(0);
    await fx.staff({ role: 'teacher', schoolId: school.id, chatContactId: ids.teacher });
    expect((await forecastReach(repos, audience({ classIds: [classB], roles: ['teacher', 'staff'] }), NOW, POLICY)).people).toBe(2);
  });

  it('leaves out, with onlyUnpledged, the contacts who signed a pledge in the active campaign and did not withdraw it', async () => {
    const campaign = await fx.campaign();
    await fx.pledge(campaign, ids.z1h!, classA, school.id);
    await fx.pledge(campaign, ids.m2h!, classA, school.id, true);
    const old = await fx.campaign(ago(D));
    await db.prisma.campaign.update({ where: { id: old }, data: { startsOn: new Date('2000-01-01') } });
    await fx.pledge(old, ids.z6d!, classA, school.id);
    const f = await forecastReach(repos, audience({ classIds: [classA], onlyUnpledged: true }), NOW, POLICY);
    expect([f.people, f.byChannel.zalo?.reachableNow, f.byChannel.messenger?.reachableNow]).toEqual([7, 1, 1]);
    expect((await forecastReach(repos, audience({ classIds: [classA], onlyUnpledged: true }), NOW, POLICY, old)).people).toBe(7);
    expect((await forecastReach(repos, audience({ classIds: [classA] }), NOW, POLICY)).people).toBe(8);
  });

  it('follows the dispatcher\'s quiet-hour rules hour by hour', () => {
    for (const quiet of [{ start: 22, end: 6 }, { start: 12, end: 14 }]) {
      for (let h = 0; h < 48; h++) {
        const at = new Date(NOW.getTime() + h * H + 17 * 60_000);
        expect([inQuietHours(at, quiet), quietHoursEnd(at, quiet)]).toEqual([dispatcherQuiet(at, quiet), dispatcherQuietEnd(at, quiet)]);
      }
    }
  });
});

describe('the forecast in a chat turn', () => {
  it('only reads: a turn that shows it needs no transaction', async () => {
    let writes = 0;
    const readOnly = createReadOnlyRepos(db.prisma, () => writes++);
    const f = await forecastReach(readOnly, audience({ schoolIds: [school.id], includeGroups: true, onlyUnpledged: true }), NOW, POLICY);
    expect(f.people).toBeGreaterThan(0);
    expect(writes).toBe(0);
  });
});
