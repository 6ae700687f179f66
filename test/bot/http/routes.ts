import type { Server } from 'node:http';
import type { Express } from 'express';

/** One method on one registered path, e.g. `GET /verify/:code`. */
export interface RouteInfo {
  method: string;
  path: string;
}

interface LayerLike {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle?: { stack?: LayerLike[] };
  rawPath?: unknown;
  slash?: boolean;
}

/** The express app behind a running server (its only `request` listener). */
export function expressAppOf(server: Server): Express {
  const [listener] = server.listeners('request');
  if (typeof listener !== 'function' || !('router' in listener)) throw new Error('the server is not serving an express app');
  return listener as unknown as Express;
}

/**
 * Every route the app registered, by walking its router stack (routers mounted with `use` included), so a test
 * covers routes added later without anyone listing them.
 */
export function listRoutes(app: Express): RouteInfo[] {
  const out: RouteInfo[] = [];
  const walk = (stack: LayerLike[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
        for (const p of paths) for (const m of Object.keys(layer.route.methods)) out.push({ method: m === '_all' ? 'GET' : m.toUpperCase(), path: prefix + p });
      } else if (Array.isArray(layer.handle?.stack)) {
        const mount = layer.slash || typeof layer.rawPath !== 'string' ? '' : layer.rawPath.replace(/\/$/, '');
        walk(layer.handle.stack, prefix + mount);
      }
    }
  };
  walk((app as unknown as { router: { stack: LayerLike[] } }).router.stack, '');
  return out;
}
