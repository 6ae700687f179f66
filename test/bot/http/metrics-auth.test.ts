import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.js';

const TOKEN = 'metrics-token-for-tests-0123456789';
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ METRICS_TOKEN: TOKEN });
});
afterAll(async () => {
  await app?.close();
});

const metrics = (authorization?: string) => fetch(`${app.url}/metrics`, authorization ? { headers: { authorization } } : {});

describe('/metrics with METRICS_TOKEN set', () => {
  it('shows the bearer of the token that an urgent tip is waiting, and nobody else', async () => {
    const tip = new URLSearchParams({ category: 'weapons', description: 'Có người mang dao vào trường, đang đe doạ bạn.', urgent: 'yes' });
    expect((await fetch(`${app.url}/tip`, { method: 'POST', body: tip })).status).toBe(200);
    const res = await metrics(`Bearer ${TOKEN}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/^bot_open_alerts\{kind="urgent_tip"\} 1$/m);
    const anonymous = await metrics();
    expect([anonymous.status, (await anonymous.text()).includes('urgent')]).toEqual([401, false]);
  });

  it.each([
    ['no Authorization header', undefined],
    ['another token', 'Bearer metrics-token-for-tests-0123456788'],
    ['the token with a character more', `Bearer ${TOKEN}x`],
    ['a prefix of the token', `Bearer ${TOKEN.slice(0, -1)}`],
    ['the token as Basic credentials', `Basic ${Buffer.from(`metrics:${TOKEN}`).toString('base64')}`],
    ['the token without the scheme', TOKEN],
  ])('answers 401 with a generic body to %s, showing no metric', async (_what, authorization) => {
    const res = await metrics(authorization);
    const text = await res.text();
    expect([res.status, res.headers.get('www-authenticate')]).toEqual([401, 'Bearer realm="metrics"']);
    expect(JSON.parse(text)).toEqual({ error: { code: 'unauthorized', message: 'Missing or invalid bearer token.' } });
    expect(text).not.toContain('bot_');
    expect(text).not.toContain(TOKEN.slice(0, 8));
  });
});
