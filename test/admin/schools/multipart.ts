import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import type { Answer, Browser } from '../helpers/browser.js';

/** One part of a multipart form: a text field, or a file with its name and type. */
export type Part = { name: string; value: string } | { name: string; filename: string; type?: string; bytes: Buffer };

/** A multipart/form-data body as a browser sends a form with `enctype="multipart/form-data"`. */
export function multipartBody(parts: Part[]): { body: Buffer; contentType: string } {
  const boundary = `----ssbTest${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    if ('value' in p) {
      chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"\r\n\r\n${p.value}\r\n`, 'utf8'));
    } else {
      chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"; filename="${p.filename}"\r\nContent-Type: ${p.type ?? 'application/octet-stream'}\r\n\r\n`, 'utf8'));
      chunks.push(p.bytes, Buffer.from('\r\n'));
    }
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/**
 * POSTs a multipart form with the browser's cookies, its Origin, and the CSRF token in the query (`?_csrf=`, as the
 * console's file forms carry it), unless `csrf` is false. Binary-safe (the Browser helper sends strings).
 */
export function postMultipart(b: Browser, base: string, path: string, parts: Part[], opts: { csrf?: boolean } = {}): Promise<Answer> {
  const { body, contentType } = multipartBody(parts);
  const url = new URL(path, base);
  if (opts.csrf !== false) url.searchParams.set('_csrf', b.csrf);
  const cookie = [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent: false, headers: { cookie, origin: base, 'content-type': contentType, 'content-length': String(body.length) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const token = /<meta name="csrf-token" content="([^"]*)"/.exec(text)?.[1];
        if (token) b.csrf = token;
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, location: res.headers.location, setCookies: res.headers['set-cookie'] ?? [] });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The hidden fields of the preview's confirmation form, as the browser would send them back. */
export function confirmFields(html: string): { name: string; value: string }[] {
  const form = /<form[^>]*action="[^"]*\/roster\/import[^"]*"[^>]*>([\s\S]*?)<\/form>/.exec(html)?.[1] ?? '';
  return [...form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)].map((m) => ({ name: m[1]!, value: decodeEntities(m[2]!) }));
}

/** The path of the preview's confirmation form (without its query). */
export function confirmPath(html: string): string | undefined {
  return /action="(\/admin\/classes\/[^"?]+\/roster\/import)\?/.exec(html)?.[1];
}

function decodeEntities(s: string): string {
  return s.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}
