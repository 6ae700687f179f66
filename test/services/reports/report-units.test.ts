import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportFigures } from '../../../src/services/reports/report-figures.js';
import type { ReportUnit } from '../../../src/services/reports/report-types.js';
import { reportUnits } from '../../../src/services/reports/report-units.js';
import type { StaffScope } from '../../../src/services/staff/staff-scope.js';
import { createRepos, type Repos } from '../../../src/store/repos.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.js';
import { buildWorld, NOW, type World } from '../dashboard/world.js';

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

const key = (u: ReportUnit) => (u.kind === 'school' ? `school:${u.schoolId}` : `office:${u.officeId}`);
const keysOf = async (scope: StaffScope) => (await reportUnits(repos, scope)).map((c) => key(c.unit));
const YEAR = { kind: 'year', year: 2026 };

describe('the units the report form offers', () => {
  it('gives an office admin the office first, then its schools, never another office’s', async () => {
    expect(await keysOf(w.scopes.office)).toEqual([`office:${w.o1}`, ...[w.a, w.b].sort((x, y) => x.name.localeCompare(y.name, 'vi')).map((s) => `school:${s.id}`)]);
    const named = await reportUnits(repos, w.scopes.office);
    expect(named[1]?.officeName).not.toBeNull();
  });

  it('gives a system admin every office and every school', async () => {
    const keys = await keysOf(w.scopes.system);
    for (const k of [`office:${w.o1}`, `office:${w.o2}`, `school:${w.a.id}`, `school:${w.b.id}`, `school:${w.c.id}`]) expect(keys).toContain(k);
    // Offices first: once a school is listed, no office follows.
    expect(keys.slice(keys.findIndex((k) => k.startsWith('school:'))).some((k) => k.startsWith('office:'))).toBe(false);
  });

  it('gives a school admin and a school’s handler their school only, an office handler the office and its schools, a teacher nothing', async () => {
    expect(await keysOf(w.scopes.schoolA)).toEqual([`school:${w.a.id}`]);
    expect(await keysOf(w.scopes.handlerA)).toEqual([`school:${w.a.id}`]);
    expect((await keysOf(w.scopes.officeHandler))[0]).toBe(`office:${w.o1}`);
    expect(await keysOf(w.scopes.officeHandler)).toHaveLength(3);
    expect(await keysOf(w.scopes.teacherA1)).toEqual([]);
  });

  it('offers exactly the units the report service then reports on', async () => {
    const every: ReportUnit[] = [
      { kind: 'office', officeId: w.o1 },
      { kind: 'office', officeId: w.o2 },
      { kind: 'school', schoolId: w.a.id },
      { kind: 'school', schoolId: w.b.id },
      { kind: 'school', schoolId: w.c.id },
    ];
    for (const [name, scope] of Object.entries(w.scopes)) {
      const offered = new Set(await keysOf(scope));
      for (const unit of every) {
        const out = await reportFigures(repos, scope, { unit, period: YEAR }, NOW);
        expect(out.ok, `${name} ${key(unit)}`).toBe(offered.has(key(unit)));
      }
    }
  });
});
