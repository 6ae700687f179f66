import type { PrismaClient } from '../../store/database.js';
import { createRepos, inTransaction } from '../../store/repos.js';
import { recordAudit } from '../audit/record-audit.js';
import { attemptLimitsFor } from '../limits/attempt-limits.js';
import { createStaffLinkCode, type CreateLinkCodeOutcome } from '../notifications/create-staff-link-code.js';
import { chosenAccountPassword, newAccountPassword } from './account-password.js';
import { changeOwnPassword, type ChangeOwnPasswordResult } from './change-own-password.js';
import { changeStaffRole, type ChangeStaffRoleResult } from './change-staff-role.js';
import { createStaffAccount, type CreateStaffAccountRequest, type CreateStaffAccountResult } from './create-staff-account.js';
import { describeStaffScope, type ScopePlaces } from './describe-staff-scope.js';
import { endSession } from './end-session.js';
import { listStaffAccounts, type ListStaffAccountsResult } from './list-staff-accounts.js';
import { resetStaffPassword, type ResetStaffPasswordResult } from './reset-staff-password.js';
import { resumeSession, type ResumeSessionResult, type SignedInStaff } from './resume-session.js';
import type { SessionPolicy } from './session-token.js';
import { setStaffActive, type SetStaffActiveResult } from './set-staff-active.js';
import { signInToConsole, type ConsoleSignInResult } from './sign-in-to-console.js';
import type { PlacementRequest } from './staff-placement.js';
import type { StaffScope } from './staff-scope.js';
import { viewStaffAccount, type ViewStaffAccountResult } from './view-staff-account.js';

/** What the console's staff verbs are wired with (keys come from config through src/main.ts). */
export interface ConsoleStaffOptions {
  prisma: PrismaClient;
  /** TIP_HANDLE_KEY: the attempt limits' keyed hashes, shared with the tip API's sign-in limits. */
  handleKey: Buffer;
  /** The staff chat link code key (`staffLinkKey`). */
  linkKey: Buffer;
  sessions: SessionPolicy;
}

/** A new account and its password (shown once), or why not; `bad_password`: a chosen one is too short. */
export type CreatedAccount = (CreateStaffAccountResult & { ok: true; password: string }) | Exclude<CreateStaffAccountResult, { ok: true }> | { ok: false; reason: 'bad_password' };

/** A reset account's new password (shown once), or why not. */
export type ResetPassword = (ResetStaffPasswordResult & { ok: true; password: string }) | Exclude<ResetStaffPasswordResult, { ok: true }>;

/** The staff verbs the console calls (one verb per file in this folder; this only wires them). */
export interface ConsoleStaff {
  readonly sessionPolicy: SessionPolicy;
  /** Checks the password (limited per account and source), opens a session, records the attempt. */
  signIn(attempt: { email: string; password: string; clientAddress: string; now: Date }): Promise<ConsoleSignInResult>;
  /** The session of a cookie token, with the account's scope as it is now. */
  resume(token: string, now: Date): Promise<ResumeSessionResult>;
  /** Deletes the session of a cookie token (and records the sign-out when it was signed in). */
  signOut(token: string, session: SignedInStaff | null, now: Date): Promise<boolean>;
  /** The names of the places of a session's scope. */
  places(session: SignedInStaff): Promise<ScopePlaces>;
  /** A single-use chat link code for the signed-in account (shown once), recorded in the audit log. */
  createLinkCode(session: SignedInStaff, now: Date): Promise<CreateLinkCodeOutcome>;
  /** Creates an account; without `password` one is generated and returned once. `actor` null: the command line. */
  createAccount(actor: StaffScope | null, req: CreateStaffAccountRequest, now: Date, password?: string): Promise<CreatedAccount>;
  /** Gives an account a new role and places (admins within their office, school admins within their school, up to their own role). */
  changeRole(actor: StaffScope, req: PlacementRequest & { staffId: string }, now: Date): Promise<ChangeStaffRoleResult>;
  /** One page (from 1) of the accounts the actor reaches (admins, school admins). */
  list(actor: StaffScope, page: number): Promise<ListStaffAccountsResult>;
  /** One account the actor reaches. */
  account(actor: StaffScope, staffId: string): Promise<ViewStaffAccountResult>;
  /** Deactivates (ending its sessions) or reactivates an account the actor manages. */
  setActive(actor: StaffScope, req: { staffId: string; active: boolean }, now: Date): Promise<SetStaffActiveResult>;
  /** Gives an account the actor manages a new random password (returned once) and ends its sessions. */
  resetPassword(actor: StaffScope, staffId: string, now: Date): Promise<ResetPassword>;
  /** Changes the signed-in account's own password (current one checked under the sign-in limits); other sessions end. */
  changeOwnPassword(session: SignedInStaff, req: { currentPassword: string; newPassword: string; clientAddress: string }, now: Date): Promise<ChangeOwnPasswordResult>;
}

/** Wires the console's staff verbs to the database. */
export function createConsoleStaff(opts: ConsoleStaffOptions): ConsoleStaff {
  const { prisma, sessions: policy } = opts;
  const signInDeps = { prisma, limits: attemptLimitsFor(opts.handleKey) };
  const tx = <T>(fn: (repos: ReturnType<typeof createRepos>) => Promise<T>) => inTransaction(prisma, fn);
  return {
    sessionPolicy: policy,
    signIn: (attempt) => signInToConsole(signInDeps, policy, attempt),
    resume: (token, now) => resumeSession(createRepos(prisma), { token, now, policy }),
    signOut: (token, session, now) =>
      tx((repos) => endSession(repos, { token, staffId: session?.staff.id ?? null, schoolId: session?.staff.schoolId ?? null, officeId: session?.staff.officeId ?? null, now })),
    places: (session) => describeStaffScope(createRepos(prisma), session.scope, session.staff),
    createLinkCode: (session, now) =>
      tx(async (repos) => {
        const out = await createStaffLinkCode(repos, opts.linkKey, { email: session.staff.email, now });
        if (out.ok) {
          const { staff } = session;
          await recordAudit(repos, { staffId: staff.id, action: 'link_code_created', targetType: 'staff', targetId: staff.id, schoolId: staff.schoolId, officeId: staff.officeId, at: now });
        }
        return out;
      }),
    async createAccount(actor, req, now, password) {
      // Hashing is slow CPU work: done before the transaction opens.
      const prepared = password === undefined ? await newAccountPassword() : await chosenAccountPassword(password);
      if (!prepared) return { ok: false, reason: 'bad_password' };
      const out = await tx((repos) => createStaffAccount(repos, req, prepared, { actor, now }));
      return out.ok ? { ...out, password: prepared.password } : out;
    },
    changeRole: (actor, req, now) => tx((repos) => changeStaffRole(repos, req, { actor, now })),
    list: (actor, page) => listStaffAccounts(createRepos(prisma), actor, { page }),
    account: (actor, staffId) => viewStaffAccount(createRepos(prisma), actor, staffId),
    setActive: (actor, req, now) => tx((repos) => setStaffActive(repos, req, { actor, now })),
    async resetPassword(actor, staffId, now) {
      // Hashing is slow CPU work: done before the transaction opens.
      const prepared = await newAccountPassword();
      const out = await tx((repos) => resetStaffPassword(repos, { staffId }, prepared, { actor, now }));
      return out.ok ? { ...out, password: prepared.password } : out;
    },
    changeOwnPassword: (session, req, now) =>
      changeOwnPassword(signInDeps, { ...req, staffId: session.staff.id, email: session.staff.email, sessionId: session.sessionId, now }),
  };
}
