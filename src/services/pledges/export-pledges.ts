import type { Repos } from '../../store/repos.js';
import { recordAudit } from '../audit/record-audit.js';
import type { StaffScope } from '../staff/staff-scope.js';
import { pledgeExportOfClass, pledgeExportOfSchool } from './pledge-export-data.js';
import { hasNames, pupilTable, summaryTable } from './pledge-export-table.js';
import { renderPledgeCsv } from './render-pledge-csv.js';
import { renderPledgeXlsx } from './render-pledge-xlsx.js';

/** What to export: one class, or every class of a school. */
export type PledgeExportTarget = { kind: 'class'; classId: string } | { kind: 'school'; schoolId: string };
export type PledgeExportFormat = 'xlsx' | 'csv';

/** A file ready to download. */
export interface PledgeExportFile {
  filename: string;
  contentType: string;
  body: Buffer;
}

/** The file, or not found (missing, or outside the account's scope: a school export is for its admins only). */
export type ExportPledgesResult = { ok: true; file: PledgeExportFile } | { ok: false; reason: 'not_found' };

const TYPES: Record<PledgeExportFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
};

/**
 * Exports the pledges of a class or a school in the active campaign as XLSX or CSV, within the account's scope:
 * pupils' names only for classes whose names it may read, else the figures. The export is recorded in the audit log
 * (what, which format, how many rows, whether names were in it) before the file is returned: no entry, no file.
 */
export async function exportPledges(repos: Repos, scope: StaffScope, target: PledgeExportTarget, format: PledgeExportFormat, actor: { staffId: string; now: Date }): Promise<ExportPledgesResult> {
  const r = target.kind === 'class' ? await pledgeExportOfClass(repos, scope, target.classId) : await pledgeExportOfSchool(repos, scope, target.schoolId);
  if (!r.ok) return r;
  const { data } = r;
  const names = hasNames(data);
  const table = names ? pupilTable(data) : summaryTable(data);
  const body = format === 'xlsx' ? await renderPledgeXlsx(data, actor.now) : renderPledgeCsv(table);
  await recordAudit(repos, {
    staffId: actor.staffId,
    action: 'export_downloaded',
    targetType: target.kind,
    targetId: data.target.id,
    schoolId: data.target.schoolId,
    detail: { export: 'pledges', format, rows: table.rows.length, names, campaign: data.campaign?.id ?? null },
    at: actor.now,
  });
  const day = actor.now.toISOString().slice(0, 10);
  const code = data.target.code.replace(/[^A-Za-z0-9-]/g, '') || data.target.kind;
  return { ok: true, file: { filename: `cam-ket-${code}-${day}.${format}`, contentType: TYPES[format], body } };
}
