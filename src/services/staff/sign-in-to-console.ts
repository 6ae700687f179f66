import type { PrismaClient } from '../../store/database.js';
import { createRepos, inTransaction } from '../../store/repos.js';
import { recordAudit } from '../audit/record-audit.js';
import { authenticateStaff, type SignInAttempt, type SignInDeps } from './sign-in.js';
import type { SessionPolicy } from './session-token.js';
import { startSession, type StartedSession } from './start-session.js';

/** A console sign-in: a new session, a refusal, or a block with when to come back (seconds). */
export type ConsoleSignInResult =
  | { ok: true; session: StartedSession; staffId: string }
  | { ok: false; reason: 'denied' }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number };

/**
 * Signs a staff member of any console role in: checks the password under the attempt limits, opens a session and
 * records the sign-in. A refused attempt is recorded with the account's id when the address names one (and
 * without any when it names none); a throttled one is not recorded, since it costs no work and a flood of them
 * must not fill the log.
 */
export async function signInToConsole(deps: SignInDeps & { prisma: PrismaClient }, policy: SessionPolicy, attempt: Omit<SignInAttempt, 'roles'>): Promise<ConsoleSignInResult> {
  const r = await authenticateStaff(deps, attempt);
  if (!r.ok && r.reason === 'throttled') return r;
  if (!r.ok) {
    const a = r.account;
    await recordAudit(createRepos(deps.prisma), { staffId: a?.id ?? null, action: 'sign_in_failed', schoolId: a?.schoolId ?? null, officeId: a?.officeId ?? null, at: attempt.now });
    return { ok: false, reason: 'denied' };
  }
  const { account } = r;
  const session = await inTransaction(deps.prisma, async (repos) => {
    const started = await startSession(repos, { staffId: account.id, now: attempt.now, policy });
    await repos.staff.recordSignIn(account.id, attempt.now);
    await recordAudit(repos, { staffId: account.id, action: 'sign_in', schoolId: account.schoolId, officeId: account.officeId, at: attempt.now });
    return started;
  });
  return { ok: true, session, staffId: account.id };
}
