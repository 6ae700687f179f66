import type { PledgeExportFormat, PledgeExportTarget } from '../../../services/pledges/export-pledges.js';
import { defineRoute, download, notFound, type Reply, type StaffContext } from '../../route.js';
import { PLEDGE_ROLES, SCHOOL_EXPORT_ROLES } from './pledges.page.js';

const ID = /^[0-9A-Za-z-]{1,64}$/;

async function exportFile(ctx: StaffContext, target: PledgeExportTarget, format: PledgeExportFormat): Promise<Reply> {
  const id = target.kind === 'class' ? target.classId : target.schoolId;
  if (!ID.test(id)) return notFound();
  const r = await ctx.deps.pledgeStatus.export(ctx.scope, target, format, { staffId: ctx.staff.id, now: ctx.now });
  if (!r.ok) return notFound();
  return download(r.file.filename, r.file.contentType, r.file.body);
}

/** Pledge exports of a class (its teacher, its school's admins) and of a school (admins), XLSX or CSV, audited. */
export const pledgeExportRoutes = (['xlsx', 'csv'] as const).flatMap((format) => [
  defineRoute({
    method: 'GET',
    path: `/admin/pledges/classes/:classId/export.${format}`,
    access: PLEDGE_ROLES,
    handler: (ctx) => exportFile(ctx, { kind: 'class', classId: ctx.params.classId ?? '' }, format),
  }),
  defineRoute({
    method: 'GET',
    path: `/admin/pledges/schools/:schoolId/export.${format}`,
    access: SCHOOL_EXPORT_ROLES,
    handler: (ctx) => exportFile(ctx, { kind: 'school', schoolId: ctx.params.schoolId ?? '' }, format),
  }),
]);
