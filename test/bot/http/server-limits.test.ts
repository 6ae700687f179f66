import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { eventually } from '../../helpers/channels.js';

// Short limits so a test sees them act; the defaults (30 s, 10 s, 5 s, 1 000) are checked in test/config.test.ts.
const LIMITS = { HTTP_REQUEST_TIMEOUT_MS: '1500', HTTP_HEADERS_TIMEOUT_MS: '1000', HTTP_KEEP_ALIVE_TIMEOUT_MS: '60000', HTTP_MAX_CONNECTIONS: '4' };
// Generous: a socket the server never cuts stays open far longer (Node's own request timeout is 300 s).
const DEADLINE_MS = 30_000;

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp(LIMITS);
});
afterAll(async () => {
  await app?.close();
});

/** A raw TCP client: everything the server wrote, and a promise settled when the server closes the socket. */
interface RawClient {
  socket: Socket;
  received(): string;
  closed: Promise<string>;
}

function rawClient(): Promise<RawClient> {
  return new Promise((resolve, reject) => {
    let data = '';
    const socket = connect(app.port, '127.0.0.1');
    const closed = new Promise<string>((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`socket still open after ${DEADLINE_MS} ms; received ${JSON.stringify(data)}`)), DEADLINE_MS);
      socket.on('close', () => {
        clearTimeout(timer);
        done(data);
      });
    });
    closed.catch(() => {});
    socket.on('data', (c: Buffer) => (data += c.toString('latin1')));
    // A reset from a refused connection is an answer too: `closed` reports what arrived before it.
    socket.on('error', () => {});
    socket.once('connect', () => resolve({ socket, received: () => data, closed }));
    socket.once('error', reject);
  });
}

const connections = () => new Promise<number>((resolve, reject) => app.server.getConnections((err, n) => (err ? reject(err) : resolve(n))));

describe('HTTP server limits', () => {
  it('runs the server with the configured timeouts and connection cap', () => {
    const s = app.server;
    expect([s.requestTimeout, s.headersTimeout, s.keepAliveTimeout, s.maxConnections]).toEqual([1500, 1000, 60_000, 4]);
  });

  it('answers 408 and closes the socket of a client trickling its body a byte at a time', async () => {
    const client = await rawClient();
    client.socket.write('POST /api/simulator/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{');
    const trickle = setInterval(() => client.socket.writable && client.socket.write(' '), 100);
    try {
      expect(await client.closed).toMatch(/^HTTP\/1\.1 408 /);
    } finally {
      clearInterval(trickle);
    }
    // The body parser sees the cut as an aborted request: a client error, not a fault with a stack in the log.
    expect(app.logs.lines.filter((l) => l.includes('unhandled error'))).toEqual([]);
  });

  it('closes a socket that connects and never sends a request', async () => {
    const client = await rawClient();
    expect(await client.closed).toMatch(/^(HTTP\/1\.1 408 |$)/);
  });

  it('closes connections beyond the cap as they arrive and keeps serving the ones it accepted', async () => {
    await eventually(async () => (await connections()) === 0, 'earlier sockets to close');
    const accepted = await Promise.all(Array.from({ length: 4 }, () => rawClient()));
    // A full keep-alive exchange on each proves the server took all four before the fifth arrives.
    for (const c of accepted) c.socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    await eventually(() => accepted.every((c) => c.received().includes('{"status":"ok"}')), 'four answers');

    const refused = await rawClient();
    refused.socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(await refused.closed).toBe('');

    const first = accepted[0]!;
    const before = first.received().length;
    first.socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    await eventually(() => first.received().slice(before).includes('{"status":"ok"}'), 'a second answer on an accepted socket');
    for (const c of accepted) c.socket.destroy();
  });
});
