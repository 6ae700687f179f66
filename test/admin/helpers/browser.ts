import { request } from 'node:http';

/** One answer as a test reads it. */
export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The Location of a redirect. */
  location: string | undefined;
  /** Set-Cookie lines of this answer. */
  setCookies: string[];
}

/** The CSRF token a console page carries (`<meta name="csrf-token">`), or ''. */
export function csrfOf(html: string): string {
  return /<meta name="csrf-token" content="([^"]*)"/.exec(html)?.[1] ?? '';
}

/**
 * A browser stand-in: keeps cookies like a browser (by name; Max-Age=0 deletes), sends `Origin` on POSTs, and can
 * speak from a chosen loopback address (127.0.0.x) to stand for another client. Never follows redirects.
 */
export class Browser {
  readonly cookies = new Map<string, string>();
  /** The CSRF token of the last page read. */
  csrf = '';

  constructor(
    private readonly base: string,
    private readonly opts: { localAddress?: string; origin?: string | null } = {},
  ) {}

  /** GET a path; remembers the page's CSRF token. */
  async get(path: string, headers: Record<string, string> = {}): Promise<Answer> {
    const a = await this.send('GET', path, undefined, headers);
    const token = csrfOf(a.text);
    if (token) this.csrf = token;
    return a;
  }

  /** POST a url-encoded form; the CSRF token of the last page is added unless `csrf` says otherwise (false: none). */
  async post(path: string, form: Record<string, string> = {}, opts: { csrf?: string | false; headers?: Record<string, string> } = {}): Promise<Answer> {
    const fields = { ...form };
    const token = opts.csrf === undefined ? this.csrf : opts.csrf;
    if (token !== false) fields._csrf = token;
    const origin = this.opts.origin === undefined ? this.base : this.opts.origin;
    const headers = { 'content-type': 'application/x-www-form-urlencoded', ...(origin ? { origin } : {}), ...opts.headers };
    const a = await this.send('POST', path, new URLSearchParams(fields).toString(), headers);
    const t = csrfOf(a.text);
    if (t) this.csrf = t;
    return a;
  }

  /** Any request, with this browser's cookies. */
  send(method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<Answer> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const all: Record<string, string> = { ...(cookie ? { cookie } : {}), ...(body !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}), ...headers };
    return new Promise((resolve, reject) => {
      const req = request(new URL(path, this.base), { method, headers: all, agent: false, ...(this.opts.localAddress ? { localAddress: this.opts.localAddress } : {}) }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const setCookies = res.headers['set-cookie'] ?? [];
          for (const line of setCookies) {
            const [pair = ''] = line.split(';');
            const eq = pair.indexOf('=');
            const name = pair.slice(0, eq);
            if (/Max-Age=0\b/i.test(line)) this.cookies.delete(name);
            else this.cookies.set(name, pair.slice(eq + 1));
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8'), location: res.headers.location, setCookies });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  }
}
