// The Docker image cannot be built here (base images cannot be pulled), so this runs deploy/Dockerfile's own steps
// without Docker: its COPY steps from a clean build context (git's files minus Dockerfile.dockerignore) into a fresh
// tree standing for the image, its npm RUN steps there with the same flags, then its CMD with its ENV and the
// production environment of deploy/env.production.example (secrets generated) on a fresh PostgreSQL schema, and its
// HEALTHCHECK against the running server. PostgreSQL only: production runs on it.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PG_URL } from '../helpers/db.js';
import { applyCopy, copyBuildContext, parseDockerfile, parseEnv, parseEnvFile, parseExecForm, parseHealthcheck, readIgnorePatterns, repoFile } from './helpers/dockerfile.js';
import { dropSchema, freshSchemaUrl, productionSecrets, startServerProcess, type ServerProcess } from './helpers/server-process.js';

const REPO = path.resolve(import.meta.dirname, '../..');
// RUN steps that set up the operating system of the image rather than the app; they are not run here (they would
// change this machine). Any other RUN step must be an npm command, or this test fails until it is classified.
const SYSTEM_STEPS = ['mkdir -p /var/lib/school-safety-bot && chown node:node /var/lib/school-safety-bot'];
const NPM_CACHE_MOUNT = '--mount=type=cache,target=/root/.npm ';

let work: string | undefined;
let server: ServerProcess | undefined;
let schema: string | undefined;

afterAll(async () => {
  await server?.stop();
  if (PG_URL && schema) await dropSchema(PG_URL, schema);
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Runs a shell command as a Dockerfile RUN or HEALTHCHECK would (`sh -c`); resolves with its exit code and output. */
function sh(command: string, cwd: string, env: Record<string, string>, deadlineMs: number): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', command], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`\`${command}\` did not finish within ${deadlineMs} ms:\n${output.slice(-3000)}`));
    }, deadlineMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe.skipIf(!PG_URL)('deploy/Dockerfile, step by step without Docker', () => {
  it('installs with its flags, starts with its CMD on PostgreSQL in production, and passes its HEALTHCHECK', { timeout: 900_000 }, async () => {
    work = mkdtempSync(path.join(tmpdir(), 'ssb-dockerfile-'));
    const context = path.join(work, 'context');
    const root = path.join(work, 'image');
    mkdirSync(root, { recursive: true });
    const contextFiles = copyBuildContext(REPO, context, readIgnorePatterns(repoFile(REPO, 'deploy/Dockerfile.dockerignore')));
    expect(contextFiles).toContain('package-lock.json');
    expect(contextFiles.some((f) => f.startsWith('node_modules/') || f.startsWith('src/store/generated/') || f.startsWith('data/'))).toBe(false);

    const instructions = parseDockerfile(repoFile(REPO, 'deploy/Dockerfile'));
    const imageEnv: Record<string, string> = {};
    let workdir = '/';
    let cmd: string[] | undefined;
    let healthcheck: ReturnType<typeof parseHealthcheck> | undefined;
    let user: string | undefined;
    const skipped: string[] = [];
    const ran: string[] = [];
    // Absolute paths in ENV point into the tree standing for the image.
    const mapped = (env: Record<string, string>) => Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v.startsWith('/') ? path.join(root, v) : v]));

    for (const { op, args } of instructions) {
      switch (op) {
        case 'FROM':
          expect(args).toBe('node:20-bookworm-slim');
          // The image's Node major is this machine's: the steps below run on it.
          expect(process.versions.node.split('.')[0]).toBe('20');
          break;
        case 'ENV':
          Object.assign(imageEnv, parseEnv(args));
          break;
        case 'WORKDIR':
          workdir = path.posix.resolve(workdir, args);
          mkdirSync(path.join(root, workdir), { recursive: true });
          break;
        case 'COPY':
          applyCopy(args, context, root, workdir);
          break;
        case 'RUN': {
          if (SYSTEM_STEPS.includes(args)) {
            skipped.push(args);
            break;
          }
          // The cache mount keeps npm's cache outside the image between builds: here, this machine's npm cache.
          const cached = args.startsWith(NPM_CACHE_MOUNT);
          const command = cached ? args.slice(NPM_CACHE_MOUNT.length) : args;
          if (!/^npm (ci|run|install)\b/.test(command)) throw new Error(`A RUN step this test does not know: ${args} (run it here, or list it as a system step)`);
          const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: path.join(work, 'home'), ...mapped(imageEnv), ...(cached && process.env.HOME ? { npm_config_cache: path.join(process.env.HOME, '.npm') } : {}) };
          const r = await sh(command, path.join(root, workdir), env, 600_000);
          expect({ step: command, code: r.code, output: r.code === 0 ? '' : r.output.slice(-3000) }).toEqual({ step: command, code: 0, output: '' });
          ran.push(command);
          break;
        }
        case 'USER':
          user = args;
          break;
        case 'HEALTHCHECK':
          healthcheck = parseHealthcheck(args);
          break;
        case 'CMD':
          cmd = parseExecForm(args);
          break;
        case 'EXPOSE':
        case 'VOLUME':
        case 'STOPSIGNAL':
          break;
        default:
          throw new Error(`A Dockerfile instruction this test does not know: ${op} ${args}`);
      }
    }
    expect(ran).toEqual(['npm ci --omit=dev --no-audit --no-fund']);
    expect(skipped).toEqual(SYSTEM_STEPS);
    expect(user).toBe('node');
    const app = path.join(root, workdir);
    // Installed without dev dependencies, and the app runs anyway (tsx is a dependency).
    expect(existsSync(path.join(app, 'node_modules/tsx'))).toBe(true);
    expect(existsSync(path.join(app, 'node_modules/vitest'))).toBe(false);
    expect(existsSync(path.join(app, 'src/store/generated'))).toBe(true);
    expect(cmd?.[0]).toBe('node');

    // The operator's environment file with its secrets generated; compose's `environment:` wins over it.
    const template = parseEnvFile(repoFile(REPO, 'deploy/env.production.example')).set;
    const secrets = productionSecrets();
    for (const name of Object.keys(secrets)) expect({ name, value: template[name] }).toEqual({ name, value: '' });
    const fresh = freshSchemaUrl(PG_URL!, 'dock');
    schema = fresh.schema;
    const env: Record<string, string> = { ...mapped(imageEnv), ...template, ...secrets, DATABASE_URL: fresh.url, DATA_DIR: mapped(imageEnv).DATA_DIR! };
    expect(env.NODE_ENV).toBe('production');
    server = await startServerProcess({ cwd: app, command: process.execPath, args: cmd!.slice(1), env, deadlineMs: 240_000 });
    await server.listening;

    const ready = await fetch(`${server.url}/readyz`);
    expect({ status: ready.status, body: await ready.json() }).toEqual({ status: 200, body: { status: 'ready' } });
    // Production settings took effect: no simulator, /metrics behind its token.
    expect((await fetch(`${server.url}/simulator`)).status).toBe(404);
    expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${secrets.METRICS_TOKEN}` } })).status).toBe(200);

    // The HEALTHCHECK command, run as Docker would (a shell in the container, its environment).
    const port = new URL(server.url).port;
    const health = await sh(healthcheck!.command, app, { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env, PORT: port }, 30_000);
    expect({ code: health.code, output: health.output }).toEqual({ code: 0, output: '' });

    expect(await server.stop()).toBe(0);
    // And it reports a stopped server as unhealthy.
    const down = await sh(healthcheck!.command, app, { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env, PORT: port }, 30_000);
    expect(down.code).toBe(1);
  });
});
