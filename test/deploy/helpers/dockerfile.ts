import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** One instruction of a Dockerfile, continuation lines joined. */
export interface Instruction {
  op: string;
  args: string;
}

/** Reads a Dockerfile into instructions: comments dropped, `\` continuations joined. */
export function parseDockerfile(text: string): Instruction[] {
  const out: Instruction[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    if (!pending && (line.trim() === '' || line.trimStart().startsWith('#'))) continue;
    if (pending && line.trimStart().startsWith('#')) continue;
    if (line.endsWith('\\')) {
      pending += line.slice(0, -1) + ' ';
      continue;
    }
    const full = (pending + line).trim();
    pending = '';
    const m = /^(\w+)\s+([\s\S]*)$/.exec(full);
    if (!m) throw new Error(`Cannot read Dockerfile line: ${full}`);
    out.push({ op: m[1]!.toUpperCase(), args: m[2]!.trim() });
  }
  return out;
}

/** `ENV a=1 b=2` (unquoted values only; anything else is refused so the harness never guesses). */
export function parseEnv(args: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const pair of args.split(/\s+/).filter(Boolean)) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=([^"'\s]*)$/.exec(pair);
    if (!m) throw new Error(`ENV form not handled by the test harness: ${args}`);
    env[m[1]!] = m[2]!;
  }
  return env;
}

/** The exec form `["a", "b"]` of CMD. */
export function parseExecForm(args: string): string[] {
  const parsed: unknown = JSON.parse(args);
  if (!Array.isArray(parsed) || !parsed.every((x) => typeof x === 'string')) throw new Error(`Not an exec form: ${args}`);
  return parsed;
}

/** `HEALTHCHECK [--opt=v …] CMD <shell command>`: the options and the command. */
export function parseHealthcheck(args: string): { options: Record<string, string>; command: string } {
  const options: Record<string, string> = {};
  let rest = args;
  for (;;) {
    const m = /^--([a-z-]+)=(\S+)\s+/.exec(rest);
    if (!m) break;
    options[m[1]!] = m[2]!;
    rest = rest.slice(m[0].length);
  }
  const cmd = /^CMD\s+([\s\S]+)$/.exec(rest);
  if (!cmd || cmd[1]!.startsWith('[')) throw new Error(`HEALTHCHECK form not handled by the test harness: ${args}`);
  return { options, command: cmd[1]! };
}

/**
 * The build context as `docker build` sees it from a clean checkout: the files git tracks plus new files it does not
 * ignore (what a checkout of this commit plus the work in progress holds), minus the Dockerfile's ignore patterns.
 * Copied to `dest`.
 */
export function copyBuildContext(repo: string, dest: string, ignorePatterns: string[]): string[] {
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: repo, encoding: 'utf8' })
    .split('\0')
    .filter(Boolean);
  const files = [...new Set(listed)].filter((f) => existsSync(path.join(repo, f)) && !isIgnored(f, ignorePatterns));
  for (const f of files) {
    mkdirSync(path.dirname(path.join(dest, f)), { recursive: true });
    cpSync(path.join(repo, f), path.join(dest, f));
  }
  return files;
}

/** Reads a .dockerignore: plain paths (a folder covers what is in it) and `*.ext`; other patterns are refused. */
export function readIgnorePatterns(text: string): string[] {
  const patterns = text.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  for (const p of patterns) {
    if (!/^[\w./-]+$/.test(p) && !/^\*\.[\w]+$/.test(p)) throw new Error(`.dockerignore pattern not handled by the test harness: ${p}`);
  }
  return patterns;
}

function isIgnored(file: string, patterns: string[]): boolean {
  return patterns.some((p) => (p.startsWith('*.') ? !file.includes('/') && file.endsWith(p.slice(1)) : file === p || file.startsWith(`${p}/`)));
}

/**
 * `COPY <src>… <dest>` from the context into the image's file tree (`root` stands for `/`, `workdir` for the current
 * WORKDIR): a file, or a folder's contents, as Docker copies them. Flags such as --from are refused.
 */
export function applyCopy(args: string, context: string, root: string, workdir: string): void {
  if (args.startsWith('--') || args.startsWith('[')) throw new Error(`COPY form not handled by the test harness: ${args}`);
  const parts = args.split(/\s+/);
  const dest = parts.pop()!;
  const target = dest.startsWith('/') ? path.join(root, dest) : path.join(root, workdir, dest);
  for (const src of parts) {
    const from = path.join(context, src);
    if (!existsSync(from)) throw new Error(`COPY: ${src} is not in the build context`);
    if (statSync(from).isDirectory()) {
      mkdirSync(target, { recursive: true });
      cpSync(from, target, { recursive: true });
    } else {
      const to = dest.endsWith('/') || parts.length > 1 ? path.join(target, path.basename(src)) : target;
      mkdirSync(path.dirname(to), { recursive: true });
      cpSync(from, to);
    }
  }
}

/** Reads a KEY=value env file (systemd EnvironmentFile / compose env_file): comments and blank lines skipped. */
export function parseEnvFile(text: string): { set: Record<string, string>; commented: string[] } {
  const set: Record<string, string> = {};
  const commented: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const off = /^#\s*([A-Z][A-Z0-9_]*)=/.exec(line);
    if (off) commented.push(off[1]!);
    if (!line || line.startsWith('#')) continue;
    const m = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (!m) throw new Error(`Not a KEY=value line: ${line}`);
    set[m[1]!] = m[2]!;
  }
  return { set, commented };
}

/** Reads a file of the repository. */
export function repoFile(repo: string, file: string): string {
  return readFileSync(path.join(repo, file), 'utf8');
}
