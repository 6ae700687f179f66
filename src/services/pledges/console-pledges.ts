import type { PrismaClient } from '../../store/database.js';
import { createRepos } from '../../store/repos.js';
import type { StaffScope } from '../staff/staff-scope.js';
import { classPledgeStatus, type ClassPledgeStatusResult } from './class-pledge-status.js';
import { exportPledges, type ExportPledgesResult, type PledgeExportFormat, type PledgeExportTarget } from './export-pledges.js';
import { listPledgeOverview, type PledgeOverview } from './list-pledge-overview.js';

/**
 * The pledge pages of the staff console (src/admin/pages/pledges/): each verb takes the account's `StaffScope` and
 * checks it on the server. An export is recorded in the audit log before its file is handed out (no transaction:
 * building a workbook must not hold the embedded database's only connection).
 */
export interface ConsolePledges {
  overview(scope: StaffScope, opts?: { schoolId?: string }): Promise<PledgeOverview>;
  classStatus(scope: StaffScope, classId: string): Promise<ClassPledgeStatusResult>;
  export(scope: StaffScope, target: PledgeExportTarget, format: PledgeExportFormat, actor: { staffId: string; now: Date }): Promise<ExportPledgesResult>;
}

/** Wires the console's pledge verbs to the database. */
export function createConsolePledges(opts: { prisma: PrismaClient }): ConsolePledges {
  return {
    overview: (scope, o) => listPledgeOverview(createRepos(opts.prisma), scope, o),
    classStatus: (scope, classId) => classPledgeStatus(createRepos(opts.prisma), scope, classId),
    export: (scope, target, format, actor) => exportPledges(createRepos(opts.prisma), scope, target, format, actor),
  };
}
