// `npm run chaos`: faults injected into real server processes (kill -9, a PostgreSQL outage, misbehaving platforms,
// two replicas), each checked against ground truth (database rows, the doubles' records). Prints one row per fault
// with its figures and PASS/FAIL, writes bench/results/chaos-<timestamp>.json, exits 1 on any FAIL.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './lib/app-process.js';
import type { ScenarioResult } from './lib/result.js';
import { killDuringBroadcast } from './scenarios/kill-broadcast.js';
import { killDuringIngest } from './scenarios/kill-ingest.js';
import { platformFaults } from './scenarios/platform-faults.js';
import { postgresRestart } from './scenarios/postgres-restart.js';
import { twoReplicas } from './scenarios/replicas.js';

/** The default run (about 6–9 minutes on a busy 2-core machine); `--all` adds the embedded broadcast kill (2–3 min). */
const SCENARIOS: Record<string, () => Promise<ScenarioResult>> = {
  '1-pg': () => killDuringIngest('postgres'),
  '1-emb': () => killDuringIngest('embedded'),
  '2-pg': () => killDuringBroadcast('postgres'),
  '3-pg': () => postgresRestart(),
  '4-pg': () => platformFaults(),
  '5-pg': () => twoReplicas(),
};
const EXTRA: Record<string, () => Promise<ScenarioResult>> = {
  '2-emb': () => killDuringBroadcast('embedded'),
};

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const only = args.filter((a) => !a.startsWith('-'));
  // Named scenarios run whichever set they are in; `--all` runs the extra ones too.
  const pool = only.length || args.includes('--all') ? { ...SCENARIOS, ...EXTRA } : SCENARIOS;
  const started = new Date();
  const results: ScenarioResult[] = [];
  for (const [id, run] of Object.entries(pool).sort(([a], [b]) => parseInt(a, 10) - parseInt(b, 10))) {
    if (only.length && !only.some((o) => id.startsWith(o))) continue;
    process.stdout.write(`chaos ${id} …\n`);
    const r = await run();
    results.push(r);
    process.stdout.write(`chaos ${id}: ${r.pass ? 'PASS' : 'FAIL'} in ${r.seconds} s${r.failures.length ? `\n  - ${r.failures.join('\n  - ')}` : ''}\n`);
  }
  const table = render(results);
  process.stdout.write(`\n${table}\n`);
  const stamp = started.toISOString().replace(/[:.]/g, '-');
  const dir = path.join(ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `chaos-${stamp}.json`);
  writeFileSync(file, JSON.stringify({ startedAt: started.toISOString(), seconds: Math.round((Date.now() - started.getTime()) / 1000), machine: { cores: os.cpus().length, loadAverage: os.loadavg() }, results }, null, 2) + '\n');
  process.stdout.write(`written ${path.relative(ROOT, file)}\n`);
  process.exitCode = results.every((r) => r.pass) && results.length > 0 ? 0 : 1;
}

/** A Markdown table: one row per scenario, its figures as `name value` pairs. */
function render(results: ScenarioResult[]): string {
  const rows = results.map((r) => `| ${r.id} | ${r.fault} | ${r.database} | ${Object.entries(r.figures).map(([k, v]) => `${k} ${v}`).join('; ')} | ${r.seconds} s | **${r.pass ? 'PASS' : 'FAIL'}** |`);
  return ['| # | fault | database | figures | time | result |', '|---|---|---|---|---|---|', ...rows].join('\n');
}

await main();
