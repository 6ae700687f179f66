// npm run test:pg: the whole suite against a real PostgreSQL server. Every test file migrates a fresh schema
// (t_<random>) in DATABASE_URL's database and drops it afterwards.
import { spawnSync } from 'node:child_process';

const url = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
const r = spawnSync(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, DATABASE_URL: url },
});
process.exit(r.status ?? 1);
