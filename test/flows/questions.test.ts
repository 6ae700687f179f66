import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenAiDouble, type OpenAiDouble } from '../doubles/openai-double.js';
import { button, startTestApp, textOf, type TestApp } from '../helpers/app.js';

let plain: TestApp;
let withModel: TestApp;
let model: OpenAiDouble;
beforeAll(async () => {
  model = await startOpenAiDouble();
  [plain, withModel] = await Promise.all([
    startTestApp(),
    startTestApp({ OPENAI_API_KEY: 'sk-test-double', OPENAI_BASE_URL: `${model.url}/v1`, OPENAI_MODEL: 'test-model' }),
  ]);
});
afterAll(async () => {
  await Promise.all([plain?.close(), withModel?.close()]);
  await model?.close();
});

async function onboard(app: TestApp, user: string, role = 'ROLE:parent') {
  await app.say(user, { text: 'chào' });
  await app.say(user, { payload: role });
  await app.say(user, { text: 'NTT-6A1' });
}

describe('free-text questions without a model', () => {
  it('answers with the best catalogue items as buttons, matching without diacritics', async () => {
    await onboard(plain, 'q-helmet');
    const r = await plain.say('q-helmet', { text: 'doi mu bao hiem cho con the nao?' });
    expect(textOf(r.replies)).toContain('Mình tìm thấy các tin có thể giúp bạn');
    const opened = await plain.say('q-helmet', { payload: button(r.replies, 'Đội mũ bảo hiểm cho con trên mọi chuyến xe') });
    expect(textOf(opened.replies)).toContain('Nguồn: Luật Trật tự, an toàn giao thông đường bộ 2024');
  });

  it('says it did not understand, with the menu, when nothing in the catalogue matches', async () => {
    await onboard(plain, 'q-weather');
    const r = await plain.say('q-weather', { text: 'thời tiết ngày mai thế nào' });
    expect(textOf(r.replies)).toContain('Mình chưa hiểu ý bạn');
  });
});

describe('free-text questions with an OpenAI-compatible model', () => {
  it('sends the question with only the retrieved items to the model and shows its short answer with the sources', async () => {
    await onboard(withModel, 'm-helmet');
    const before = model.completions().length;
    const r = await withModel.say('m-helmet', { text: 'Con tôi có phải đội mũ bảo hiểm khi đi xe máy không?' });
    expect(textOf(r.replies)).toContain('Theo tài liệu, hãy đội mũ bảo hiểm');
    expect(textOf(r.replies)).toContain('Đọc thêm:');
    const call = model.completions()[before]!;
    expect(call.model).toBe('test-model');
    const user = call.messages.find((m) => m.role === 'user')!.content;
    expect(user).toContain('Con tôi có phải đội mũ bảo hiểm');
    expect(user).toContain('Nguồn:');
    expect(call.messages[0]!.content).toContain('Chỉ dùng thông tin trong các mục TÀI LIỆU');
  });

  it('asks the model in English for a contact who switched to English', async () => {
    await onboard(withModel, 'm-en');
    await withModel.say('m-en', { text: 'English' });
    const before = model.completions().length;
    await withModel.say('m-en', { text: 'helmet for my child on the motorbike, mũ bảo hiểm?' });
    expect(model.completions()[before]!.messages[0]!.content).toContain('Answer in English');
  });

  it('does not call the model for an off-topic question the catalogue cannot ground', async () => {
    await onboard(withModel, 'm-off');
    const before = model.completions().length;
    const r = await withModel.say('m-off', { text: 'viết giúp mình bài thơ về mùa thu' });
    expect(model.completions().length).toBe(before);
    expect(textOf(r.replies)).toContain('Mình chưa hiểu ý bạn');
  });

  it('falls back to keyword results when the model fails', async () => {
    await onboard(withModel, 'm-down');
    model.reply = () => ({ status: 500 });
    try {
      const r = await withModel.say('m-down', { text: 'dấu hiệu con nghiện ma tuý' });
      expect(textOf(r.replies)).toContain('Mình tìm thấy các tin có thể giúp bạn');
    } finally {
      model.reply = () => ({ content: 'Theo tài liệu, hãy đội mũ bảo hiểm cài quai đúng cách. (Nguồn: Luật 36/2024/QH15)' });
    }
  });

  it('sends nothing typed inside another flow to the model', async () => {
    await onboard(withModel, 'm-inflow');
    await withModel.say('m-inflow', { payload: 'FLOW:onboarding' });
    const before = model.completions().length;
    await withModel.say('m-inflow', { text: 'đội mũ bảo hiểm cho con thế nào' });
    expect(model.completions().length).toBe(before);
  });
});
