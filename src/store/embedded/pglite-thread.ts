// The embedded database's own thread: PGlite (Postgres compiled to WebAssembly) runs here, so its work never stalls
// the HTTP event loop. It serves the Prisma driver-adapter calls that `pglite-proxy.ts` forwards, through the real
// `pglite-prisma-adapter`, one message per call.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { type IsolationLevel, type SqlDriverAdapter, type SqlQuery, type Transaction } from '@prisma/driver-adapter-utils';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { ConnectionQueue } from './connection-queue.js';
import type { ThreadReply, ThreadRequest } from './pglite-protocol.js';

const port = parentPort;
if (!port) throw new Error('pglite-thread must run in a worker thread');
const { dataDir } = workerData as { dataDir: string | 'memory' };

const lite = dataDir === 'memory' ? new PGlite() : new PGlite({ dataDir });
const factory = new PrismaPGlite(lite);
// Every adapter of one PGlite shares its one connection, and so one queue; the shadow database has its own.
const adapters = new Map<number, { adapter: SqlDriverAdapter; queue: ConnectionQueue }>();
const transactions = new Map<number, { tx: Transaction; release: () => void }>();
const mainQueue = new ConnectionQueue();
let nextId = 1;
// The `direct` path reads as Prisma does: `timestamp` columns hold UTC, and int8 is a bigint (PGlite's defaults read
// a timestamp in local time and an int8 as a number).
const DIRECT_PARSERS = {
  1114: (value: string) => new Date(`${value.replace(' ', 'T')}Z`),
  20: (value: string) => BigInt(value),
};

function adapterOf(target: number) {
  const a = adapters.get(target);
  if (!a) throw new Error(`no open adapter #${target}`);
  return a;
}

/** Runs a statement: inside its transaction (which holds the connection) at once, else when the queue hands it the connection. */
function statement<T>(target: number, run: (q: SqlDriverAdapter | Transaction) => Promise<T>): Promise<T> {
  const open = transactions.get(target);
  if (open) return run(open.tx);
  const { adapter, queue } = adapterOf(target);
  return queue.run('normal', () => run(adapter));
}

async function handle(req: ThreadRequest): Promise<unknown> {
  switch (req.op) {
    case 'connect':
    case 'shadow': {
      const adapter = req.op === 'connect' ? await factory.connect() : await factory.connectToShadowDb();
      const id = nextId++;
      adapters.set(id, { adapter, queue: req.op === 'connect' ? mainQueue : new ConnectionQueue() });
      return id;
    }
    case 'query':
      return statement(req.target, (q) => q.queryRaw(req.query as SqlQuery));
    case 'execute':
      return statement(req.target, (q) => q.executeRaw(req.query as SqlQuery));
    case 'ingest':
      return mainQueue.run('ingest', async () => (await lite.query(req.sql, req.params)).rows);
    case 'direct':
      return mainQueue.run('normal', async () => (await lite.query(req.sql, req.params, { parsers: DIRECT_PARSERS })).rows);
    case 'script': {
      const { adapter, queue } = adapterOf(req.target);
      return queue.run('normal', () => adapter.executeScript(req.script));
    }
    case 'begin': {
      // The transaction holds the connection from BEGIN to COMMIT or ROLLBACK.
      const { adapter, queue } = adapterOf(req.target);
      const release = await queue.acquire('normal');
      try {
        const tx = await adapter.startTransaction(req.isolationLevel as IsolationLevel | undefined);
        const id = nextId++;
        transactions.set(id, { tx, release });
        return { id, options: tx.options };
      } catch (err) {
        release();
        throw err;
      }
    }
    case 'commit':
    case 'rollback': {
      const open = transactions.get(req.target);
      transactions.delete(req.target);
      if (!open) return undefined;
      try {
        await (req.op === 'commit' ? open.tx.commit() : open.tx.rollback());
      } finally {
        open.release();
      }
      return undefined;
    }
    case 'dispose': {
      const a = adapters.get(req.target);
      adapters.delete(req.target);
      await a?.adapter.dispose();
      return undefined;
    }
    case 'close':
      await lite.close();
      return undefined;
  }
}

function errorOf(err: unknown): ThreadReply['error'] {
  // By name, as Prisma itself tells them apart: the adapter may carry its own copy of the class.
  if (err instanceof Error && err.name === 'DriverAdapterError' && typeof err.cause === 'object') return { name: err.name, message: err.message, driverCause: err.cause };
  const code = (err as { code?: unknown } | null)?.code;
  if (err instanceof Error) return { name: err.name, message: err.message, ...(typeof code === 'string' ? { code } : {}) };
  return { name: 'Error', message: String(err) };
}

port.on('message', (req: ThreadRequest) => {
  handle(req).then(
    (value) => port.postMessage({ id: req.id, ok: true, value } satisfies ThreadReply),
    (err: unknown) => port.postMessage({ id: req.id, ok: false, error: errorOf(err) } satisfies ThreadReply),
  );
});

lite.waitReady.then(
  () => port.postMessage({ id: 0, ok: true, value: 'ready' } satisfies ThreadReply),
  (err: unknown) => port.postMessage({ id: 0, ok: false, error: errorOf(err) } satisfies ThreadReply),
);
