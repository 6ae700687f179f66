import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classLinks } from '../../../src/services/classes/class-links.js';
import { classQr } from '../../../src/services/classes/class-qr.js';
import { createClassInvite } from '../../../src/services/classes/create-class-invite.js';
import { teacherInviteKey } from '../../../src/services/teachers/invite-keys.js';
import { redeemTeacherInvite } from '../../../src/services/teachers/redeem-invite.js';
import { createRepos, type Repos } from '../../../src/store/repos.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.js';
import { seedScopeWorld, type ScopeWorld } from '../schools/scope-fixtures.js';

// jsqr is CommonJS with an ESM-style `export default` in its types: take whichever the runtime hands over.
type JsQr = typeof jsQRModule.default;
const jsQR: JsQr = (jsQRModule as unknown as { default?: JsQr }).default ?? (jsQRModule as unknown as JsQr);

const ACCOUNTS = { messengerPage: 'truongantoan', zaloOaId: '579745863508352884' };
const key = teacherInviteKey('class-invite-test-secret-class-invite-01');
let db: TestDatabase;
let w: ScopeWorld;
let repos: Repos;
beforeAll(async () => {
  db = await createTestDatabase();
  w = await seedScopeWorld(db);
  repos = createRepos(db.prisma);
});
afterAll(async () => {
  await db?.drop();
});

describe('class join links', () => {
  it('gives the m.me link with the class code as ref, and the OA link with the code to type', async () => {
    const out = await classLinks(repos, w.scopes.teacher6a1, w.classes.ntt6a1, ACCOUNTS);
    expect(out).toEqual({
      ok: true,
      links: {
        classId: w.classes.ntt6a1,
        className: '6A1',
        schoolName: 'Trường THCS Nguyễn Thị Thập',
        code: 'NTT-6A1',
        messenger: { url: 'https://m.me/truongantoan?ref=NTT-6A1', ref: 'NTT-6A1' },
        zalo: {
          url: 'https://zalo.me/579745863508352884',
          carriesClass: false,
          instructions: 'Mở Zalo, quét mã QR (hoặc bấm liên kết), bấm “Quan tâm”, rồi nhắn mã lớp NTT-6A1 để vào lớp 6A1 – Trường THCS Nguyễn Thị Thập.',
        },
      },
    });
  });

  it('leaves out a channel that is off, and answers not_found outside the scope', async () => {
    const off = await classLinks(repos, w.scopes.nttAdmin, w.classes.ntt6a2, { messengerPage: null, zaloOaId: null });
    expect(off.ok && [off.links.messenger, off.links.zalo]).toEqual([null, null]);
    expect(await classLinks(repos, w.scopes.teacher6a1, w.classes.ntt6a2, ACCOUNTS)).toEqual({ ok: false, reason: 'not_found' });
    expect(await classLinks(repos, w.scopes.nttAdmin, w.classes.tp1a, ACCOUNTS)).toEqual({ ok: false, reason: 'not_found' });
    expect(await classLinks(repos, w.scopes.handler, w.classes.ntt6a1, ACCOUNTS)).toEqual({ ok: false, reason: 'not_found' });
  });
});

describe('class QR codes', () => {
  it('draws a PNG whose QR code reads back as the Messenger link', async () => {
    const out = await classQr(repos, w.scopes.nttAdmin, w.classes.ntt6a1, ACCOUNTS, { channel: 'messenger', format: 'png' });
    if (!out.ok) throw new Error(out.reason);
    expect(out.contentType).toBe('image/png');
    const png = PNG.sync.read(out.body);
    const qr = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
    expect(qr?.data).toBe('https://m.me/truongantoan?ref=NTT-6A1');
  });

  it('draws the Zalo link as a PNG and as an SVG with no script in it', async () => {
    const png = await classQr(repos, w.scopes.officeAdmin, w.classes.tp1a, ACCOUNTS, { channel: 'zalo', format: 'png' });
    if (!png.ok) throw new Error(png.reason);
    const img = PNG.sync.read(png.body);
    expect(jsQR(new Uint8ClampedArray(img.data), img.width, img.height)?.data).toBe('https://zalo.me/579745863508352884');
    const svg = await classQr(repos, w.scopes.officeAdmin, w.classes.tp1a, ACCOUNTS, { channel: 'zalo', format: 'svg' });
    if (!svg.ok) throw new Error(svg.reason);
    const text = svg.body.toString('utf8');
    expect([svg.contentType, text.startsWith('<svg'), /<path/.test(text), /script|on\w+=/i.test(text)]).toEqual(['image/svg+xml', true, true, false]);
  });

  it('answers channel_off for a channel without an account, and not_found outside the scope', async () => {
    expect(await classQr(repos, w.scopes.nttAdmin, w.classes.ntt6a1, { messengerPage: null, zaloOaId: null }, { channel: 'zalo', format: 'svg' })).toEqual({ ok: false, reason: 'channel_off' });
    expect(await classQr(repos, w.scopes.teacher6a1, w.classes.ntt6a2, ACCOUNTS, { channel: 'messenger', format: 'png' })).toEqual({ ok: false, reason: 'not_found' });
  });
});

describe('teacher codes of a class from the console', () => {
  it('makes a single-use code that verifies a teacher of that class, recording who made it', async () => {
    const now = new Date();
    const out = await createClassInvite(repos, key, w.scopes.nttAdmin, { classId: w.classes.ntt6a2, days: 7, now });
    if (!out.ok) throw new Error(out.reason);
    expect([out.className, out.schoolName, out.expiresAt.getTime() - now.getTime()]).toEqual(['6A2', 'Trường THCS Nguyễn Thị Thập', 7 * 24 * 3600_000]);
    const row = await db.prisma.teacherInvite.findFirstOrThrow({ where: { classId: w.classes.ntt6a2 } });
    expect(row.createdBy).toBe(w.scopes.nttAdmin.staffId);
    const contact = await db.prisma.contact.create({ data: { channel: 'simulator', accountId: 'zalo', userId: 'gv-console', role: 'parent' } });
    expect(await redeemTeacherInvite(repos, key, { contactId: contact.id, typed: out.code, now })).toEqual({ ok: true, schoolId: w.ntt, classId: w.classes.ntt6a2 });
  });

  it('refuses teachers (forbidden), other schools (not_found) and a validity out of range', async () => {
    const before = await db.prisma.teacherInvite.count();
    const now = new Date();
    expect(await createClassInvite(repos, key, w.scopes.teacher6a1, { classId: w.classes.ntt6a1, now })).toEqual({ ok: false, reason: 'forbidden' });
    expect(await createClassInvite(repos, key, w.scopes.teacher6a1, { classId: w.classes.ntt6a2, now })).toEqual({ ok: false, reason: 'not_found' });
    expect(await createClassInvite(repos, key, w.scopes.tpAdmin, { classId: w.classes.ntt6a1, now })).toEqual({ ok: false, reason: 'not_found' });
    expect(await createClassInvite(repos, key, w.scopes.otherOfficeAdmin, { classId: w.classes.tp1a, now })).toEqual({ ok: false, reason: 'not_found' });
    expect(await createClassInvite(repos, key, w.scopes.officeAdmin, { classId: w.classes.tp1a, days: 91, now })).toEqual({ ok: false, reason: 'invalid_days', message: 'Số ngày hiệu lực phải là số nguyên từ 1 đến 90.' });
    expect(await db.prisma.teacherInvite.count()).toBe(before);
  });
});
