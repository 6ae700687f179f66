import { createServer, type RequestListener, type Server } from 'node:http';

/** An HTTP handler (an express app) served on a free loopback port, for tests that build the HTTP layer by hand. */
export async function serveOnLoopback(handler: RequestListener): Promise<{ server: Server; url: string; close: () => Promise<void> }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return { server, url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
