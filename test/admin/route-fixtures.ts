import type { StaffRole } from '../../src/services/staff/staff-scope.js';
import type { World } from './helpers/console-app.js';
import { PLEDGE_ROUTE_FIXTURES } from './pledges/pledge-route-fixtures.js';
import { STAFF_ROUTE_FIXTURES } from './staff/staff-route-fixtures.js';
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
  // Schools, classes, rosters (src/admin/pages/schools/).
  ...schoolPageFixtures(),
  // Content (src/admin/pages/content/): one catalogue for everyone, so the only object outside reach is one that does not exist.
  'GET /admin/content/:itemId': {
    example: () => ({ params: { itemId: 'atgt-cam-ket-an-toan-giao-thong' } }),
    scopeProbes: [() => ({ params: { itemId: '__proto__' }, why: 'an item that does not exist' })],
  },
  // Broadcasts (src/admin/pages/broadcasts/).
  ...broadcastPageFixtures(),
  ...TIP_ROUTE_FIXTURES,
  ...PLEDGE_ROUTE_FIXTURES,
  // Staff accounts (src/admin/pages/staff/).
  ...STAFF_ROUTE_FIXTURES,
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

let broadcastSeq = 0;
/** A broadcast row to the given audience (fresh at each call: approving or cancelling it changes it). */
async function broadcastTo(prisma: PrismaLike, audience: { schoolIds?: string[]; classIds?: string[] }, extra: { status?: string; needsApproval?: boolean; createdByStaffId?: string } = {}): Promise<string> {
  const b = await prisma.broadcast.create({
    data: {
      code: `TB-9${String(broadcastSeq++ % 10_000).padStart(4, '0')}`,
      audience: { schoolIds: audience.schoolIds ?? [], classIds: audience.classIds ?? [], roles: ['parent'], onlyUnpledged: false, includeGroups: false },
      message: [{ type: 'text', text: 'Thông báo kiểm thử' }],
      status: extra.status ?? 'scheduled',
      needsApproval: extra.needsApproval ?? false,
      createdByStaffId: extra.createdByStaffId ?? null,
      sendAt: new Date(Date.now() + 3600_000),
    },
  });
  return b.id;
}

function broadcastPageFixtures(): Record<string, RouteFixture> {
  const probes = (body?: Record<string, string>, extra: Parameters<typeof broadcastTo>[2] = {}): RouteFixture['scopeProbes'] => {
    const b = body ? { body } : {};
    return [
      async (w, prisma) => ({ params: { broadcastId: await broadcastTo(prisma, { classIds: [w.classes.foreign.id] }, extra) }, ...b, why: 'a broadcast to a class of another office' }),
      async (w, prisma) => ({ params: { broadcastId: await broadcastTo(prisma, { schoolIds: [w.schools.sibling.id] }, extra) }, ...b, why: 'a broadcast to another school of the office', roles: ['school_admin', 'teacher'] }),
      async (w, prisma) => ({ params: { broadcastId: await broadcastTo(prisma, { classIds: [w.classes.sameSchool.id] }, extra) }, ...b, why: 'a broadcast to another class of the school', roles: ['teacher'] }),
    ];
  };
  const pending = { status: 'pending_approval', needsApproval: true };
  return {
    'GET /admin/broadcasts/:broadcastId': { example: async (w, prisma) => ({ params: { broadcastId: await broadcastTo(prisma, { classIds: [w.classes.own.id] }) } }), scopeProbes: probes() },
    'POST /admin/broadcasts/:broadcastId/approve': { example: async (w, prisma) => ({ params: { broadcastId: await broadcastTo(prisma, { classIds: [w.classes.own.id] }, pending) } }), scopeProbes: probes({}, pending) },
    'POST /admin/broadcasts/:broadcastId/reject': { example: async (w, prisma) => ({ params: { broadcastId: await broadcastTo(prisma, { classIds: [w.classes.own.id] }, pending) } }), scopeProbes: probes({}, pending) },
    // Made by the teacher's account: its author may cancel it, and so may the school's and the office's admins.
    'POST /admin/broadcasts/:broadcastId/cancel': {
      example: async (w, prisma) => ({ params: { broadcastId: await broadcastTo(prisma, { classIds: [w.classes.own.id] }, { createdByStaffId: w.accounts.teacher.id }) }, body: { confirm: 'on' } }),
      scopeProbes: probes({ confirm: 'on' }),
    },
  };
}

/** Probes of a page about one school: another office's (every role) and a sibling school of the office (school-level roles). */
function schoolProbes(body?: Record<string, string>): RouteFixture['scopeProbes'] {
  return [
    (w) => ({ params: { schoolId: w.schools.foreign.id }, ...(body ? { body } : {}), why: 'a school of another office' }),
    (w) => ({ params: { schoolId: w.schools.sibling.id }, ...(body ? { body } : {}), why: 'another school of the same office', roles: ['school_admin', 'teacher'] }),
  ];
}

/** Probes of a page about one class: another office's, another school's (school-level roles), another class of the school (teacher). */
function classProbes(extra: Record<string, string> = {}, body?: Record<string, string>): RouteFixture['scopeProbes'] {
  const b = body ? { body } : {};
  return [
    (w) => ({ params: { classId: w.classes.foreign.id, ...extra }, ...b, why: 'a class of another office' }),
    async (w, prisma) => ({ params: { classId: (await prisma.class.findUniqueOrThrow({ where: { code: 'TP-1A' } })).id, ...extra }, ...b, why: 'a class of another school of the office', roles: ['school_admin', 'teacher'] }),
    (w) => ({ params: { classId: w.classes.sameSchool.id, ...extra }, ...b, why: 'another class of the same school', roles: ['teacher'] }),
  ];
}

function schoolPageFixtures(): Record<string, RouteFixture> {
  const school = (w: World) => ({ schoolId: w.schools.own.id });
  const cls = (w: World) => ({ classId: w.classes.own.id });
  const schoolBody = { name: 'Trường THCS Nguyễn Thị Thập', broadcastNeedsApproval: 'on' };
  return {
    'GET /admin/schools/:schoolId': { example: (w) => ({ params: school(w) }), scopeProbes: schoolProbes() },
    'POST /admin/schools/:schoolId': { example: (w) => ({ params: school(w), body: schoolBody }), scopeProbes: schoolProbes(schoolBody) },
    'POST /admin/schools/:schoolId/classes': { example: (w) => ({ params: school(w), body: { className: '9Z9', grade: '9' } }), scopeProbes: schoolProbes({ className: '9Z8', grade: '9' }) },
    'GET /admin/classes/:classId': { example: (w) => ({ params: cls(w) }), scopeProbes: classProbes() },
    'POST /admin/classes/:classId': { example: (w) => ({ params: cls(w), body: { name: '6A1', grade: '6' } }), scopeProbes: classProbes({}, { name: '6A1', grade: '6' }) },
    'POST /admin/classes/:classId/invites': { example: (w) => ({ params: cls(w), body: { days: '14' } }), scopeProbes: classProbes({}, { days: '14' }) },
    // The walk's server has neither Messenger nor Zalo configured: an admitted request finds no link to encode (404,
    // like a class outside the scope). test/admin/schools/class-links.test.ts configures Messenger and checks both.
    'GET /admin/classes/:classId/qr/:file': { example: (w) => ({ params: { ...cls(w), file: 'messenger.svg' } }), okStatus: 404 },
    'GET /admin/classes/:classId/roster': { example: (w) => ({ params: cls(w) }), scopeProbes: classProbes() },
    'POST /admin/classes/:classId/roster/preview': { example: (w) => ({ params: cls(w) }), scopeProbes: classProbes() },
    'POST /admin/classes/:classId/roster/import': { example: (w) => ({ params: cls(w) }), scopeProbes: classProbes() },
  };
}
