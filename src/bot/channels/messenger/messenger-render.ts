import type { OutMessage } from '../../../content/messages.schema.js';
import { shorten, splitText } from '../text-split.js';

/** Messenger's limits (shared/PLATFORMS.md). */
export const MESSENGER_LIMITS = { text: 2000, templateText: 640, quickReplies: 13, quickReplyTitle: 20, templateButtons: 3, buttonTitle: 20 } as const;

/** The `message` object of a Send API call. */
export type MessengerMessage = Record<string, unknown>;

function texts(text: string): MessengerMessage[] {
  return splitText(text, MESSENGER_LIMITS.text).map((t) => ({ text: t }));
}

function buttons(m: Extract<OutMessage, { type: 'buttons' }>): MessengerMessage[] {
  const L = MESSENGER_LIMITS;
  const fits = (t: string) => [...t].length <= L.buttonTitle;
  // Up to 3 short choices under a short text: a button template, whose buttons stay visible in the thread.
  if (m.buttons.length <= L.templateButtons && [...m.text].length <= L.templateText && m.buttons.every((b) => fits(b.title))) {
    return [
      {
        attachment: {
          type: 'template',
          payload: { template_type: 'button', text: m.text, buttons: m.buttons.map((b) => ({ type: 'postback', title: b.title, payload: b.payload })) },
        },
      },
    ];
  }
  // Otherwise quick replies (≤ 13, titles ≤ 20). Long titles are listed in full in the text and numbered on the chips.
  const choices = m.buttons.slice(0, L.quickReplies);
  const long = choices.some((b) => !fits(b.title));
  const body = long ? `${m.text}\n${choices.map((b, i) => `${i + 1}. ${b.title}`).join('\n')}` : m.text;
  const parts = texts(body);
  const last = parts[parts.length - 1]!;
  last.quick_replies = choices.map((b, i) => ({
    content_type: 'text',
    title: long ? shorten(`${i + 1}. ${b.title}`, L.quickReplyTitle) : b.title,
    payload: b.payload,
  }));
  return parts;
}

/** Renders one neutral message as one or more Send API messages, within Messenger's limits. */
export function renderForMessenger(m: OutMessage): MessengerMessage[] {
  switch (m.type) {
    case 'text':
      return texts(m.text);
    case 'buttons':
      return buttons(m);
    case 'image':
      return [...(m.caption ? texts(m.caption) : []), { attachment: { type: 'image', payload: { url: m.url, is_reusable: true } } }];
    case 'link':
      return [
        {
          attachment: {
            type: 'template',
            payload: {
              template_type: 'button',
              text: shorten(m.text ?? m.title, MESSENGER_LIMITS.templateText),
              buttons: [{ type: 'web_url', url: m.url, title: shorten(m.title, MESSENGER_LIMITS.buttonTitle) }],
            },
          },
        },
      ];
  }
}
