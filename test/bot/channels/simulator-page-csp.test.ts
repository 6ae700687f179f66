import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

/** The CSP directives of a header, by name. */
function directives(header: string | null): Map<string, string[]> {
  return new Map((header ?? '').split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([name, ...values]) => [name!, values]));
}

describe('the simulator page under a strict Content-Security-Policy', () => {
  it('runs only script and style from our origin, talks only to us, and cannot be framed', async () => {
    const res = await fetch(`${app.url}/simulator`);
    expect(res.status).toBe(200);
    const csp = directives(res.headers.get('content-security-policy'));
    expect(csp.get('default-src')).toEqual(["'none'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('style-src')).toEqual(["'self'"]);
    expect(csp.get('connect-src')).toEqual(["'self'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    expect(res.headers.get('content-security-policy')).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    expect(res.headers.get('x-frame-options')).toBe('DENY');
  });

  it('has no inline script, style or event handler that such a policy would block', async () => {
    const html = await (await fetch(`${app.url}/simulator`)).text();
    expect(html).not.toMatch(/<style/i);
    expect(html).not.toMatch(/\sstyle=/i);
    expect(html).not.toMatch(/\son[a-z]+=/i);
    for (const tag of html.match(/<script[^>]*>[\s\S]*?<\/script>/gi) ?? []) expect(tag).toMatch(/^<script src="\/simulator\/[^"]+"><\/script>$/);
  });

  it('serves the page script and style itself, with their types', async () => {
    const html = await (await fetch(`${app.url}/simulator`)).text();
    const assets = [...html.matchAll(/(?:src|href)="(\/simulator\/[^"]+)"/g)].map((m) => m[1]!);
    expect(assets.sort()).toEqual(['/simulator/simulator-page.css', '/simulator/simulator-page.js']);
    const css = await fetch(`${app.url}/simulator/simulator-page.css`);
    const js = await fetch(`${app.url}/simulator/simulator-page.js`);
    expect([css.status, css.headers.get('content-type')]).toEqual([200, 'text/css; charset=utf-8']);
    expect([js.status, js.headers.get('content-type')]).toEqual([200, 'text/javascript; charset=utf-8']);
    expect(await js.text()).toContain("fetch('/api/simulator/messages'");
  });
});
