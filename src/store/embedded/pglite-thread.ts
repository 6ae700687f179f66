// The embedded database's own thread: PGlite (Postgres compiled to WebAssembly) runs here, so its work never stalls
// the HTTP event loop. It serves the Prisma driver-adapter calls that `pglite-proxy.ts` forwards, through the real
// `pglite-prisma-adapter`, one message per call.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { type IsolationLevel, type SqlDriverAdapter, type SqlQuery, type Transaction } from '@prisma/driver-adapter-utils';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import type { ThreadReply, ThreadRequest } from './pglite-protocol.js';

const port = parentPort;
if (!port) throw new Error('pglite-thread must run in a worker thread');
const { dataDir } = workerData as { dataDir: string | 'memory' };

const lite = dataDir === 'memory' ? new PGlite() : new PGlite({ dataDir });
const factory = new PrismaPGlite(lite);
const adapters = new Map<number, SqlDriverAdapter>();
const transactions = new Map<number, Transaction>();
let nextId = 1;

function queryable(target: number) {
  const q = transactions.get(target) ?? adapters.get(target);
  if (!q) throw new Error(`no open adapter or transaction #${target}`);
  return q;
}

async function handle(req: ThreadRequest): Promise<unknown> {
  switch (req.op) {
    case 'connect':
    case 'shadow': {
      const adapter = req.op === 'connect' ? await factory.connect() : await factory.connectToShadowDb();
      const id = nextId++;
      adapters.set(id, adapter);
      return id;
    }
    case 'query':
      return queryable(req.target).queryRaw(req.query as SqlQuery);
    case 'execute':
      return queryable(req.target).executeRaw(req.query as SqlQuery);
    case 'script':
      return adapters.get(req.target)?.executeScript(req.script);
    case 'begin': {
      const adapter = adapters.get(req.target);
      if (!adapter) throw new Error(`no open adapter #${req.target}`);
      const tx = await adapter.startTransaction(req.isolationLevel as IsolationLevel | undefined);
      const id = nextId++;
      transactions.set(id, tx);
      return { id, options: tx.options };
    }
    case 'commit':
    case 'rollback': {
      const tx = transactions.get(req.target);
      transactions.delete(req.target);
      if (tx) await (req.op === 'commit' ? tx.commit() : tx.rollback());
      return undefined;
    }
    case 'dispose': {
      const adapter = adapters.get(req.target);
      adapters.delete(req.target);
      await adapter?.dispose();
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
  if (err instanceof Error) return { name: err.name, message: err.message };
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
