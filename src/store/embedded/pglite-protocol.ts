/** One call from the main thread to the embedded database's thread (ids of adapters and transactions are its own). */
export type ThreadRequest = { id: number } & (
  | { op: 'connect' | 'shadow' | 'close' }
  // `priority`: a webhook's inbox insert, served before queued transactions (see connection-queue.ts).
  | { op: 'query' | 'execute'; target: number; query: unknown; priority?: boolean }
  | { op: 'script'; target: number; script: string }
  | { op: 'begin'; target: number; isolationLevel?: string }
  | { op: 'commit' | 'rollback' | 'dispose'; target: number }
);

/** The thread's answer to one call (id 0 announces that the database is ready, or why it could not open). */
export interface ThreadReply {
  id: number;
  ok: boolean;
  value?: unknown;
  /** A driver-adapter error keeps its mapped cause (unique violation, …) so Prisma reports it as usual. */
  error?: { name: string; message: string; driverCause?: unknown };
}

/**
 * Marks an autocommit statement as a webhook's inbox insert (the first characters of its SQL): on the embedded
 * database it runs ahead of queued transactions. A comment, so PostgreSQL and Prisma pass it through unchanged.
 */
export const INGEST_PRIORITY_MARK = '/* ingest */';
