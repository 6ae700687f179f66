import type { PrismaClient } from '../../store/database.js';
import { createRepos, inTransaction, type Repos } from '../../store/repos.js';
import { recordAudit } from '../audit/record-audit.js';
import type { ChannelAccounts } from '../classes/class-links.js';
import type { CreateClassInput, UpdateClassInput } from '../classes/class-input.schema.js';
import { classQr, type ClassQrRequest, type ClassQrResult } from '../classes/class-qr.js';
import { createClassInvite, type CreateClassInviteResult } from '../classes/create-class-invite.js';
import { createClass, type CreateClassResult } from '../classes/create-class.js';
import { listClasses, type ListClassesResult } from '../classes/list-classes.js';
import { updateClass, type UpdateClassResult } from '../classes/update-class.js';
import { viewClass, type ViewClassResult } from '../classes/view-class.js';
import { importRoster, type ImportRosterRequest, type ImportRosterResult } from '../rosters/import-roster.js';
import { previewRosterImport, type PreviewRosterResult, type RosterImportRequest } from '../rosters/preview-roster-import.js';
import type { RosterDeps } from '../rosters/roster-deps.js';
import type { StaffScope } from '../staff/staff-scope.js';
import { createSchool, type CreateSchoolResult } from './create-school.js';
import { listSchools, type ListSchoolsResult } from './list-schools.js';
import { managesSchool } from './school-access.js';
import type { CreateSchoolInput, UpdateSchoolInput } from './school-input.schema.js';
import { updateSchool, type UpdateSchoolResult } from './update-school.js';

export type { ClassListItem, ClassRecord, SchoolListItem, SchoolRecord } from '../../store/school-admin.repo.js';

/** What the console's school, class and roster verbs are wired with (from config, through src/main.ts). */
export interface ConsoleSchoolsOptions {
  prisma: PrismaClient;
  /** `teacherInviteKey(APP_SECRET)`: teacher codes are stored as its HMAC. */
  inviteKey: Buffer;
  /** The Messenger Page and Zalo OA that class links and QR codes point at (null: that channel is off). */
  accounts: ChannelAccounts;
}

/** A school's page: the school, the classes this account reaches, and whether it may change them. */
export type SchoolPageResult = (ListClassesResult & { ok: true; canManage: boolean }) | { ok: false; reason: 'not_found' };

/**
 * The school, class and roster verbs the console calls (one verb per file in schools/, classes/, rosters/; this only
 * wires them). Every change is recorded in the audit log in the same transaction (ids and counts, never names).
 */
export interface ConsoleSchools {
  readonly accounts: ChannelAccounts;
  list(scope: StaffScope): Promise<ListSchoolsResult>;
  /** The offices a new school may go in: every office for a system admin, the admin's own office otherwise. */
  offices(scope: StaffScope): Promise<{ id: string; code: string; name: string }[]>;
  create(scope: StaffScope, input: CreateSchoolInput, now: Date): Promise<CreateSchoolResult>;
  update(scope: StaffScope, schoolId: string, input: UpdateSchoolInput, now: Date): Promise<UpdateSchoolResult>;
  school(scope: StaffScope, schoolId: string): Promise<SchoolPageResult>;
  createClass(scope: StaffScope, schoolId: string, input: CreateClassInput, now: Date): Promise<CreateClassResult>;
  updateClass(scope: StaffScope, classId: string, input: UpdateClassInput, now: Date): Promise<UpdateClassResult>;
  viewClass(scope: StaffScope, classId: string): Promise<ViewClassResult>;
  qr(scope: StaffScope, classId: string, req: ClassQrRequest): Promise<ClassQrResult>;
  /** A single-use teacher code of a class (show it once). */
  createInvite(scope: StaffScope, req: { classId: string; days?: number | undefined; now: Date }): Promise<CreateClassInviteResult>;
  previewRoster(scope: StaffScope, req: RosterImportRequest): Promise<PreviewRosterResult>;
  importRoster(scope: StaffScope, req: ImportRosterRequest, now: Date): Promise<ImportRosterResult>;
}

/** Wires the console's school, class and roster verbs to the database. */
export function createConsoleSchools(opts: ConsoleSchoolsOptions): ConsoleSchools {
  const { prisma, accounts } = opts;
  const reads = () => createRepos(prisma);
  const tx = <T>(fn: (repos: Repos) => Promise<T>) => inTransaction(prisma, fn);
  return {
    accounts,
    list: (scope) => listSchools(reads(), scope),
    async offices(scope) {
      if (scope.role !== 'admin') return [];
      const all = await reads().consoleLists.offices();
      return scope.officeId === null && scope.schoolIds === 'all' ? all : all.filter((o) => o.id === scope.officeId);
    },
    create: (scope, input, now) =>
      tx(async (repos) => {
        const out = await createSchool(repos, scope, input);
        if (out.ok) await recordAudit(repos, { staffId: scope.staffId, action: 'school_created', targetType: 'school', targetId: out.school.id, schoolId: out.school.id, detail: { code: out.school.code }, at: now });
        return out;
      }),
    update: (scope, schoolId, input, now) =>
      tx(async (repos) => {
        const out = await updateSchool(repos, scope, schoolId, input);
        if (out.ok) {
          const detail = { name: input.name !== undefined, broadcastNeedsApproval: out.school.broadcastNeedsApproval };
          await recordAudit(repos, { staffId: scope.staffId, action: 'school_updated', targetType: 'school', targetId: out.school.id, schoolId: out.school.id, detail, at: now });
        }
        return out;
      }),
    async school(scope, schoolId) {
      const out = await listClasses(reads(), scope, schoolId);
      return out.ok ? { ...out, canManage: managesSchool(scope, out.school) } : out;
    },
    createClass: (scope, schoolId, input, now) =>
      tx(async (repos) => {
        const out = await createClass(repos, scope, schoolId, input, now);
        if (out.ok) {
          const c = out.class;
          await recordAudit(repos, { staffId: scope.staffId, action: 'class_created', targetType: 'class', targetId: c.id, schoolId: c.schoolId, detail: { code: c.code, grade: c.grade, schoolYear: c.schoolYear }, at: now });
        }
        return out;
      }),
    updateClass: (scope, classId, input, now) =>
      tx(async (repos) => {
        const out = await updateClass(repos, scope, classId, input);
        if (out.ok) {
          const c = out.class;
          await recordAudit(repos, { staffId: scope.staffId, action: 'class_updated', targetType: 'class', targetId: c.id, schoolId: c.schoolId, detail: { code: c.code, grade: c.grade }, at: now });
        }
        return out;
      }),
    viewClass: (scope, classId) => viewClass(reads(), scope, classId, accounts),
    qr: (scope, classId, req) => classQr(reads(), scope, classId, accounts, req),
    createInvite: (scope, req) =>
      tx(async (repos) => {
        const out = await createClassInvite(repos, opts.inviteKey, scope, req);
        if (out.ok) {
          const cls = await repos.schoolAdmin.getClass(req.classId);
          // The code itself is never recorded: only that one was made, for which class, valid how long.
          await recordAudit(repos, { staffId: scope.staffId, action: 'teacher_invite_created', targetType: 'class', targetId: req.classId, schoolId: cls?.schoolId ?? null, detail: { days: Math.round((out.expiresAt.getTime() - req.now.getTime()) / 86_400_000) }, at: req.now });
        }
        return out;
      }),
    previewRoster: (scope, req) => previewRosterImport(reads(), scope, req),
    importRoster(scope, req, now) {
      // The audit entry commits with the roster change: it is written inside importRoster's own transaction, once the
      // plan has been applied (an import refused inside the transaction records nothing).
      const deps: RosterDeps = {
        repos: reads(),
        transaction: (fn) =>
          tx(async (repos) => {
            const out = await fn(repos);
            const done = out as ImportRosterResult;
            if (done.ok) {
              const cls = await repos.schoolAdmin.getClass(req.classId);
              await recordAudit(repos, {
                staffId: scope.staffId,
                action: 'roster_imported',
                targetType: 'class',
                targetId: req.classId,
                schoolId: cls?.schoolId ?? null,
                detail: { mode: req.mode, added: done.added, respelled: done.respelled, removed: done.removed, rosterSize: done.rosterSize },
                at: now,
              });
            }
            return out;
          }),
      };
      return importRoster(deps, scope, req);
    },
  };
}
