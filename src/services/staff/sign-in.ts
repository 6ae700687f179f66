import type { PrismaClient } from '../../store/database.js';
import { createRepos } from '../../store/repos.js';
import type { TipScope } from '../../store/tip.repo.js';
import { secondsUntil, type AttemptLimits } from '../limits/attempt-limits.js';
import { hashPassword, verifyPassword } from './hash-password.js';

/** The outcome of a handler's sign-in: their scope, a refusal, or a block with when to come back. */
export type SignInResult = { ok: true; scope: TipScope } | { ok: false; reason: 'denied' } | { ok: false; reason: 'throttled'; retryAfterSeconds: number };

/** What sign-in needs: the database and the attempt limits. */
export interface SignInDeps {
  prisma: PrismaClient;
  limits: AttemptLimits;
}

// The hash an unknown account is checked against, so that it costs the same work as a known one.
let dummyHash: Promise<string> | undefined;

/**
 * Signs a tip handler or admin in: failures are limited per source address and per account, the account's scope is
 * resolved. Unknown accounts cost the same hash work, so timing does not tell which exist. Outside a transaction:
 * argon2 must not hold the database's only connection (embedded mode).
 */
export async function signIn(deps: SignInDeps, email: string, password: string, clientAddress: string, now: Date): Promise<SignInResult> {
  const repos = createRepos(deps.prisma);
  const account = email.trim().toLowerCase();
  const gate = await deps.limits.signIn(repos, account, clientAddress, now);
  if (!gate.ok) return { ok: false, reason: 'throttled', retryAfterSeconds: secondsUntil(gate.retryAt, now) };
  const staff = await repos.staff.byEmail(account);
  const matches = await verifyPassword(staff?.passwordHash ?? (await (dummyHash ??= hashPassword('not-a-password'))), password);
  if (!staff || !matches || (staff.role !== 'tip_handler' && staff.role !== 'admin')) return { ok: false, reason: 'denied' };
  await gate.succeeded();
  if (staff.role === 'admin') return { ok: true, scope: { kind: 'all' } };
  if (staff.officeId) return { ok: true, scope: { kind: 'office', schoolIds: await repos.staff.schoolIdsOfOffice(staff.officeId) } };
  if (staff.schoolId) return { ok: true, scope: { kind: 'school', schoolId: staff.schoolId } };
  return { ok: true, scope: { kind: 'none' } };
}
