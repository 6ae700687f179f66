import type { PrismaClient } from '../../store/database.js';
import { createRepos } from '../../store/repos.js';
import type { StaffScope } from '../staff/staff-scope.js';
import { renderReportDocx, type ReportDocumentOptions } from './render-report-docx.js';
import { renderReportXlsx } from './render-report-xlsx.js';
import type { DeadlineRegion } from './report-deadlines.js';
import { reportFigures, type ReportFiguresResult } from './report-figures.js';
import type { ReportUnit, ReportFigures } from './report-types.js';
import { reportUnits, type ReportUnitChoice } from './report-units.js';

/** The periodic report's verbs as the console calls them (this only wires them to the database). */
export interface ConsoleReports {
  /** The area whose plan's deadlines the reports page shows (REPORT_REGION); null: every plan's. */
  readonly region: DeadlineRegion | null;
  /** The units the scope may report on (offices first, then schools). */
  units(scope: StaffScope): Promise<ReportUnitChoice[]>;
  /** The figures of a unit over a period, checked against the scope (`period` as the form sent it). */
  figures(scope: StaffScope, req: { unit: ReportUnit; period: unknown }, now: Date): Promise<ReportFiguresResult>;
  /** The report as a Word document. */
  docx(report: ReportFigures, opts?: ReportDocumentOptions): Promise<Buffer>;
  /** The report as an Excel workbook. */
  xlsx(report: ReportFigures): Promise<Buffer>;
}

/** Wires the report verbs to the database. */
export function createConsoleReports(opts: { prisma: PrismaClient; region?: DeadlineRegion | null }): ConsoleReports {
  const repos = () => createRepos(opts.prisma);
  return {
    region: opts.region ?? null,
    units: (scope) => reportUnits(repos(), scope),
    figures: (scope, req, now) => reportFigures(repos(), scope, req, now),
    docx: (report, o) => renderReportDocx(report, o),
    xlsx: (report) => renderReportXlsx(report),
  };
}
