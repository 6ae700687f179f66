import { describe, expect, it } from 'vitest';
import { renderForMessenger, type MessengerMessage } from '../../../src/bot/channels/messenger/messenger-render.js';
import { renderForGroup, renderForUser, type ZaloMessage } from '../../../src/bot/channels/zalo/zalo-render.js';
import { catalogueItemInChat, catalogueItemMessages, previewOnChannel, type PreviewBubble, type PreviewChannel } from '../../../src/content/channel-preview.js';
import { loadCatalogue } from '../../../src/content/catalogue.js';
import { translate } from '../../../src/content/i18n.js';
import type { OutMessage } from '../../../src/content/messages.schema.js';
import { contentFlow, renderItem } from '../../../src/flows/content.flow.js';
import type { StepContext } from '../../../src/flows/flow.js';

// The console's channel preview (src/content/channel-preview.ts) restates what the chat sends and how the channels
// render it, because src/admin may import neither src/flows nor src/bot. These tests hold the restatement to the real
// code: every catalogue item, and messages at and past each platform limit, come out the same through both.

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v !== null && typeof v === 'object' ? (v as Obj) : {});
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.map(obj) : []);

/** A Zalo OA message as the Zalo channel sends it, described as a preview bubble. */
function zaloBubble(m: ZaloMessage): PreviewBubble {
  const b: PreviewBubble = {};
  if (typeof m.text === 'string') b.text = m.text;
  const payload = obj(obj(m.attachment).payload);
  if (payload.template_type === 'media') b.image = String(list(payload.elements)[0]?.url);
  else if (payload.template_type === 'list') b.buttons = list(payload.elements).map((e) => ({ title: String(e.title) }));
  else if (payload.buttons) b.buttons = list(payload.buttons).map((x) => ({ title: String(x.title), url: String(obj(x.payload).url) }));
  return b;
}

/** A Send API message, described the same way. */
function messengerBubble(m: MessengerMessage): PreviewBubble {
  const b: PreviewBubble = {};
  const attachment = obj(m.attachment);
  const payload = obj(attachment.payload);
  if (typeof m.text === 'string') b.text = m.text;
  if (attachment.type === 'image') b.image = String(payload.url);
  if (payload.template_type === 'button') {
    b.text = String(payload.text);
    b.buttons = list(payload.buttons).map((x) => (x.type === 'web_url' ? { title: String(x.title), url: String(x.url) } : { title: String(x.title) }));
  }
  if (Array.isArray(m.quick_replies)) b.quickReplies = list(m.quick_replies).map((q) => String(q.title));
  return b;
}

function realRender(messages: OutMessage[], channel: PreviewChannel): PreviewBubble[] {
  if (channel === 'zalo') return messages.flatMap(renderForUser).map(zaloBubble);
  if (channel === 'zalo_group') return messages.flatMap(renderForGroup).map(zaloBubble);
  return messages.flatMap(renderForMessenger).map(messengerBubble);
}

const CHANNELS: PreviewChannel[] = ['zalo', 'zalo_group', 'messenger'];
const catalogue = loadCatalogue();
const vi = { t: (key: string, params?: Record<string, string | number>) => translate('vi', key as never, params) } as unknown as StepContext;

describe('the console’s channel preview', () => {
  it('builds the same messages as the chat’s content flow for every catalogue item', () => {
    for (const item of catalogue.items()) expect(catalogueItemMessages(item), item.id).toEqual(renderItem(vi, item));
  });

  it('builds the same item and navigation as the content flow’s item step shows a parent or a student', async () => {
    for (const item of catalogue.items()) {
      for (const audience of item.audience) {
        const inChat = catalogueItemInChat(catalogue, item, audience)!;
        const ctx = { ...vi, contact: { role: audience, locale: 'vi' }, services: { catalogue } } as unknown as StepContext;
        const prompted = await contentFlow.steps.item!.prompt(ctx, { topic: item.topic, index: inChat.position - 1 });
        expect(inChat.messages, `${item.id} for ${audience}`).toEqual(prompted);
      }
    }
  });

  it('renders every catalogue item, with its navigation, exactly as each channel does', () => {
    let checked = 0;
    for (const item of catalogue.items()) {
      for (const audience of item.audience) {
        const inChat = catalogueItemInChat(catalogue, item, audience);
        expect(inChat, `${item.id} for ${audience}`).not.toBeNull();
        for (const channel of CHANNELS) {
          expect(previewOnChannel(inChat!.messages, channel), `${item.id} ${audience} ${channel}`).toEqual(realRender(inChat!.messages, channel));
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('splits, cuts and folds messages at each platform’s limits as the channels do', () => {
    const long = `${'Câu dài về an toàn giao thông. '.repeat(120)}\n\n${'x'.repeat(2500)}`;
    const button = (title: string, i: number) => ({ title, payload: `P${i}` });
    const cases: OutMessage[][] = [
      [{ type: 'text', text: long }],
      [{ type: 'text', text: 'Gửi [@all] cả nhóm' }],
      [{ type: 'buttons', text: 'Chọn một', buttons: [button('Có', 1), button('Không', 2)] }],
      [{ type: 'buttons', text: 'Chọn một', buttons: Array.from({ length: 13 }, (_, i) => button(`Lựa chọn ${i + 1}`, i)) }],
      [{ type: 'buttons', text: 'Chọn lớp', buttons: [button('Lớp 6A1 – Trường THCS Nguyễn Thị Thập', 1), button('6A2', 2)] }],
      [{ type: 'buttons', text: 'a'.repeat(700), buttons: [button('Đồng ý', 1)] }],
      [{ type: 'image', url: 'https://example.org/a.png', caption: 'Ảnh [@x] minh hoạ' }],
      [{ type: 'image', url: 'https://example.org/b.png' }],
      [{ type: 'link', url: 'https://thuvienphapluat.vn/van-ban/luat-36-2024', title: 'Luật Trật tự, an toàn giao thông đường bộ 2024', text: 'Đọc toàn văn' }],
      [{ type: 'link', url: 'https://example.org', title: 'Nguồn' }],
    ];
    for (const messages of cases) for (const channel of CHANNELS) expect(previewOnChannel(messages, channel), `${channel}: ${JSON.stringify(messages).slice(0, 60)}`).toEqual(realRender(messages, channel));
  });

  it('says when an item is not for an audience', () => {
    const forParents = catalogue.items().find((i) => !i.audience.includes('student'));
    if (forParents) expect(catalogueItemInChat(catalogue, forParents, 'student')).toBeNull();
    const any = catalogue.items()[0]!;
    const shown = catalogueItemInChat(catalogue, any, any.audience[0]!)!;
    expect(shown.position).toBe(1);
    expect(shown.messages.at(-1)).toMatchObject({ type: 'buttons', text: `1/${shown.total}` });
  });
});
