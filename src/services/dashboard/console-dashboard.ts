import type { PrismaClient } from '../../store/database.js';
import { createRepos } from '../../store/repos.js';
import { listSchools } from '../schools/list-schools.js';
import { seesSchool, type StaffScope } from '../staff/staff-scope.js';
import { dashboardFigures, type DashboardFiguresResult } from './dashboard-figures.js';

/** A school the dashboard's filter offers. */
export interface DashboardSchoolChoice {
  id: string;
  name: string;
}

/** The dashboard verbs the console calls (this only wires them to the database). */
export interface ConsoleDashboard {
  /** Every section of the dashboard for a scope, optionally one school of it (`not_visible` outside the scope). */
  figures(scope: StaffScope, now: Date, opts?: { schoolId?: string }): Promise<DashboardFiguresResult>;
  /** The schools an admin may narrow the dashboard to, by name (empty for the other roles: they reach one school). */
  schoolChoices(scope: StaffScope): Promise<DashboardSchoolChoice[]>;
}

/** Wires the dashboard verbs to the database. */
export function createConsoleDashboard(opts: { prisma: PrismaClient }): ConsoleDashboard {
  const repos = () => createRepos(opts.prisma);
  return {
    figures: (scope, now, o = {}) => dashboardFigures(repos(), scope, now, o),
    async schoolChoices(scope) {
      if (scope.role !== 'admin') return [];
      const out = await listSchools(repos(), scope);
      if (!out.ok) return [];
      // Only the schools the figures reach (a school of the office that the scope does not list answers not_visible).
      return out.schools.filter((s) => seesSchool(scope, s.id)).map((s) => ({ id: s.id, name: s.name })).sort((a, b) => a.name.localeCompare(b.name, 'vi'));
    },
  };
}
