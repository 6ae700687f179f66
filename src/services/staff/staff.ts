import type { PrismaClient } from '../../store/database.js';
import { attemptLimitsFor } from '../limits/attempt-limits.js';
import { signIn, type SignInResult } from './sign-in.js';

/** Staff accounts as the HTTP edge (and later the console) uses them. */
export interface Staff {
  signIn(email: string, password: string, clientAddress: string, now?: Date): Promise<SignInResult>;
}

/** Wires the staff verbs; the attempt counters are keyed from TIP_HANDLE_KEY like the tip follow-up limits. */
export function createStaff(opts: { prisma: PrismaClient; handleKey: Buffer }): Staff {
  const deps = { prisma: opts.prisma, limits: attemptLimitsFor(opts.handleKey) };
  return { signIn: (email, password, clientAddress, now = new Date()) => signIn(deps, email, password, clientAddress, now) };
}
