import { readFileSync } from 'node:fs';
import path from 'node:path';
import { hash } from '@node-rs/argon2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTips } from '../../../src/services/tips/tips.js';
import type { TipDraft } from '../../../src/services/tips/submit-tip.js';
import { inTransaction } from '../../../src/store/repos.js';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { jpegWithExif } from '../../helpers/images.js';

// Issue 3: a handler sees and changes only the tips of their scope. School handlers: their school. Office handlers:
// their office's schools and tips naming no school. Admins: everything. Anything else answers 404, as for a tip that
// does not exist, so the API does not reveal which ids exist.

let app: TestApp;
const PASSWORD = 'scope-test-password-9';
const tipIds: Record<'ntt' | 'tp' | 'other' | 'none', string> = { ntt: '', tp: '', other: '', none: '' };
let nttPhotoId = '';

beforeAll(async () => {
  app = await startTestApp();
  const p = app.db.prisma;
  const office = await p.office.findUniqueOrThrow({ where: { code: 'PGD-Q7-DEMO' } });
  const ntt = await p.school.findUniqueOrThrow({ where: { code: 'NTT' } });
  const tp = await p.school.findUniqueOrThrow({ where: { code: 'TP' } });
  const otherOffice = await p.office.create({ data: { code: 'PGD-CC-TEST', name: 'Phòng GD&ĐT Củ Chi (thử)' } });
  const otherSchool = await p.school.create({ data: { officeId: otherOffice.id, code: 'CC1', name: 'Trường THCS Củ Chi 1', level: 'THCS' } });
  const passwordHash = await hash(PASSWORD);
  const staff = [
    { email: 'admin@scope.test', role: 'admin' },
    { email: 'office@scope.test', role: 'tip_handler', officeId: office.id },
    { email: 'other-office@scope.test', role: 'tip_handler', officeId: otherOffice.id },
    { email: 'ntt@scope.test', role: 'tip_handler', schoolId: ntt.id },
    { email: 'tp@scope.test', role: 'tip_handler', schoolId: tp.id },
    { email: 'nowhere@scope.test', role: 'tip_handler' },
    { email: 'teacher@scope.test', role: 'teacher', schoolId: ntt.id },
  ];
  for (const s of staff) await p.staffUser.create({ data: { name: s.email, passwordHash, ...s } });

  const tips = createTips({ prisma: p, ...app.config.tips, webFormUrl: '/tip', fetchImage: async () => jpegWithExif() });
  const submit = async (schoolId: string | null, description: string, photoUrls: string[] = []) => {
    const draft: TipDraft = { category: 'drugs', description, place: null, schoolId, urgent: true, photoUrls };
    const out = await inTransaction(p, (repos) => tips.submit(repos, draft, { submitter: `scope:${description}`, route: null }, new Date()));
    if (!out.ok) throw new Error('tip not stored');
    // Photos are fetched after the submission commits, then stored in a transaction of their own (as in chat).
    const request = out.photoRequest?.sealed;
    if (request) {
      const photos = await tips.fetchPhotos(request);
      await inTransaction(p, (repos) => tips.attachPhotos(repos, request, photos, new Date()));
    }
    return (await p.tip.findUniqueOrThrow({ where: { publicCode: out.code } })).id;
  };
  tipIds.ntt = await submit(ntt.id, 'Tin của trường Nguyễn Thị Thập', ['https://cdn.example/a.jpg']);
  tipIds.tp = await submit(tp.id, 'Tin của trường Tân Phong');
  tipIds.other = await submit(otherSchool.id, 'Tin của trường ở Củ Chi');
  tipIds.none = await submit(null, 'Tin không nêu trường nào');
  nttPhotoId = (await p.tipAttachment.findFirstOrThrow({ where: { tipId: tipIds.ntt } })).id;
});
afterAll(async () => {
  await app?.close();
});

const auth = (email: string, password = PASSWORD) => `Basic ${Buffer.from(`${email}:${password}`).toString('base64')}`;
async function api(email: string, method: string, route: string, body?: unknown, password = PASSWORD) {
  const res = await fetch(`${app.url}${route}`, {
    method,
    headers: { authorization: auth(email, password), ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, text, json: res.headers.get('content-type')?.includes('json') ? (JSON.parse(text) as any) : null };
}

type Key = keyof typeof tipIds;
const SEES: Record<string, Key[]> = {
  'admin@scope.test': ['ntt', 'tp', 'other', 'none'],
  'office@scope.test': ['ntt', 'tp', 'none'],
  'other-office@scope.test': ['other', 'none'],
  'ntt@scope.test': ['ntt'],
  'tp@scope.test': ['tp'],
  'nowhere@scope.test': [],
};
const ALL: Key[] = ['ntt', 'tp', 'other', 'none'];

describe('who sees which tip on /api/tips', () => {
  for (const [email, sees] of Object.entries(SEES)) {
    it(`${email} lists, views, replies to, triages and acknowledges exactly ${sees.length ? sees.join(', ') : 'nothing'}; anything else is 404`, async () => {
      const list = await api(email, 'GET', '/api/tips');
      expect(list.status).toBe(200);
      const listed = (list.json.tips as { id: string }[]).map((t) => t.id);
      for (const k of ALL) expect(listed.includes(tipIds[k]), `${email} lists ${k}`).toBe(sees.includes(k));

      for (const k of ALL) {
        const id = tipIds[k];
        const expected = sees.includes(k) ? 200 : 404;
        const before = await app.db.prisma.tip.findUniqueOrThrow({ where: { id }, include: { messages: true } });
        const view = await api(email, 'GET', `/api/tips/${id}`);
        expect(view.status, `${email} GET ${k}`).toBe(expected);
        if (expected === 404) {
          // The same answer as for an id that does not exist: nothing of the tip leaks.
          expect(view.json).toEqual({ error: { code: 'not_found', message: 'No such tip.' } });
        }
        expect((await api(email, 'POST', `/api/tips/${id}/reply`, { text: `Phản hồi của ${email}` })).status, `${email} reply ${k}`).toBe(expected);
        expect((await api(email, 'POST', `/api/tips/${id}/acknowledge`)).status, `${email} acknowledge ${k}`).toBe(expected);
        expect((await api(email, 'POST', `/api/tips/${id}/status`, { status: 'in_progress' })).status, `${email} status ${k}`).toBe(expected);
        if (expected === 404) {
          const after = await app.db.prisma.tip.findUniqueOrThrow({ where: { id }, include: { messages: true } });
          expect(after.status).toBe(before.status);
          expect(after.acknowledgedAt?.getTime()).toBe(before.acknowledgedAt?.getTime());
          expect(after.messages).toHaveLength(before.messages.length);
        }
      }
      const photo = await api(email, 'GET', `/api/tips/${tipIds.ntt}/photos/${nttPhotoId}`);
      expect(photo.status, `${email} photo`).toBe(sees.includes('ntt') ? 200 : 404);
      // An id that does not exist answers exactly like one out of scope.
      expect((await api(email, 'GET', '/api/tips/00000000-0000-0000-0000-000000000000')).json).toEqual({ error: { code: 'not_found', message: 'No such tip.' } });
      expect((await api(email, 'POST', '/api/tips/00000000-0000-0000-0000-000000000000/status', { status: 'closed', outcome: 'spam' })).status).toBe(404);
    });
  }

  it('refuses a teacher with the right password, like a wrong password', async () => {
    expect((await api('teacher@scope.test', 'GET', '/api/tips')).status).toBe(401);
  });

  it('seeds a school-level and an office-level demo handler, written to demo-accounts.txt', async () => {
    const lines = readFileSync(path.join(app.config.dataDir, 'demo-accounts.txt'), 'utf8').trim().split('\n').map((l) => l.split('\t'));
    const password = (email: string) => lines.find((l) => l[1] === email)?.[2] ?? '';
    expect(lines.find((l) => l[1] === 'tin-bao.phong@demo.local')?.[0]).toBe('tip_handler');
    const office = await api('tin-bao.phong@demo.local', 'GET', '/api/tips', undefined, password('tin-bao.phong@demo.local'));
    expect((office.json.tips as { id: string }[]).map((t) => t.id).sort()).toEqual([tipIds.ntt, tipIds.tp, tipIds.none].sort());
    const school = await api('tin-bao@demo.local', 'GET', '/api/tips', undefined, password('tin-bao@demo.local'));
    expect((school.json.tips as { id: string }[]).map((t) => t.id)).toEqual([tipIds.ntt]);
  });
});
