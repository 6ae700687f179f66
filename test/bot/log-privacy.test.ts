import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';

let app: TestApp;
beforeAll(async () => {
  // Debug level: the strictest check, every line the pipeline writes is inspected.
  app = await startTestApp({}, { logLevel: 'debug' });
});
afterAll(async () => {
  await app?.close();
});

describe('logs', () => {
  it('never contain the user id or the text of a conversation', async () => {
    const user = 'zalo-user-8472619301234567890';
    const secretText = 'Nhà em ở số 12 đường Lê Văn Lương';
    await app.say(user, { text: 'xin chào' });
    await app.say(user, { payload: 'ROLE:parent' });
    await app.say(user, { text: secretText });
    await app.say(user, { text: 'NTT-6A1' });
    const all = app.logs.lines.join('\n');
    expect(app.logs.lines.length).toBeGreaterThan(5);
    expect(all).not.toContain(user);
    expect(all).not.toContain('Lê Văn Lương');
    expect(all).not.toContain('NTT-6A1');
    // Lines can still be followed per contact through a hash.
    expect(all).toMatch(/"contactKey":"[0-9a-f]{12}"/);
  });
});
