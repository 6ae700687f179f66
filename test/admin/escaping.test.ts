import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { h } from 'preact';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Layout } from '../../src/admin/views/layout.js';
import { render } from '../../src/admin/views/render.js';
import { startConsoleApp, type ConsoleApp } from './helpers/console-app.js';

const SCRIPT = '<script>alert("x")</script>';

describe('templates escape by default', () => {
  it('renders a name holding a script as text, and a full document in Vietnamese', () => {
    const html = render(h(Layout, { title: `Tiêu đề ${SCRIPT}`, chrome: { staff: { name: SCRIPT, role: 'teacher' }, nav: [{ href: '/admin?x="><b>', label: SCRIPT }], csrfToken: '"><i>', path: '/admin' } }));
    expect(html.startsWith('<!doctype html>\n<html lang="vi">')).toBe(true);
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('"><b>');
    expect(html).not.toContain('"><i>');
    expect(html).toContain('&lt;script>alert(&quot;x&quot;)&lt;/script>');
  });

  it('has no dangerouslySetInnerHTML anywhere in src/', () => {
    const root = path.resolve(import.meta.dirname, '../../src');
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) {
          if (e.name !== 'generated') walk(p);
        } else if (/\.(ts|tsx|js)$/.test(e.name) && readFileSync(p, 'utf8').includes('dangerouslySetInnerHTML')) offenders.push(path.relative(root, p));
      }
    };
    walk(root);
    expect(offenders).toEqual([]);
  });
});

describe('what people typed, on console pages', () => {
  let c: ConsoleApp;
  beforeAll(async () => {
    c = await startConsoleApp();
    await c.testDb.prisma.staffUser.update({ where: { id: c.world.accounts.teacher.id }, data: { name: `Cô ${SCRIPT} & "Lan"` } });
  });
  afterAll(async () => {
    await c?.close();
  });

  it('shows an account name with a script in it as text on the dashboard and the profile', async () => {
    const b = await c.signedIn('teacher');
    for (const url of ['/admin', '/admin/profile']) {
      const a = await b.get(url);
      expect(a.status).toBe(200);
      expect(a.text, url).not.toContain('<script>alert');
      expect(a.text, url).toContain('Cô &lt;script>alert(&quot;x&quot;)&lt;/script> &amp; &quot;Lan&quot;');
    }
  });

  it('puts a typed e-mail back into the form as an attribute value that cannot break out', async () => {
    const b = c.browser();
    await b.get('/admin/login');
    const a = await b.post('/admin/login', { email: `"><script>alert(1)</script>`, password: 'x' });
    expect(a.status).toBe(400);
    expect(a.text).not.toContain('"><script>');
    expect(a.text).toContain('value="&quot;>&lt;script>alert(1)&lt;/script>"');
  });
});
