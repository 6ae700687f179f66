import type { PrismaClient } from '../../store/database.js';
import { createRepos } from '../../store/repos.js';
import type { StaffAccount } from '../../store/staff.repo.js';
import type { TipScope } from '../../store/tip.repo.js';
import { secondsUntil, type AttemptLimits } from '../limits/attempt-limits.js';
import { hashPassword, verifyPassword } from './hash-password.js';
import { STAFF_ROLES, type StaffRole } from './staff-scope.js';

/** The outcome of a handler's sign-in: their scope, a refusal, or a block with when to come back. */
export type SignInResult = { ok: true; scope: TipScope } | { ok: false; reason: 'denied' } | { ok: false; reason: 'throttled'; retryAfterSeconds: number };

/** The account an address names, as the audit log of a failed sign-in records it. */
export type KnownAccount = Pick<StaffAccount, 'id' | 'schoolId' | 'officeId'>;

/**
 * The outcome of checking a password: the account, a refusal (with the account when the address names one, for the
 * audit log; never shown to the person signing in), or a block with when to come back.
 */
export type AuthenticateResult =
  | { ok: true; account: StaffAccount & { role: StaffRole } }
  | { ok: false; reason: 'denied'; account: KnownAccount | null }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number };

/** What sign-in needs: the database and the attempt limits. */
export interface SignInDeps {
  prisma: PrismaClient;
  limits: AttemptLimits;
}

/** One sign-in attempt; `roles` are the roles this door admits (default: every console role). */
export interface SignInAttempt {
  email: string;
  password: string;
  clientAddress: string;
  now: Date;
  roles?: readonly StaffRole[];
}

// The hash an unknown account is checked against, so that it costs the same work as a known one.
let dummyHash: Promise<string> | undefined;

/**
 * Checks an e-mail address and password: failures are limited per source address and per account. Unknown accounts
 * cost the same hash work, so timing does not tell which exist. An account whose role this door does not admit is
 * refused like a wrong password, and counts as a failure; so is a deactivated account. Outside a transaction: argon2 must not hold the database's
 * only connection (embedded mode).
 */
export async function authenticateStaff(deps: SignInDeps, attempt: SignInAttempt): Promise<AuthenticateResult> {
  const repos = createRepos(deps.prisma);
  const account = attempt.email.trim().toLowerCase();
  const gate = await deps.limits.signIn(repos, account, attempt.clientAddress, attempt.now);
  if (!gate.ok) return { ok: false, reason: 'throttled', retryAfterSeconds: secondsUntil(gate.retryAt, attempt.now) };
  const staff = await repos.staff.byEmail(account);
  const matches = await verifyPassword(staff?.passwordHash ?? (await (dummyHash ??= hashPassword('not-a-password'))), attempt.password);
  const roles = attempt.roles ?? STAFF_ROLES;
  // A deactivated account is refused like a wrong password (and counts as a failure): nothing tells it apart.
  if (!staff || !matches || !staff.active || !(roles as readonly string[]).includes(staff.role)) return { ok: false, reason: 'denied', account: staff ? { id: staff.id, schoolId: staff.schoolId, officeId: staff.officeId } : null };
  await gate.succeeded();
  return { ok: true, account: staff as StaffAccount & { role: StaffRole } };
}

/**
 * Signs a tip handler or admin in to the JSON tip API (`/api/tips`): the account's tip scope, or a refusal. Other
 * roles are refused like a wrong password.
 */
export async function signIn(deps: SignInDeps, email: string, password: string, clientAddress: string, now: Date): Promise<SignInResult> {
  const r = await authenticateStaff(deps, { email, password, clientAddress, now, roles: ['tip_handler', 'admin'] });
  if (!r.ok) return r.reason === 'throttled' ? r : { ok: false, reason: 'denied' };
  const staff = r.account;
  if (staff.role === 'admin') return { ok: true, scope: { kind: 'all' } };
  if (staff.officeId) return { ok: true, scope: { kind: 'office', schoolIds: await createRepos(deps.prisma).staff.schoolIdsOfOffice(staff.officeId) } };
  if (staff.schoolId) return { ok: true, scope: { kind: 'school', schoolId: staff.schoolId } };
  return { ok: true, scope: { kind: 'none' } };
}
