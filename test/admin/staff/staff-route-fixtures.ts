import type { World } from '../helpers/console-app.js';
import type { PrismaLike, RouteFixture, RouteSample, ScopeProbe } from '../route-fixtures.js';

let seq = 0;

/** A fresh staff account placed as given (a fixture: its hash signs nobody in). Each call makes a new one: routes change it. */
export async function fixtureAccount(prisma: PrismaLike, place: { role: string; schoolId?: string | null; officeId?: string | null; classId?: string | null; active?: boolean }): Promise<string> {
  const n = seq++;
  const row = await prisma.staffUser.create({
    data: { email: `fixture-${n}-${process.pid}@staff.test`, name: `Cán bộ kiểm thử ${n}`, passwordHash: 'not-a-hash', role: place.role, schoolId: place.schoolId ?? null, officeId: place.officeId ?? null, classId: place.classId ?? null, active: place.active ?? true },
  });
  return row.id;
}

type Place = Parameters<typeof fixtureAccount>[1];

/**
 * Probes of a route about one account: another office's (every role), a sibling school's and the office's own
 * accounts (outside a school admin), and the system admin's (outside an office admin too).
 */
function accountProbes(sample: (staffId: string) => RouteSample, extra: Partial<Place> = {}): RouteFixture['scopeProbes'] {
  const at = (place: (w: World) => Place, why: string, roles?: ScopeProbe['roles']) => async (w: World, prisma: PrismaLike): Promise<ScopeProbe> => ({
    ...sample(await fixtureAccount(prisma, { ...place(w), ...extra })),
    why,
    ...(roles ? { roles } : {}),
  });
  return [
    at((w) => ({ role: 'school_admin', schoolId: w.schools.foreign.id }), 'an account of a school of another office'),
    at((w) => ({ role: 'tip_handler', officeId: w.foreignOffice.id }), 'an office-level account of another office'),
    at((w) => ({ role: 'teacher', schoolId: w.schools.sibling.id }), 'an account of another school of the office', ['school_admin']),
    at((w) => ({ role: 'admin', officeId: w.office.id }), "an admin of the school's office", ['school_admin']),
    at(() => ({ role: 'admin' }), 'a system-wide admin'),
  ];
}

function accountRoute(sample: (staffId: string) => RouteSample, extra: Partial<Place> = {}): RouteFixture {
  return {
    example: async (w, prisma) => sample(await fixtureAccount(prisma, { role: 'teacher', schoolId: w.schools.own.id, classId: w.classes.own.id, ...extra })),
    scopeProbes: accountProbes(sample, extra),
  };
}

/**
 * A new account's form, a unique e-mail at each call: a school admin in a school (a role a school admin may give too),
 * an office's tip handler at an office.
 */
function newAccount(unit: string): Record<string, string> {
  return { name: 'Nguyễn Thị Kiểm Thử', email: `moi-${seq++}-${process.pid}@staff.test`, role: unit.startsWith('office:') ? 'tip_handler' : 'school_admin', unit };
}

/** Route-walk fixtures of the staff pages (spread into ROUTE_FIXTURES). */
export const STAFF_ROUTE_FIXTURES: Record<string, RouteFixture> = {
  'POST /admin/staff': {
    example: (w) => ({ body: newAccount(`school:${w.schools.own.id}`) }),
    scopeProbes: [
      (w) => ({ body: newAccount(`school:${w.schools.foreign.id}`), why: 'a new account in a school of another office' }),
      (w) => ({ body: newAccount(`office:${w.foreignOffice.id}`), why: 'a new account in another office' }),
      (w) => ({ body: newAccount(`school:${w.schools.sibling.id}`), why: 'a new account in another school of the office', roles: ['school_admin'] }),
      (w) => ({ body: newAccount(`office:${w.office.id}`), why: "a new account at the school's office", roles: ['school_admin'] }),
    ],
  },
  'GET /admin/staff/:staffId': accountRoute((staffId) => ({ params: { staffId } })),
  'POST /admin/staff/:staffId/role': accountRoute((staffId) => ({ params: { staffId }, body: { role: 'teacher', unit: '', classCode: 'NTT-6A2' } })),
  'POST /admin/staff/:staffId/deactivate': accountRoute((staffId) => ({ params: { staffId }, body: { confirm: 'on' } })),
  'POST /admin/staff/:staffId/reactivate': accountRoute((staffId) => ({ params: { staffId } }), { active: false }),
  'POST /admin/staff/:staffId/password': accountRoute((staffId) => ({ params: { staffId }, body: { confirm: 'on' } })),
};
