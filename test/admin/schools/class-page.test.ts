import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import type { Browser } from '../helpers/browser.js';
import { startConsoleApp, type ConsoleApp } from '../helpers/console-app.js';

// The class page with both chat channels configured: the roster (names for those who may read them), the join links
// and their QR codes (image routes, scope-checked like the page), and teacher codes shown once and audited.

// jsqr's CommonJS default export, as test/services/classes/class-links.test.ts takes it.
type JsQr = typeof jsQRModule.default;
const jsQR: JsQr = (jsQRModule as unknown as { default?: JsQr }).default ?? (jsQRModule as unknown as JsQr);

const PAGE_ID = '1234567890';
const OA_ID = '579745863508352884';
// No call reaches these addresses: the background loops are off.
const NOWHERE = 'http://127.0.0.1:9';

let c: ConsoleApp;
beforeAll(async () => {
  c = await startConsoleApp({
    MESSENGER_APP_SECRET: 'messenger-secret-for-console-tests',
    MESSENGER_VERIFY_TOKEN: 'verify',
    MESSENGER_PAGE_ID: PAGE_ID,
    MESSENGER_PAGE_ACCESS_TOKEN: 'page-token',
    MESSENGER_GRAPH_BASE_URL: NOWHERE,
    ZALO_APP_ID: 'app',
    ZALO_APP_SECRET: 'app-secret',
    ZALO_OA_ID: OA_ID,
    ZALO_OA_SECRET_KEY: 'oa-secret',
    ZALO_ACCESS_TOKEN: 'access',
    ZALO_REFRESH_TOKEN: 'refresh',
    ZALO_OPENAPI_BASE_URL: NOWHERE,
    ZALO_OAUTH_BASE_URL: NOWHERE,
  });
});
afterAll(async () => {
  await c?.close();
});

/** A GET whose body is kept as bytes (the Browser helper reads text). */
function getBytes(b: Browser, path: string): Promise<{ status: number; type: string; disposition: string; body: Buffer }> {
  const cookie = [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  return new Promise((resolve, reject) => {
    request(new URL(path, c.url), { headers: { cookie }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), disposition: String(res.headers['content-disposition'] ?? ''), body: Buffer.concat(chunks) }));
      res.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}

function readQr(png: Buffer): string | null {
  const img = PNG.sync.read(png);
  return jsQR(new Uint8ClampedArray(img.data.buffer, img.data.byteOffset, img.data.length), img.width, img.height)?.data ?? null;
}

describe('the class page', () => {
  it('shows the class teacher the roster names, the links of both channels and their QR codes', async () => {
    const b = await c.signedIn('teacher');
    const id = c.world.classes.own.id;
    const page = await b.get(`/admin/classes/${id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Danh sách lớp 6A1');
    expect(page.text).toMatch(/<td>Nguyễn Minh An<\/td>/);
    expect(page.text).toContain(`https://m.me/${PAGE_ID}?ref=NTT-6A1`);
    expect(page.text).toContain(`https://zalo.me/${OA_ID}`);
    expect(page.text).toContain('rồi nhắn mã lớp NTT-6A1 để vào lớp 6A1');
    expect(page.text).toContain(`src="/admin/classes/${id}/qr/messenger.svg"`);
    // Teacher codes and editing are for the school's admins.
    expect(page.text).not.toContain('Tạo mã giáo viên');
  });

  it('serves QR codes that scan to the class links, as PNG and SVG, never cached', async () => {
    const b = await c.signedIn('school_admin');
    const id = c.world.classes.own.id;
    const png = await getBytes(b, `/admin/classes/${id}/qr/messenger.png`);
    expect(png.status).toBe(200);
    expect(png.type).toBe('image/png');
    expect(readQr(png.body)).toBe(`https://m.me/${PAGE_ID}?ref=NTT-6A1`);
    const zalo = await getBytes(b, `/admin/classes/${id}/qr/zalo.png`);
    expect(readQr(zalo.body)).toBe(`https://zalo.me/${OA_ID}`);
    const svg = await getBytes(b, `/admin/classes/${id}/qr/zalo.svg`);
    expect(svg.type).toContain('image/svg+xml');
    expect(svg.body.toString('utf8')).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
    expect(svg.body.toString('utf8')).not.toMatch(/<script/i);
    const headers = await b.get(`/admin/classes/${id}/qr/messenger.svg`);
    expect(headers.headers['cache-control']).toBe('no-store');
  });

  it('answers 404 for the QR code of a class outside the account, or a file that is not a QR code', async () => {
    const admin = await c.signedIn('school_admin');
    expect((await getBytes(admin, `/admin/classes/${c.world.classes.foreign.id}/qr/messenger.png`)).status).toBe(404);
    const teacher = await c.signedIn('teacher');
    expect((await getBytes(teacher, `/admin/classes/${c.world.classes.sameSchool.id}/qr/zalo.svg`)).status).toBe(404);
    expect((await getBytes(teacher, `/admin/classes/${c.world.classes.own.id}/qr/messenger.gif`)).status).toBe(404);
    expect((await getBytes(teacher, `/admin/classes/${c.world.classes.own.id}/qr/..%2Fapp-secret.key`)).status).toBe(404);
  });
});

describe('teacher codes', () => {
  it('shows a new code once, stores only its hash, and records that one was made (never the code)', async () => {
    const b = await c.signedIn('school_admin');
    const id = c.world.classes.own.id;
    await b.get(`/admin/classes/${id}`);
    const before = await c.testDb.prisma.teacherInvite.count();
    const a = await b.post(`/admin/classes/${id}/invites`, { days: '7' });
    expect(a.status).toBe(200);
    const code = /Mã giáo viên lớp 6A1: <strong class="code">(GV-[A-Z0-9-]+)<\/strong>/.exec(a.text)?.[1];
    expect(code).toBeDefined();
    expect(a.text).toContain(`GV ${code!.replace(/^GV-/, '')}`);
    expect(await c.testDb.prisma.teacherInvite.count()).toBe(before + 1);
    const invite = await c.testDb.prisma.teacherInvite.findFirstOrThrow({ orderBy: { createdAt: 'desc' } });
    expect(invite).toMatchObject({ classId: id, createdBy: c.world.accounts.school_admin.id });
    expect(invite.codeHash).not.toContain(code!.replace(/-/g, ''));
    expect(Math.round((invite.expiresAt.getTime() - c.clock.now().getTime()) / 86_400_000)).toBe(7);
    const [entry] = await c.testDb.prisma.auditLog.findMany({ where: { action: 'teacher_invite_created', targetId: id } });
    expect(entry).toMatchObject({ staffId: c.world.accounts.school_admin.id, detail: { days: 7 } });
    expect(JSON.stringify(entry)).not.toContain(code!);
    // Reading the page again never shows it.
    expect((await b.get(`/admin/classes/${id}`)).text).not.toContain(code!);
  });

  it.each([['0'], ['91'], ['bảy'], ['-3'], ['1.5']])('answers %s days with a Vietnamese message and makes no code', async (days) => {
    const b = await c.signedIn('admin');
    const id = c.world.classes.own.id;
    await b.get(`/admin/classes/${id}`);
    const before = await c.testDb.prisma.teacherInvite.count();
    const a = await b.post(`/admin/classes/${id}/invites`, { days });
    expect(a.status).toBe(400);
    expect(a.text).toContain('Số ngày hiệu lực phải là số nguyên từ 1 đến 90.');
    expect(await c.testDb.prisma.teacherInvite.count()).toBe(before);
  });

  it('is refused to teachers, and answers 404 for another school’s class', async () => {
    const before = await c.testDb.prisma.teacherInvite.count();
    const teacher = await c.signedIn('teacher');
    await teacher.get(`/admin/classes/${c.world.classes.own.id}`);
    expect((await teacher.post(`/admin/classes/${c.world.classes.own.id}/invites`, { days: '14' })).status).toBe(403);
    const admin = await c.signedIn('school_admin');
    await admin.get(`/admin/classes/${c.world.classes.own.id}`);
    expect((await admin.post(`/admin/classes/${c.world.classes.foreign.id}/invites`, { days: '14' })).status).toBe(404);
    expect(await c.testDb.prisma.teacherInvite.count()).toBe(before);
  });
});
