// The two reference servers of the ingest benchmark: they verify the signature exactly as the app does (same function,
// same body handling) and answer 200, storing nothing.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { verifyMessengerSignature } from '../src/bot/channels/messenger/messenger-webhook.js';

const LIMIT = 1024 * 1024;

/** A listening reference server. */
export interface CeilingServer {
  port: number;
  close(): Promise<void>;
}

async function listen(server: Server): Promise<CeilingServer> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** (a) bare node:http: read the body (1 MB limit), check the HMAC in constant time, answer. */
export function startBareServer(appSecret: string): Promise<CeilingServer> {
  const server = createServer((req, res) => {
    if (req.method !== 'POST' || req.url !== '/webhooks/messenger') {
      res.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > LIMIT) {
        res.writeHead(413, { connection: 'close' }).end();
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => {
      const raw = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      const header = req.headers['x-hub-signature-256'];
      const ok = verifyMessengerSignature(raw, typeof header === 'string' ? header : undefined, appSecret);
      res.writeHead(ok ? 200 : 401, { 'content-type': 'text/plain' });
      res.end(ok ? 'EVENT_RECEIVED' : 'Unauthorized');
    });
  });
  return listen(server);
}

/** (b) express 5 + express.raw: the app's HTTP stack without storage. */
export function startExpressServer(appSecret: string): Promise<CeilingServer> {
  const app = express();
  app.disable('x-powered-by');
  app.post('/webhooks/messenger', express.raw({ type: () => true, limit: '1mb' }), (req, res) => {
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (!verifyMessengerSignature(raw, req.get('x-hub-signature-256'), appSecret)) return void res.status(401).send('Unauthorized');
    res.status(200).send('EVENT_RECEIVED');
  });
  return listen(createServer(app));
}
