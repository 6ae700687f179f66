import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedPledgeTemplates } from '../../../src/services/pledges/seed-pledge-templates.js';
import { loadPledgeTemplates } from '../../../src/content/pledge-templates.js';
import { createRepos } from '../../../src/store/repos.js';
import { startTestApp, type TestApp } from '../../helpers/app.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

describe('GET /verify/<code> and GET /pledges/<code>.png', () => {
  it('answers 404 with a Vietnamese page for a well-formed code nobody holds', async () => {
    const res = await fetch(`${app.url}/verify/CK-2345-6789`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await res.text();
    expect(html).toContain('Không tìm thấy cam kết với mã này');
    expect(html).toContain('CK-2345-6789');
  });

  it('treats a malformed code as unknown without echoing it', async () => {
    const res = await fetch(`${app.url}/verify/${encodeURIComponent('<script>alert(1)</script>')}`);
    expect(res.status).toBe(404);
    const html = await res.text();
    expect(html).not.toContain('<script>');
  });

  it('accepts a code typed in lower case without dashes', async () => {
    const res = await fetch(`${app.url}/verify/ck23456789`);
    expect(await res.text()).toContain('CK-2345-6789');
  });

  it('answers 404 for the certificate of an unknown or malformed code', async () => {
    expect((await fetch(`${app.url}/pledges/CK-2345-6789.png`)).status).toBe(404);
    expect((await fetch(`${app.url}/pledges/whatever.png`)).status).toBe(404);
    expect((await fetch(`${app.url}/pledges/CK-2345-6789`)).status).toBe(404);
  });
});

describe('pledge template seed', () => {
  it('stores the parent and student templates of the demo campaign once, however often it runs', async () => {
    const repo = createRepos(app.db.prisma).pledges;
    const again = await seedPledgeTemplates(repo, loadPledgeTemplates());
    expect(again).toEqual({ created: 0, missingCampaigns: [] });
    const rows = await app.db.prisma.pledgeTemplate.findMany({ orderBy: { audience: 'asc' } });
    expect(rows.map((r) => [r.audience, r.version])).toEqual([['parent', 1], ['student', 1]]);
    expect(rows[0]!.source).toContain('36/2024/QH15');
    expect(await app.db.prisma.rosterEntry.count()).toBe(6);
  });

  it('skips templates of a campaign that does not exist', async () => {
    const repo = createRepos(app.db.prisma).pledges;
    const out = await repo.ensureTemplates([{ campaign: 'khong-co', audience: 'parent', version: 1, title: 'Cam kết thử', items: ['Điều một.'], source: 'Nguồn thử' }]);
    expect(out).toEqual({ created: 0, missingCampaigns: ['khong-co'] });
  });
});
