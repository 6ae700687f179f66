// Entry of the embedded database's thread. A worker thread does not inherit the TypeScript loader of the process
// that starts it (tsx for `npm start`, vitest's runner in tests), so it registers tsx itself, then loads the thread.
import { register } from 'tsx/esm/api';

register();
await import('./pglite-thread.ts');
