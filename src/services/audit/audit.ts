import type { PrismaClient } from '../../store/database.js';
import { createRepos } from '../../store/repos.js';
import type { StaffScope } from '../staff/staff-scope.js';
import { listAudit, type AuditQuery, type ListAuditResult } from './list-audit.js';
import { recordAudit, type AuditEntry } from './record-audit.js';

/** The audit log as the console uses it (each call its own statement; inside a transaction call `recordAudit`). */
export interface ConsoleAudit {
  record(entry: AuditEntry): Promise<void>;
  list(scope: StaffScope, query?: AuditQuery): Promise<ListAuditResult>;
}

/** Wires the audit verbs to the database. */
export function createConsoleAudit(opts: { prisma: PrismaClient }): ConsoleAudit {
  return {
    record: (entry) => recordAudit(createRepos(opts.prisma), entry),
    list: (scope, query) => listAudit(createRepos(opts.prisma), scope, query),
  };
}
