import type { RouteFixture, RouteSample, ScopeProbe, PrismaLike } from '../route-fixtures.js';
import type { World } from '../helpers/console-app.js';
import { fixtureTip } from './tip-fixtures.js';

type Make = (w: World, prisma: PrismaLike) => Promise<RouteSample>;
type Tip = { id: string; photoId: string | null; schoolId: string | null };

/** Probes for one tip route: another office's tip (every role), a sibling school's and a schoolless one (the school's handler). */
function probes(sample: (tip: Tip) => RouteSample, photo = false): RouteFixture['scopeProbes'] {
  const at = (schoolOf: (w: World) => string | null, why: string, roles?: ScopeProbe['roles']) => async (w: World, prisma: PrismaLike): Promise<ScopeProbe> => {
    const schoolId = schoolOf(w);
    return { ...sample({ ...(await fixtureTip(prisma, { schoolId, photo })), schoolId }), why, ...(roles ? { roles } : {}) };
  };
  return [
    at((w) => w.schools.foreign.id, 'a tip of a school of another office'),
    at((w) => w.schools.sibling.id, "a tip of another school of the office (outside a school's handler)", ['tip_handler']),
    at(() => null, "a tip naming no school (only office-level accounts see it)", ['tip_handler']),
  ];
}

function route(sample: (tip: Tip) => RouteSample, opts: { urgent?: boolean; photo?: boolean } = {}): RouteFixture {
  const example: Make = async (w, prisma) => sample({ ...(await fixtureTip(prisma, { schoolId: w.schools.own.id, urgent: opts.urgent ?? false, photo: opts.photo ?? false })), schoolId: w.schools.own.id });
  return { example, scopeProbes: probes(sample, opts.photo ?? false) };
}

/** Route-walk fixtures of the tips inbox (spread into ROUTE_FIXTURES). */
export const TIP_ROUTE_FIXTURES: Record<string, RouteFixture> = {
  'GET /admin/tips/:id': route((t) => ({ params: { id: t.id } })),
  'GET /admin/tips/:id/photos/:photoId': route((t) => ({ params: { id: t.id, photoId: t.photoId ?? 'none' } }), { photo: true }),
  'POST /admin/tips/:id/triage': route((t) => ({ params: { id: t.id }, body: { category: 'theft', urgent: 'no', status: 'triaged', school: t.schoolId ?? 'none' } })),
  'POST /admin/tips/:id/reply': route((t) => ({ params: { id: t.id }, body: { text: 'Cảm ơn bạn, nhà trường đang xác minh.' } })),
  'POST /admin/tips/:id/notes': route((t) => ({ params: { id: t.id }, body: { text: 'Đã báo bảo vệ trường theo dõi cổng sau.' } })),
  'POST /admin/tips/:id/close': route((t) => ({ params: { id: t.id }, body: { outcome: 'resolved' } })),
  'POST /admin/tips/:id/acknowledge': route((t) => ({ params: { id: t.id } }), { urgent: true }),
};
