import type { Audience, ContentItem } from './catalogue.schema.js';
import type { Catalogue } from './catalogue.js';
import { translate, type Locale } from './i18n.js';
import type { OutMessage } from './messages.schema.js';

// What the chat sends for catalogue items, and how each channel splits and shapes neutral messages, restated for the
// staff console (which may import neither src/flows nor src/bot). The rules are those of src/flows/content.flow.ts
// (`renderItem`, the item step's buttons) and src/bot/channels/{zalo/zalo-render,messenger/messenger-render}.ts;
// test/admin/content/channel-preview.test.ts holds both to the same output for every catalogue item. Splitting and
// shortening are not restated: the bot's renderers use `splitChatText` and `shortenTitle` from here.

/** The channels a preview shows: a Zalo OA chat, a Zalo class group (GMF), a Messenger chat. */
export type PreviewChannel = 'zalo' | 'zalo_group' | 'messenger';

/** A button of a platform message: a tap that answers the bot, or a link that opens a page. */
export interface PreviewButton {
  title: string;
  url?: string;
}

/** One platform message as a person sees it: its text, picture, buttons under it, quick replies below it. */
export interface PreviewBubble {
  text?: string;
  image?: string;
  buttons?: PreviewButton[];
  /** Messenger's quick-reply chips (they vanish once one is tapped). */
  quickReplies?: string[];
}

/** Zalo's and Messenger's limits, as the channel renderers apply them. */
export const CHANNEL_LIMITS = {
  zaloText: 2000,
  zaloListElements: 5,
  zaloLinkTitle: 100,
  messengerText: 2000,
  messengerTemplateText: 640,
  messengerQuickReplies: 13,
  messengerTitle: 20,
  messengerTemplateButtons: 3,
} as const;

/** Splits text into parts of at most `max` characters, preferring paragraph, line, sentence, then word breaks. */
export function splitChatText(input: string, max: number): string[] {
  const text = input.normalize('NFC').trim();
  const parts: string[] = [];
  let rest = text;
  while ([...rest].length > max) {
    const window = [...rest].slice(0, max + 1).join('');
    let cut = -1;
    for (const sep of ['\n\n', '\n', '. ', ' ']) {
      const at = window.lastIndexOf(sep, max);
      if (at > max / 2) {
        cut = at + (sep === '. ' ? 1 : 0);
        break;
      }
    }
    if (cut <= 0) cut = [...rest].slice(0, max).join('').length;
    parts.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest) parts.push(rest);
  return parts;
}

/** A title cut to `max` characters with an ellipsis. */
export function shortenTitle(title: string, max: number): string {
  const chars = [...title.normalize('NFC')];
  return chars.length <= max ? chars.join('') : chars.slice(0, max - 1).join('') + '…';
}

// Zalo reads `[@…]` as a mention (`[@group_id]` is everyone): the renderer defuses it with a zero-width space.
const escapeMentions = (text: string) => text.replace(/\[@/g, '[\u200B@');
const zaloTexts = (text: string): PreviewBubble[] => splitChatText(escapeMentions(text), CHANNEL_LIMITS.zaloText).map((t) => ({ text: t }));
const messengerTexts = (text: string): PreviewBubble[] => splitChatText(text, CHANNEL_LIMITS.messengerText).map((t) => ({ text: t }));

function zaloUser(m: OutMessage): PreviewBubble[] {
  const L = CHANNEL_LIMITS;
  switch (m.type) {
    case 'text':
      return zaloTexts(m.text);
    case 'image':
      return [{ ...(m.caption ? { text: escapeMentions(m.caption).slice(0, L.zaloText) } : {}), image: m.url }];
    case 'link':
      return [{ text: escapeMentions(m.text ?? m.title).slice(0, L.zaloText), buttons: [{ title: m.title.slice(0, L.zaloLinkTitle), url: m.url }] }];
    case 'buttons': {
      const out = zaloTexts(m.text);
      for (let i = 0; i < m.buttons.length; i += L.zaloListElements) out.push({ buttons: m.buttons.slice(i, i + L.zaloListElements).map((b) => ({ title: b.title })) });
      return out;
    }
  }
}

function zaloGroup(m: OutMessage): PreviewBubble[] {
  switch (m.type) {
    case 'text':
      return zaloTexts(m.text);
    case 'image':
      return zaloUser(m);
    case 'link':
      return zaloTexts(`${m.text ? `${m.text}\n` : ''}${m.title}: ${m.url}`);
    case 'buttons':
      return zaloTexts(`${m.text}\n${m.buttons.map((b, i) => `${i + 1}. ${b.title}`).join('\n')}`);
  }
}

function messenger(m: OutMessage): PreviewBubble[] {
  const L = CHANNEL_LIMITS;
  switch (m.type) {
    case 'text':
      return messengerTexts(m.text);
    case 'image':
      return [...(m.caption ? messengerTexts(m.caption) : []), { image: m.url }];
    case 'link':
      return [{ text: shortenTitle(m.text ?? m.title, L.messengerTemplateText), buttons: [{ title: shortenTitle(m.title, L.messengerTitle), url: m.url }] }];
    case 'buttons': {
      const fits = (t: string) => [...t].length <= L.messengerTitle;
      if (m.buttons.length <= L.messengerTemplateButtons && [...m.text].length <= L.messengerTemplateText && m.buttons.every((b) => fits(b.title))) {
        return [{ text: m.text, buttons: m.buttons.map((b) => ({ title: b.title })) }];
      }
      const choices = m.buttons.slice(0, L.messengerQuickReplies);
      const long = choices.some((b) => !fits(b.title));
      const body = long ? `${m.text}\n${choices.map((b, i) => `${i + 1}. ${b.title}`).join('\n')}` : m.text;
      const parts = messengerTexts(body);
      parts[parts.length - 1]!.quickReplies = choices.map((b, i) => (long ? shortenTitle(`${i + 1}. ${b.title}`, L.messengerTitle) : b.title));
      return parts;
    }
  }
}

/** Neutral messages as one channel shows them, one bubble per platform message, in order. */
export function previewOnChannel(messages: readonly OutMessage[], channel: PreviewChannel): PreviewBubble[] {
  const render = channel === 'zalo' ? zaloUser : channel === 'zalo_group' ? zaloGroup : messenger;
  return messages.flatMap(render);
}

/** What the chat sends for one catalogue item (before its navigation buttons): picture, text with source, link. */
export function catalogueItemMessages(item: ContentItem, locale: Locale = 'vi'): OutMessage[] {
  const parts = [item.title.toUpperCase(), item.body, translate(locale, 'content.source', { source: item.source })];
  if (item.needsReview) parts.push(translate(locale, 'content.review'));
  const out: OutMessage[] = [];
  if (item.image) out.push({ type: 'image', url: item.image });
  out.push({ type: 'text', text: parts.join('\n\n') });
  if (item.sourceUrl) out.push({ type: 'link', url: item.sourceUrl, title: item.source });
  return out;
}

/**
 * The item as the content menu shows it to a parent or a student: its messages, then "n/N" with "Tin tiếp theo"
 * (when more follow in the topic), "Chủ đề khác" and "Menu". Null when the item is not for that audience.
 */
export function catalogueItemInChat(catalogue: Catalogue, item: ContentItem, audience: Audience, locale: Locale = 'vi'): { messages: OutMessage[]; position: number; total: number } | null {
  const items = catalogue.forTopic(item.topic, audience);
  const index = items.findIndex((i) => i.id === item.id);
  if (index < 0) return null;
  const hasNext = index + 1 < items.length;
  const nav: OutMessage = {
    type: 'buttons',
    text: `${index + 1}/${items.length}`,
    buttons: [
      ...(hasNext ? [{ title: translate(locale, 'content.next'), payload: 'NEXT' }] : []),
      { title: translate(locale, 'content.otherTopic'), payload: 'TOPICS' },
      { title: translate(locale, 'button.menu'), payload: 'FLOW:menu' },
    ],
  };
  return { messages: [...catalogueItemMessages(item, locale), nav], position: index + 1, total: items.length };
}
