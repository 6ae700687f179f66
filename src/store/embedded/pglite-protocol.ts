/** One call from the main thread to the embedded database's thread (ids of adapters and transactions are its own). */
export type ThreadRequest = { id: number } & (
  | { op: 'connect' | 'shadow' | 'close' }
  | { op: 'query' | 'execute'; target: number; query: unknown }
  // A webhook's inbox insert, outside Prisma: served before queued transactions (see connection-queue.ts).
  | { op: 'ingest'; sql: string; params: unknown[] }
  // A statement outside Prisma for the turn's hot path (see database.ts `direct`): queued like Prisma's statements.
  | { op: 'direct'; sql: string; params: unknown[] }
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
  /** `code`: the SQLSTATE of a database error on the `ingest` path (Prisma's path carries it in `driverCause`). */
  error?: { name: string; message: string; code?: string; driverCause?: unknown };
}

