import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { defineRoute, notFound } from '../route.js';

const require = createRequire(import.meta.url);

// Served from our own origin (the CSP allows nothing else): our stylesheet and script, and htmx from its npm package.
const FILES: Record<string, { path: () => string; type: string }> = {
  'console.css': { path: () => fileURLToPath(new URL('../assets/console.css', import.meta.url)), type: 'text/css; charset=utf-8' },
  'console.js': { path: () => fileURLToPath(new URL('../assets/console.js', import.meta.url)), type: 'text/javascript; charset=utf-8' },
  'htmx.min.js': { path: () => require.resolve('htmx.org/dist/htmx.min.js'), type: 'text/javascript; charset=utf-8' },
};
const cache = new Map<string, Buffer>();

/** `/admin/assets/<file>`: the console's CSS and scripts (public: the sign-in page needs them). */
export const assetRoutes = [
  defineRoute({
    method: 'GET',
    path: '/admin/assets/:file',
    access: 'public',
    handler(ctx) {
      const name = ctx.params.file ?? '';
      const file = Object.hasOwn(FILES, name) ? FILES[name] : undefined;
      if (!file) return notFound();
      let body = cache.get(name);
      if (!body) cache.set(name, (body = readFileSync(file.path())));
      return { kind: 'asset', contentType: file.type, body };
    },
  }),
];
