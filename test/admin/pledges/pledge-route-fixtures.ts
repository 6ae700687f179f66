import type { RouteFixture } from '../route-fixtures.js';

const classRoute: RouteFixture = {
  example: (w) => ({ params: { classId: w.classes.own.id } }),
  scopeProbes: [
    (w) => ({ params: { classId: w.classes.foreign.id }, why: 'a class of a school of another office' }),
    (w) => ({ params: { classId: w.classes.sameSchool.id }, why: "another class of the teacher's school (6A2 for the teacher of 6A1)", roles: ['teacher'] }),
  ],
};

const schoolRoute: RouteFixture = {
  example: (w) => ({ params: { schoolId: w.schools.own.id } }),
  scopeProbes: [
    (w) => ({ params: { schoolId: w.schools.foreign.id }, why: 'a school of another office' }),
    (w) => ({ params: { schoolId: w.schools.sibling.id }, why: 'another school of the office (outside a school admin)', roles: ['school_admin'] }),
  ],
};

/** Route-walk fixtures of the pledge pages and exports (spread into ROUTE_FIXTURES). */
export const PLEDGE_ROUTE_FIXTURES: Record<string, RouteFixture> = {
  'GET /admin/pledges/classes/:classId': classRoute,
  'GET /admin/pledges/classes/:classId/export.xlsx': classRoute,
  'GET /admin/pledges/classes/:classId/export.csv': classRoute,
  'GET /admin/pledges/schools/:schoolId/export.xlsx': schoolRoute,
  'GET /admin/pledges/schools/:schoolId/export.csv': schoolRoute,
};
