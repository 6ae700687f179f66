import { Worker } from 'node:worker_threads';
import {
  DriverAdapterError,
  type IsolationLevel,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
  type SqlQuery,
  type SqlResultSet,
  type Transaction,
  type TransactionOptions,
} from '@prisma/driver-adapter-utils';
import type { ThreadReply, ThreadRequest } from './pglite-protocol.js';

type Call = ThreadRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/**
 * The embedded database in a worker thread, seen from the main thread as a Prisma driver-adapter factory. PGlite's
 * WebAssembly work (a 2 000-row insert, a migration) runs on that thread; the event loop here only posts messages,
 * so webhooks are acknowledged and `/healthz` answers while it works.
 */
export class PGliteThread implements SqlMigrationAwareDriverAdapterFactory {
  readonly provider = 'postgres' as const;
  readonly adapterName = 'pglite-thread';
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private failure: Error | undefined;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (reply: ThreadReply) => {
      const p = this.pending.get(reply.id);
      if (!p) return;
      this.pending.delete(reply.id);
      if (reply.ok) p.resolve(reply.value);
      else p.reject(toError(reply.error));
    });
    const fail = (err: Error) => {
      this.failure = err;
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the embedded database thread exited (code ${code})`)));
  }

  /** Starts the thread and waits until the database in `dataDir` (or memory) is open. */
  static async open(dataDir: string | 'memory'): Promise<PGliteThread> {
    const worker = new Worker(new URL('./pglite-thread-boot.mjs', import.meta.url), { workerData: { dataDir } });
    const thread = new PGliteThread(worker);
    await new Promise<void>((resolve, reject) => {
      thread.pending.set(0, { resolve: () => resolve(), reject });
    });
    return thread;
  }

  /** Calls sent to the thread and not answered yet (statements running or queued there): for /metrics. */
  inFlight(): number {
    return this.pending.size;
  }

  /** One call to the thread. */
  call<T>(call: Call): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ ...call, id });
    });
  }

  /**
   * One autocommit statement outside Prisma (`$1…` parameters, rows as objects) for the webhook insert: it runs as
   * soon as the current transaction ends, ahead of every queued one.
   */
  ingestQuery<T>(sql: string, params: unknown[]): Promise<T[]> {
    return this.call<T[]>({ op: 'ingest', sql, params });
  }

  /** One autocommit statement outside Prisma, queued like Prisma's own (database.ts `direct`). */
  directQuery<T>(sql: string, params: unknown[]): Promise<T[]> {
    return this.call<T[]>({ op: 'direct', sql, params });
  }

  /** A connection (PGlite has one; every adapter shares it, as with the in-process adapter). */
  async connect(): Promise<SqlDriverAdapter> {
    return new ThreadAdapter(this, await this.call<number>({ op: 'connect' }));
  }

  /** A fresh in-memory database for the schema engine's shadow database. */
  async connectToShadowDb(): Promise<SqlDriverAdapter> {
    return new ThreadAdapter(this, await this.call<number>({ op: 'shadow' }));
  }

  /** Closes the database (every write is flushed to `dataDir`) and stops the thread. */
  async close(): Promise<void> {
    if (!this.failure) await this.call({ op: 'close' });
    await this.worker.terminate();
  }
}

class ThreadQueryable {
  readonly provider = 'postgres' as const;
  readonly adapterName = 'pglite-thread';

  constructor(
    protected readonly thread: PGliteThread,
    protected readonly target: number,
  ) {}

  queryRaw(query: SqlQuery): Promise<SqlResultSet> {
    return this.thread.call({ op: 'query', target: this.target, query });
  }

  executeRaw(query: SqlQuery): Promise<number> {
    return this.thread.call({ op: 'execute', target: this.target, query });
  }
}

class ThreadAdapter extends ThreadQueryable implements SqlDriverAdapter {
  executeScript(script: string): Promise<void> {
    return this.thread.call({ op: 'script', target: this.target, script });
  }

  async startTransaction(isolationLevel?: IsolationLevel): Promise<Transaction> {
    const tx = await this.thread.call<{ id: number; options: TransactionOptions }>({
      op: 'begin',
      target: this.target,
      ...(isolationLevel ? { isolationLevel } : {}),
    });
    return new ThreadTransaction(this.thread, tx.id, tx.options);
  }

  getConnectionInfo() {
    return { supportsRelationJoins: true };
  }

  dispose(): Promise<void> {
    return this.thread.call({ op: 'dispose', target: this.target });
  }
}

class ThreadTransaction extends ThreadQueryable implements Transaction {
  constructor(
    thread: PGliteThread,
    target: number,
    readonly options: TransactionOptions,
  ) {
    super(thread, target);
  }

  commit(): Promise<void> {
    return this.thread.call({ op: 'commit', target: this.target });
  }

  rollback(): Promise<void> {
    return this.thread.call({ op: 'rollback', target: this.target });
  }
}

function toError(e: ThreadReply['error']): Error {
  if (e?.driverCause) return new DriverAdapterError(e.driverCause as ConstructorParameters<typeof DriverAdapterError>[0]);
  const err: Error & { code?: string } = new Error(e?.message ?? 'embedded database error');
  err.name = e?.name ?? 'Error';
  if (e?.code !== undefined) err.code = e.code;
  return err;
}
