import type { PrismaClient } from '../../store/database.js';
import { createRepos, inTransaction, type Repos } from '../../store/repos.js';

/** Runs work in one transaction with repositories bound to it: all of it commits or none. */
export type RunInTransaction = <T>(fn: (repos: Repos) => Promise<T>) => Promise<T>;

/** What the roster verbs that write need: repositories for reads, and a transaction for the write. */
export interface RosterDeps {
  repos: Repos;
  transaction: RunInTransaction;
}

/** The roster verbs' dependencies over one Prisma client. */
export function rosterDeps(prisma: PrismaClient): RosterDeps {
  return { repos: createRepos(prisma), transaction: (fn) => inTransaction(prisma, fn) };
}
