import type { StaffRole } from '../../src/services/staff/staff-scope.js';
import type { World } from './helpers/console-app.js';
import { PLEDGE_ROUTE_FIXTURES } from './pledges/pledge-route-fixtures.js';
import { TIP_ROUTE_FIXTURES } from './tips/tip-route-fixtures.js';

/** What one request of the walk sends besides the session and the CSRF token. */
export interface RouteSample {
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: Record<string, string>;
}

/** A request for something outside the account's reach: it must answer the 404 page, like something that does not exist. */
export interface ScopeProbe extends RouteSample {
  /** What it points at, for the test's name (e.g. "a class of another school"). */
  why: string;
  /** The roles it is outside of (default: every role the route admits). */
  roles?: readonly StaffRole[];
}

/**
 * Test data of one route of CONSOLE_ROUTES, keyed `"<METHOD> <path>"` as declared. The walk
 * (route-access.test.ts) needs `example` for every route with a path parameter: an object every admitted role
 * reaches (the world's "own" school and class: see test/admin/helpers/console-app.ts). Add `scopeProbes` for every
 * route that reads or changes one object: another school's (world.schools.foreign, world.classes.foreign, …) must
 * answer 404 to every role; a sibling's (world.classes.sameSchool for the teacher) to the roles named.
 * Functions may create rows (await them): they get the world and the test database's Prisma client.
 */
export interface RouteFixture {
  example?: (w: World, prisma: PrismaLike) => RouteSample | Promise<RouteSample>;
  scopeProbes?: ((w: World, prisma: PrismaLike) => ScopeProbe | Promise<ScopeProbe>)[];
  /** The status an admitted GET answers when it is not 200 (e.g. a redirect). */
  okStatus?: number;
}

/** The test database's client, for fixtures that create what they probe. */
export type PrismaLike = import('../../src/store/database.js').PrismaClient;

// A page author's entry for a page about one class looks like this:
//   'GET /admin/classes/:id': {
//     example: (w) => ({ params: { id: w.classes.own.id } }),
//     scopeProbes: [
//       (w) => ({ params: { id: w.classes.foreign.id }, why: 'a class of another office' }),
//       (w) => ({ params: { id: w.classes.sameSchool.id }, why: 'another class of the same school', roles: ['teacher'] }),
//     ],
//   },
export const ROUTE_FIXTURES: Record<string, RouteFixture> = {
  'GET /admin/assets/:file': {
    example: () => ({ params: { file: 'console.css' } }),
    scopeProbes: [() => ({ params: { file: 'app-secret.key' }, why: 'a file that is not one of the assets' })],
  },
  ...TIP_ROUTE_FIXTURES,
  ...PLEDGE_ROUTE_FIXTURES,
  // The dashboard's school filter (?school=<id>).
  'GET /admin': {
    scopeProbes: [
      (w) => ({ query: { school: w.schools.foreign.id }, why: 'the dashboard of a school of another office' }),
      (w) => ({ query: { school: w.schools.sibling.id }, why: 'the dashboard of another school of the office', roles: ['school_admin', 'teacher', 'tip_handler'] }),
    ],
  },
  // The periodic report of a unit (?unit=school:<id> | office:<id>, and the period).
  'GET /admin/reports': {
    example: (w) => ({ query: { unit: `school:${w.schools.own.id}`, kind: 'quarter', year: '2026', quarter: '4' } }),
    scopeProbes: reportProbes('query'),
  },
  'POST /admin/reports/export': {
    example: (w) => ({ body: { unit: `school:${w.schools.own.id}`, kind: 'year', year: '2026', format: 'xlsx' } }),
    scopeProbes: reportProbes('body'),
  },
};

function reportProbes(where: 'query' | 'body'): NonNullable<RouteFixture['scopeProbes']> {
  const probe = (unit: string, why: string, roles?: readonly StaffRole[]): ScopeProbe => ({ [where]: { unit, kind: 'year', year: '2026', format: 'docx' }, why, ...(roles ? { roles } : {}) });
  return [
    (w) => probe(`school:${w.schools.foreign.id}`, 'the report of a school of another office'),
    (w) => probe(`office:${w.foreignOffice.id}`, 'the report of another office'),
    (w) => probe(`school:${w.schools.sibling.id}`, 'the report of another school of the office', ['school_admin', 'tip_handler']),
    (w) => probe(`office:${w.office.id}`, 'the report of the whole office', ['school_admin', 'tip_handler']),
    () => probe('school:khong-co-truong-nay', 'the report of a school that does not exist'),
  ];
}
