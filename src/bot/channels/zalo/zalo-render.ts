import type { OutMessage } from '../../../content/messages.schema.js';
import { splitText } from '../text-split.js';
import { ZALO_PAYLOAD_PREFIX } from './zalo-webhook.js';

/** Zalo's limit for one text message (shared/PLATFORMS.md). */
export const ZALO_TEXT_MAX = 2000;
// Elements per list template. Community code never uses more than 5; Zalo's docs do not say (UNCONFIRMED).
const LIST_MAX = 5;

/** The `message` object of a Zalo OA send. */
export type ZaloMessage = Record<string, unknown>;

/** Escapes Zalo's mention syntax (`[@user_id]`, `[@group_id]` = everyone) in text we relay, with a zero-width space. */
export function escapeMentions(text: string): string {
  return text.replace(/\[@/g, '[\u200B@');
}

function texts(text: string): ZaloMessage[] {
  return splitText(escapeMentions(text), ZALO_TEXT_MAX).map((t) => ({ text: t }));
}

/** Renders one neutral message for a Zalo user chat: text parts, then templates. */
export function renderForUser(m: OutMessage): ZaloMessage[] {
  switch (m.type) {
    case 'text':
      return texts(m.text);
    case 'image':
      return [
        {
          ...(m.caption ? { text: escapeMentions(m.caption).slice(0, ZALO_TEXT_MAX) } : {}),
          attachment: { type: 'template', payload: { template_type: 'media', elements: [{ media_type: 'image', url: m.url }] } },
        },
      ];
    case 'link':
      return [
        {
          text: escapeMentions(m.text ?? m.title).slice(0, ZALO_TEXT_MAX),
          attachment: { type: 'template', payload: { buttons: [{ title: m.title.slice(0, 100), type: 'oa.open.url', payload: { url: m.url } }] } },
        },
      ];
    case 'buttons': {
      // The prompt goes first as text; the choices follow as list templates whose taps send `#payload` back.
      const out = texts(m.text);
      for (let i = 0; i < m.buttons.length; i += LIST_MAX) {
        out.push({
          attachment: {
            type: 'template',
            payload: {
              template_type: 'list',
              elements: m.buttons.slice(i, i + LIST_MAX).map((b) => ({
                title: b.title,
                default_action: { type: 'oa.query.hide', payload: `${ZALO_PAYLOAD_PREFIX}${b.payload}`.slice(0, 1000) },
              })),
            },
          },
        });
      }
      return out;
    }
  }
}

/** Renders one neutral message for a GMF group: text and images only, buttons become a numbered list. */
export function renderForGroup(m: OutMessage): ZaloMessage[] {
  switch (m.type) {
    case 'text':
      return texts(m.text);
    case 'image':
      return renderForUser(m);
    case 'link':
      return texts(`${m.text ? `${m.text}\n` : ''}${m.title}: ${m.url}`);
    case 'buttons':
      return texts(`${m.text}\n${m.buttons.map((b, i) => `${i + 1}. ${b.title}`).join('\n')}`);
  }
}
