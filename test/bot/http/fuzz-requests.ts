import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import type { RawRequest } from './raw-http.js';
import type { RouteInfo } from './routes.js';

/** A generated request, with a one-line summary of what makes it hostile (for failure listings). */
export interface FuzzRequest extends RawRequest {
  summary: string;
}

/** Credentials a generated request may carry (a real tip handler, so /api/tips handlers run too). */
export interface FuzzCredentials {
  basicAuth: string;
}

// Percent-encode every byte outside the unreserved set: any string becomes a path segment node:http will send.
const pct = (s: string) => [...Buffer.from(s, 'utf8')].map((b) => (/[A-Za-z0-9\-._~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');

const BAD_ESCAPES = ['%ZZ', '%', '%E0%A4%A', '%C0%AF', '%ED%A0%80', '%00', '%ff%fe', '%2', '%%', '%u0041'];

const segment: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...BAD_ESCAPES).chain((bad) => fc.tuple(fc.string({ maxLength: 6 }).map(pct), fc.constant(bad), fc.string({ maxLength: 6 }).map(pct)).map((p) => p.join(''))) },
  { weight: 2, arbitrary: fc.constantFrom('CK-7K2Q-9XMD', 'ck7k2q9xmd', 'CK-7K2Q-9XMD.png', 'ck-2222-2222.png', 'x.png', '.png', '%ZZ.png', 'TB-ABCD-2345', '00000000-0000-0000-0000-000000000000', '9'.repeat(40), '-1', '__proto__', 'constructor', '..', '%2e%2e', '%2F', '<script>alert(1)</script>', '"\'><img>') },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }).map(pct) },
  { weight: 1, arbitrary: fc.integer({ min: 300, max: 7000 }).map((n) => 'a'.repeat(n)) },
  { weight: 1, arbitrary: fc.string({ minLength: 100, maxLength: 600 }).map(pct) },
);

const QUERY_KEYS = ['a', 'user', 'channel', 'after', 'status', 'limit', 'hub.mode', 'hub.verify_token', 'hub.challenge', 'code', 'pin', '__proto__', 'constructor', 'toString'];
const QUERY_VALUES = ['zalo', 'messenger', 'subscribe', 'new', 'closed', '1', '0', '-1', '500', '501', '9999999999999999999', '1e309', 'NaN', '', '%ZZ', '%', 'x'.repeat(3000)];
const queryKey = fc.oneof(fc.constantFrom(...QUERY_KEYS), fc.string({ maxLength: 12 }).map(pct));
const queryValue = fc.oneof(fc.constantFrom(...QUERY_VALUES), fc.string({ maxLength: 30 }).map(pct));
/** `k=v` in the shapes parsers treat differently: duplicates (from the small key set), arrays, indexes, nesting. */
const pair = (key: fc.Arbitrary<string>, value: fc.Arbitrary<string>) =>
  fc.tuple(key, fc.constantFrom('plain', 'plain', 'array', 'index', 'nested', 'deep', 'bare', 'emptyKey'), value).map(([k, shape, v]) => {
    switch (shape) {
      case 'array': return `${k}%5B%5D=${v}`;
      case 'index': return `${k}[0]=${v}`;
      case 'nested': return `${k}[b][c]=${v}`;
      case 'deep': return `${k}${'[x]'.repeat(40)}=${v}`;
      case 'bare': return k;
      case 'emptyKey': return `=${v}`;
      default: return `${k}=${v}`;
    }
  });
const query = fc.oneof(
  { weight: 2, arbitrary: fc.constant('') },
  { weight: 3, arbitrary: fc.array(pair(queryKey, queryValue), { minLength: 1, maxLength: 8 }).map((ps) => `?${ps.join('&')}`) },
  { weight: 1, arbitrary: fc.constantFrom('?a=1&a=2', '?user=x&user=y&channel=zalo', '?user=x&channel=zalo&after=99999999999999999999', '?user=x&channel=zalo&after=9223372036854775808', '?limit=1&limit=2', '?limit[]=5', '?status[$ne]=x', '?%ZZ=1', '?a=%ZZ', '?&&&', '?=', '?hub.mode=subscribe&hub.challenge=%ZZ&hub.verify_token=x', `?${'a=1&'.repeat(2000)}`) },
);

const FORM_KEYS = ['category', 'description', 'place', 'schoolId', 'urgent', 'code', 'pin', 'grant', 'text', 'status', 'outcome'];
const FORM_VALUES = ['drugs', 'other', 'yes', 'no', 'Có người bán ma tuý gần cổng trường vào giờ tan học.', 'TB-ABCD-2345', '123456', '', 'x'.repeat(5000), '%ZZ', '<b>x</b>'];
const formValue = fc.oneof(fc.constantFrom(...FORM_VALUES), fc.string({ maxLength: 60 }).map(pct));
const formBody = fc.oneof(
  { weight: 3, arbitrary: fc.array(pair(fc.constantFrom(...FORM_KEYS), formValue), { minLength: 1, maxLength: 12 }).map((ps) => ps.join('&')) },
  // A complete tip form with one field sent twice: what a tampered form or a double-submitting client sends.
  { weight: 3, arbitrary: fc.tuple(fc.constantFrom(...FORM_KEYS.slice(0, 5)), formValue).map(([dup, v]) => `category=drugs&description=${pct('Có người bán ma tuý gần cổng trường.')}&place=a&urgent=no&${dup}=${v}`) },
  { weight: 2, arbitrary: fc.integer({ min: 15, max: 60 }).map((n) => Array.from({ length: n }, (_, i) => `f${i}=${i}`).join('&')) },
  { weight: 1, arbitrary: fc.constantFrom('%ZZ', '=&=&=', '&&&&', 'a=%', 'description=%E0%A4%A&category=drugs', 'a[b][c][d][e][f][g]=1', '__proto__[x]=1', 'constructor[prototype][x]=1') },
);

const JSON_KEYS = ['user', 'channel', 'text', 'payload', 'ref', 'messageId', 'status', 'outcome', 'object', 'entry', 'event_name', 'app_id', 'timestamp', '__proto__'];
const jsonBody = fc.oneof(
  { weight: 2, arbitrary: fc.json({ maxDepth: 3 }) },
  { weight: 3, arbitrary: fc.dictionary(fc.constantFrom(...JSON_KEYS), fc.oneof(fc.constantFrom('zalo', 'messenger', 'page', 'fuzz-user', 'closed', 'spam'), fc.jsonValue({ maxDepth: 2 })), { maxKeys: 6 }).map((o) => JSON.stringify(o)) },
  { weight: 1, arbitrary: fc.constantFrom('{"user": "a", "channel": ', '[', 'nul', '"\\ud800"', '{"__proto__":{"admin":true}}', '1e999999', '{"a":' + '['.repeat(5000)) },
);

type BodyKind = { kind: 'none' } | { kind: 'json' | 'form' | 'text'; text: string } | { kind: 'bytes'; bytes: Uint8Array };
const body: fc.Arbitrary<BodyKind> = fc.oneof(
  { weight: 1, arbitrary: fc.constant({ kind: 'none' as const }) },
  { weight: 3, arbitrary: jsonBody.map((text) => ({ kind: 'json' as const, text })) },
  { weight: 3, arbitrary: formBody.map((text) => ({ kind: 'form' as const, text })) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((bytes) => ({ kind: 'bytes' as const, bytes })) },
  { weight: 1, arbitrary: fc.constantFrom(70_000, 1_100_000).map((n) => ({ kind: 'text' as const, text: `{"text":"${'x'.repeat(n)}"}` })) },
);

const CONTENT_TYPES = ['application/json', 'application/x-www-form-urlencoded', 'text/plain', 'multipart/form-data; boundary=x', 'application/octet-stream', 'application/vnd.api+json', 'x/y;;;', ';', 'application/json; charset=utf-16le', 'application/json; charset=koi8-r', 'application/x-www-form-urlencoded; charset=latin1', 'application/x-www-form-urlencoded; charset=nope', 'application/json; charset='];
const ENCODINGS = ['gzip', 'br', 'deflate', 'identity', 'zstd', 'x-nope', 'gzip, br', 'GZIP'];
const ACCEPTS = ['*/*', 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', 'application/json', 'text/html', 'image/png', ';;q=x,,', 'text/html;q=0'];

/** Requests aimed at one route: its method (mostly), its path with hostile parameters, queries, bodies and headers. */
export function requestFor(route: RouteInfo, creds: FuzzCredentials): fc.Arbitrary<FuzzRequest> {
  const params = route.path.match(/:\w+/g) ?? [];
  return fc
    .record({
      method: fc.oneof({ weight: 6, arbitrary: fc.constant(route.method) }, { weight: 1, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD') }),
      segments: fc.tuple(...params.map(() => segment)),
      suffix: fc.oneof({ weight: 6, arbitrary: fc.constant('') }, { weight: 1, arbitrary: fc.constantFrom('/', '/extra', '.json', '%ZZ') }),
      query,
      body,
      contentType: fc.option(fc.constantFrom(...CONTENT_TYPES), { nil: undefined, freq: 3 }),
      typeMatchesBody: fc.constantFrom(true, true, true, false),
      encoding: fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 2, arbitrary: fc.constantFrom(...ENCODINGS) }),
      encodingLies: fc.boolean(),
      accept: fc.option(fc.constantFrom(...ACCEPTS), { nil: undefined }),
      auth: fc.constantFrom<string | undefined>(undefined, creds.basicAuth, creds.basicAuth, 'Basic !!!', `Basic ${Buffer.from('a:b').toString('base64')}`, 'Bearer x', `Basic ${Buffer.from('nobody').toString('base64')}`),
      signature: fc.constantFrom<string | undefined>(undefined, 'sha256=00', 'mac=zz', 'sha256='),
    })
    .map((g) => {
      let path = route.path;
      params.forEach((p, i) => (path = path.replace(p, g.segments[i]!)));
      path = `${path}${g.suffix}${g.query}`;
      const headers: Record<string, string> = {};
      let raw: Buffer | null = null;
      if (g.body.kind !== 'none') raw = g.body.kind === 'bytes' ? Buffer.from(g.body.bytes) : Buffer.from(g.body.text, 'utf8');
      const natural = g.body.kind === 'json' || g.body.kind === 'text' ? 'application/json' : g.body.kind === 'form' ? 'application/x-www-form-urlencoded' : undefined;
      const type = g.typeMatchesBody && natural ? natural : g.contentType;
      if (type) headers['content-type'] = type;
      if (raw && g.encoding) {
        headers['content-encoding'] = g.encoding;
        // Either the body really is compressed, or the header lies about garbage bytes.
        if (!g.encodingLies && g.encoding === 'gzip') raw = gzipSync(raw);
        else if (!g.encodingLies && g.encoding === 'br') raw = brotliCompressSync(raw);
        else if (!g.encodingLies && g.encoding === 'deflate') raw = deflateSync(raw);
        else if (g.encoding !== 'identity') raw = Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0x00]), raw]);
      }
      if (g.accept) headers.accept = g.accept;
      if (g.auth) headers.authorization = g.auth;
      if (g.signature) headers[g.signature.startsWith('mac') ? 'x-zevent-signature' : 'x-hub-signature-256'] = g.signature;
      const summary = [
        `${g.method} ${path.length > 160 ? `${path.slice(0, 160)}…(${path.length} chars)` : path}`,
        type ? `type=${type}` : 'no type',
        headers['content-encoding'] ? `encoding=${headers['content-encoding']}${g.encodingLies ? ' (lie)' : ''}` : '',
        headers.accept ? `accept=${headers.accept}` : '',
        g.auth === creds.basicAuth ? 'auth=handler' : g.auth ? 'auth=bad' : '',
        raw ? `body(${g.body.kind}, ${raw.length} B)=${g.body.kind === 'bytes' ? '<bytes>' : JSON.stringify((g.body as { text: string }).text.slice(0, 160))}` : 'no body',
      ].filter(Boolean).join(' | ');
      return { method: g.method, path, headers, body: raw, summary };
    });
}
